"""Staff tools for invoices: the list "Rechnungen" (filters by state and overdue), the
PDF and the e-invoice, "als bezahlt markieren", and the export for the accounting.

Invoices are documents: the listing offers no add, edit, copy or delete
(``InvoicePolicy``); corrections happen by credit note when a participant is
cancelled. Who may use any of it: ``staffauth.policy.may_handle_invoices``.
"""

import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from home.admin_display import ADMIN_ROOT, GermanInspectView, GermanViewSetMixin
from home.spreadsheets import download
from staffauth import policy

from . import accounting, invoicing
from .invoice_models import Invoice

VIEWSET_NAME = "enrolment_invoices"


class InvoicePolicy(ModelPermissionPolicy):
    """Staff look, download, record payments; nobody adds, edits or deletes."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return policy.may_handle_invoices(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


INVOICE_POLICY = InvoicePolicy(Invoice)


class InvoiceFilterSet(WagtailFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Status"), choices=Invoice.State.choices
    )
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Art"), choices=Invoice.Kind.choices)
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Überfällig"), method="filter_overdue"
    )

    class Meta:
        model = Invoice
        fields = []

    def filter_overdue(self, queryset, name, value):
        overdue = Invoice.objects.overdue().values("pk")
        if value is True:
            return queryset.filter(pk__in=overdue)
        if value is False:
            return queryset.exclude(pk__in=overdue)
        return queryset


class StateColumn(Column):
    def get_value(self, instance):
        if instance.is_overdue():
            return _("überfällig")
        if instance.is_credit_note:
            return _("korrigiert %(number)s") % {"number": instance.corrects.number}
        return instance.get_state_display()


class InvoiceIndexView(generic.IndexView):
    def get(self, request, *args, **kwargs):
        billing = invoicing.invoice_settings()
        incomplete = not (billing.tax_number or billing.vat_id) or not billing.iban
        if incomplete and not self.results_only:
            messages.warning(
                request,
                _(
                    "Unter Einstellungen → Rechnungsstellung fehlen Steuernummer oder USt-IdNr. "
                    "oder die IBAN: neue Rechnungen wären ohne diese Angaben unvollständig."
                ),
            )
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("corrects")

    def get_header_buttons(self):
        return [
            *super().get_header_buttons(),
            HeaderButton(
                _("Export für die Buchhaltung"),
                url=reverse(f"{VIEWSET_NAME}:export"),
                icon_name="download",
            ),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("PDF herunterladen"),
                url=reverse(f"{VIEWSET_NAME}:pdf", args=[instance.pk]),
                icon_name="doc-full",
                priority=5,
            )
        )
        if not instance.is_consumer:
            buttons.append(
                MenuItem(
                    _("E-Rechnung (XML) herunterladen"),
                    url=reverse(f"{VIEWSET_NAME}:xml", args=[instance.pk]),
                    icon_name="code",
                    priority=6,
                )
            )
        if not instance.is_credit_note and instance.state == Invoice.State.OPEN:
            buttons.append(
                MenuItem(
                    _("Als bezahlt markieren"),
                    url=reverse(f"{VIEWSET_NAME}:mark_paid", args=[instance.pk]),
                    icon_name="check",
                    priority=7,
                )
            )
        return buttons


class InvoiceInspectView(GermanInspectView):
    template_name = "enrolment/invoices/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invoice = self.object
        context.update(
            invoice=invoice,
            lines=invoice.lines.all(),
            credit_notes=invoice.credit_notes.order_by("number"),
            outstanding=invoice.outstanding(),
            pdf_url=reverse(f"{VIEWSET_NAME}:pdf", args=[invoice.pk]),
            xml_url=""
            if invoice.is_consumer
            else reverse(f"{VIEWSET_NAME}:xml", args=[invoice.pk]),
            mark_paid_url=reverse(f"{VIEWSET_NAME}:mark_paid", args=[invoice.pk])
            if not invoice.is_credit_note and invoice.state == Invoice.State.OPEN
            else "",
        )
        return context


class InvoiceStaffOnly:
    def dispatch(self, request, *args, **kwargs):
        if not policy.may_handle_invoices(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _invoice_or_404(pk) -> Invoice:
    return get_object_or_404(Invoice.objects.select_related("corrects", "course_date"), pk=pk)


def pdf_view(request, pk):
    if not policy.may_handle_invoices(request.user):
        raise PermissionDenied
    invoice = _invoice_or_404(pk)
    (attachment,) = invoicing.attachments_of(invoice)
    import base64

    response = HttpResponse(base64.b64decode(attachment["content"]), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{attachment["filename"]}"'
    response["Cache-Control"] = "private, no-store"
    return response


def xml_view(request, pk):
    from .einvoice import invoice_xml

    if not policy.may_handle_invoices(request.user):
        raise PermissionDenied
    invoice = _invoice_or_404(pk)
    if invoice.is_consumer:
        raise Http404
    response = HttpResponse(invoice_xml(invoice), content_type="application/xml")
    stem = invoicing.pdf_filename(invoice).removesuffix(".pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.xml"'
    response["Cache-Control"] = "private, no-store"
    return response


class InvoicePage(InvoiceStaffOnly, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [
            *ADMIN_ROOT,
            {"url": reverse(f"{VIEWSET_NAME}:index"), "label": _("Rechnungen")},
            {"url": "", "label": self.get_page_title()},
        ]


class PaidForm(forms.Form):
    paid_at = forms.DateField(
        label=gettext_lazy("Zahlungseingang am"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )


class MarkPaidView(InvoicePage):
    template_name = "enrolment/invoices/mark_paid.html"

    def dispatch(self, request, *args, **kwargs):
        self.invoice = _invoice_or_404(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("%(invoice)s als bezahlt markieren") % {"invoice": self.invoice}

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invoice"] = self.invoice
        context["form"] = form or PaidForm(initial={"paid_at": timezone.localdate()})
        context["back_url"] = reverse(f"{VIEWSET_NAME}:index")
        return context

    def post(self, request, *args, **kwargs):
        form = PaidForm(request.POST)
        if form.is_valid():
            try:
                invoicing.mark_paid(self.invoice.pk, form.cleaned_data["paid_at"], request.user)
            except invoicing.InvoiceError as error:
                form.add_error("paid_at", error.message)
            else:
                messages.success(
                    request,
                    _("%(invoice)s ist als bezahlt am %(date)s vermerkt.")
                    % {
                        "invoice": self.invoice,
                        "date": date_format(form.cleaned_data["paid_at"], "SHORT_DATE_FORMAT"),
                    },
                )
                return redirect(f"{VIEWSET_NAME}:index")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ExportForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Rechnungsdatum von"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    end = forms.DateField(
        label=gettext_lazy("bis einschließlich"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Das Ende liegt vor dem Anfang des Zeitraums."))
        return cleaned


class ExportView(InvoicePage):
    template_name = "enrolment/invoices/export.html"
    page_title = gettext_lazy("Rechnungen für die Buchhaltung exportieren")

    def get(self, request, *args, **kwargs):
        if "start" not in request.GET and "end" not in request.GET:
            today = timezone.localdate()
            first = today.replace(day=1)
            last_month_end = first - datetime.timedelta(days=1)
            form = ExportForm(
                initial={"start": last_month_end.replace(day=1), "end": last_month_end}
            )
            return self.render_to_response(self.get_context_data(form=form))
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        body = accounting.export_csv(start, end, invoicing.invoice_settings())
        return download(body, f"rechnungen-{start:%Y-%m-%d}-bis-{end:%Y-%m-%d}.csv")


class InvoiceViewSet(GermanViewSetMixin, ModelViewSet):
    model = Invoice
    name = VIEWSET_NAME
    icon = "doc-full"
    menu_label = gettext_lazy("Rechnungen")
    url_prefix = "rechnungen"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = InvoiceInspectView
    index_view_class = InvoiceIndexView
    filterset_class = InvoiceFilterSet
    search_fields = ["number", "recipient_name", "recipient_company", "order_reference"]
    search_backend_name = None
    list_display = [
        "number",
        "issue_date",
        Column("recipient_display", label=gettext_lazy("Empfänger/in")),
        "gross_total",
        StateColumn("state", label=gettext_lazy("Status")),
        "due_date",
    ]
    ordering = ["-issue_date", "-number"]
    form_fields = ["state"]  # no edit view is ever offered (InvoicePolicy)

    @property
    def permission_policy(self):
        return INVOICE_POLICY

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pdf/", pdf_view, name="pdf"),
            path("<int:pk>/e-rechnung/", xml_view, name="xml"),
            path("<int:pk>/bezahlt/", MarkPaidView.as_view(), name="mark_paid"),
            path("export/", ExportView.as_view(), name="export"),
        ]
