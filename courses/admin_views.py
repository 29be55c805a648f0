"""Admin views of the catalogue that are not a model listing: importing dates, the
KURSNET export."""

import datetime

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import Site

from home.admin_display import ADMIN_ROOT
from home.spreadsheets import csv_bytes, download, xlsx_bytes
from staffauth import policy

from . import import_dates, opencat

IMPORT_PERMISSION = "courses.add_coursedate"


class ImportForm(forms.Form):
    sheet = forms.FileField(
        label=gettext_lazy("Tabelle (CSV oder Excel)"),
        help_text=gettext_lazy(
            "Erste Zeile: Kurs; Beginn; Ende; Ort; Plätze; Mindestteilnehmerzahl; "
            "Anmeldeschluss; Preis. Datum mit Uhrzeit wie 15.03.2027 09:00, Preis wie 49,00 "
            "(leer = Kurspreis), Ort „online“ für Online-Termine, Mindestteilnehmerzahl und "
            "Anmeldeschluss dürfen leer bleiben."
        ),
    )


class ImportDatesView(WagtailAdminTemplateMixin, TemplateView):
    """Upload → preview with a message per row → confirm; nothing written unless all
    rows are valid."""

    template_name = "courses/admin/import_dates.html"
    page_title = gettext_lazy("Termine importieren")
    header_icon = "date"
    breadcrumbs_items = ADMIN_ROOT

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm())
        context["columns"] = import_dates.COLUMN_LABELS()
        context["sample_urls"] = sample_urls()
        return context

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            raw_rows = import_dates.read_sheet(form.cleaned_data["sheet"])
        except import_dates.SheetError as error:
            form.add_error("sheet", error.message)
            return self.render_to_response(self.get_context_data(form=form))
        rows = import_dates.validate(raw_rows)
        all_valid = all(row.is_valid for row in rows)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                rows=rows,
                all_valid=all_valid,
                invalid_count=sum(1 for row in rows if not row.is_valid),
                token=import_dates.sign(rows) if all_valid else "",
            )
        )

    def confirm(self, request):
        try:
            payload = import_dates.unsign(request.POST["token"])
        except signing.BadSignature:
            messages.error(
                request, _("Die Vorschau ist abgelaufen. Bitte laden Sie die Tabelle neu hoch.")
            )
            return redirect("courses_import_dates")
        try:
            created = import_dates.create_dates(payload)
        except import_dates.SheetError as error:
            messages.error(request, error.message)
            return redirect("courses_import_dates")
        for date in created:  # in each date's history (and in KURSNET's next update)
            log(date, "wagtail.create", user=request.user)
        count = len(created)
        messages.success(
            request,
            ngettext(
                "%(count)d Termin wurde angelegt.", "%(count)d Termine wurden angelegt.", count
            )
            % {"count": count},
        )
        return redirect("courses_import_dates")


class ImportSampleView(View):
    """A filled-in example of the import table, as CSV or XLSX."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, fmt):
        headings, rows = import_dates.sample_table()
        if fmt == "csv":
            return download(csv_bytes(headings, rows), "termine-beispiel.csv")
        if fmt == "xlsx":
            body = xlsx_bytes(_("Termine"), headings, rows)
            return download(body, "termine-beispiel.xlsx")
        raise Http404


def sample_urls() -> dict:
    return {fmt: reverse("courses_import_sample", args=[fmt]) for fmt in ("xlsx", "csv")}


class KursnetForm(forms.Form):
    seit = forms.DateField(
        label=gettext_lazy("Nur Änderungen seit"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy(
            "Leer lassen für den vollständigen Katalog. Mit Datum: eine Änderungslieferung "
            "mit allem, was seitdem neu, geändert, abgesagt oder gelöscht wurde."
        ),
    )

    def clean_seit(self):
        value = self.cleaned_data["seit"]
        if value is not None and value.year < 2000:
            raise forms.ValidationError(_("Bitte geben Sie ein Datum ab dem Jahr 2000 an."))
        return value


class KursnetExportView(WagtailAdminTemplateMixin, TemplateView):
    """What goes to KURSNET and why the rest does not; the XML file to upload."""

    template_name = "courses/admin/kursnet_export.html"
    page_title = gettext_lazy("KURSNET-Export")
    header_icon = "download"
    breadcrumbs_items = ADMIN_ROOT

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        if not policy.may_export_kursnet(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = KursnetForm(request.GET if "seit" in request.GET else None)
        self.result = opencat.review()
        self.error = ""
        site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
        if "herunterladen" in request.GET and form.is_valid():
            since = form.cleaned_data["seit"]
            if since is not None:
                since = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
            try:
                data = opencat.build_catalogue(site, since=since, review_result=self.result)
            except opencat.ExportError as error:
                self.error = str(error)
            else:
                kind = "aenderungen" if since else "katalog"
                response = HttpResponse(data, content_type="application/xml; charset=utf-8")
                name = f"kursnet-{kind}-{timezone.localdate():%Y-%m-%d}.xml"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
        elif site is not None:
            try:
                opencat.provider_for(site)
            except opencat.ExportError as error:
                self.error = str(error)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            result=self.result,
            error=self.error,
            form=kwargs.get("form") or KursnetForm(),
        )
        return context
