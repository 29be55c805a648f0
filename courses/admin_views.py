"""Admin views of the catalogue that are not a model listing: importing dates."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.admin_display import ADMIN_ROOT
from home.spreadsheets import csv_bytes, download, xlsx_bytes

from . import import_dates

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
