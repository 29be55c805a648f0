"""Staff's list of certificates in the Wagtail admin: search, filter by course and
date, download, withdraw with a reason, reissue. Certificates are issued by the
rule in ``certificates`` only, never added or deleted by hand."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from courses.models import CourseDate, CoursePage
from home.admin_display import ADMIN_ROOT, GermanInspectView, GermanViewSetMixin

from . import certificates
from .models import Certificate

CHANGE = "learning.change_certificate"


class CertificatePolicy(ModelPermissionPolicy):
    """Issued by rule: staff look, withdraw and reissue; nobody adds or deletes."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


CERTIFICATE_POLICY = CertificatePolicy(Certificate)


class CertificateFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Kurs"),
        field_name="enrolment__course_date__course",
        queryset=CoursePage.objects.order_by("title"),
    )
    course_date = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Termin"),
        field_name="enrolment__course_date",
        queryset=CourseDate.objects.select_related("course").order_by("-start"),
    )
    valid = django_filters.BooleanFilter(
        label=gettext_lazy("Gültig"),
        field_name="revoked_at",
        lookup_expr="isnull",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Certificate
        fields = []


def _state(certificate) -> str:
    if certificate.is_valid:
        return _("gültig")
    return _("widerrufen am %(day)s") % {"day": f"{certificate.revoked_at:%d.%m.%Y}"}


class CertificateIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("enrolment__course_date__course")

    def get_list_more_buttons(self, instance):
        buttons = [
            MenuItem(
                _("PDF herunterladen"),
                url=reverse("learning_certificates:pdf", args=[instance.pk]),
                icon_name="download",
                priority=5,
            )
        ]
        if instance.is_valid and self.request.user.has_perm(CHANGE):
            buttons += [
                MenuItem(
                    _("Widerrufen"),
                    url=reverse("learning_certificates:revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=10,
                ),
                MenuItem(
                    _("Neu ausstellen"),
                    url=reverse("learning_certificates:reissue", args=[instance.pk]),
                    icon_name="rotate",
                    priority=15,
                ),
            ]
        return buttons


class StaffCertificateMixin:
    permission = "learning.view_certificate"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.certificate = get_object_or_404(
            Certificate.objects.select_related("enrolment__course_date__course"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)


class CertificatePdfView(StaffCertificateMixin, View):
    def get(self, request, pk):
        return certificates.pdf_response(self.certificate)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Grund des Widerrufs"),
        max_length=300,
        help_text=gettext_lazy(
            "Wird gespeichert, aber nicht öffentlich gezeigt. Die öffentliche Prüfung "
            "sagt nur „widerrufen“ mit Datum."
        ),
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Bitte geben Sie einen Grund an."))
        return reason


class CertificateActionView(StaffCertificateMixin, WagtailAdminTemplateMixin, FormView):
    permission = CHANGE
    template_name = "learning/admin/certificate_action.html"
    header_icon = "doc-full"
    form_class = forms.Form
    action = ""
    breadcrumbs_items = ADMIN_ROOT

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learning_certificates:index"), "label": _("Bescheinigungen")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(certificate=self.certificate, action=self.action)
        return context

    def done(self):
        return redirect("learning_certificates:index")


class RevokeView(CertificateActionView):
    form_class = RevokeForm
    action = "revoke"

    def get_page_title(self):
        return _("Bescheinigung %(number)s widerrufen") % {"number": self.certificate.number}

    def form_valid(self, form):
        if certificates.revoke(self.certificate, form.cleaned_data["reason"], by=self.request.user):
            messages.success(
                self.request,
                _("Die Bescheinigung %(number)s ist widerrufen.")
                % {"number": self.certificate.number},
            )
        else:
            messages.warning(self.request, _("Die Bescheinigung war schon widerrufen."))
        return self.done()


class ReissueView(CertificateActionView):
    action = "reissue"

    def get_page_title(self):
        return _("Bescheinigung %(number)s neu ausstellen") % {"number": self.certificate.number}

    def form_valid(self, form):
        if not self.certificate.is_valid:
            messages.warning(self.request, _("Die Bescheinigung war schon widerrufen."))
            return self.done()
        new = certificates.reissue(self.certificate, by=self.request.user)
        if new is None:
            messages.warning(
                self.request,
                _(
                    "Die Bescheinigung ist widerrufen. Eine neue wurde nicht ausgestellt, "
                    "weil die Voraussetzungen nicht mehr erfüllt sind."
                ),
            )
        else:
            messages.success(
                self.request,
                _("Neu ausgestellt als %(number)s; die alte Nummer ist widerrufen.")
                % {"number": new.number},
            )
        return self.done()


class CertificateViewSet(GermanViewSetMixin, ModelViewSet):
    model = Certificate
    name = "learning_certificates"
    icon = "doc-full"
    menu_label = gettext_lazy("Bescheinigungen")
    add_to_admin_menu = True
    menu_order = 260
    url_prefix = "bescheinigungen"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = GermanInspectView
    index_view_class = CertificateIndexView
    filterset_class = CertificateFilterSet
    search_fields = ["number", "name", "course_title"]
    search_backend_name = None
    list_display = [
        "number",
        "name",
        "course_title",
        "dates_text",
        "issued_at",
        Column("state", label=gettext_lazy("Status"), accessor=_state),
    ]
    ordering = ["-issued_at"]
    form_fields = ["name"]
    inspect_view_fields = [
        "number",
        "name",
        "course_title",
        "dates_text",
        "sessions_text",
        "hours",
        "issued_at",
        "revoked_at",
        "revoked_reason",
        "revoked_by",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pdf/", CertificatePdfView.as_view(), name="pdf"),
            path("<int:pk>/widerrufen/", RevokeView.as_view(), name="revoke"),
            path("<int:pk>/neu-ausstellen/", ReissueView.as_view(), name="reissue"),
        ]
