from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from courses.models import CourseDate, CoursePage

from . import admin_views, dashboard, reports
from .booking_admin import BOOKING_POLICY, CourseTermsViewSet, GuildViewSet
from .booking_admin_views import CancelBookingView
from .invoice_admin import INVOICE_POLICY
from .models import Booking, Enrolment, Invoice, OutgoingMail
from .viewsets import ENROLMENT_POLICY, OUTBOX_POLICY, EnrolmentGroup

register_permission_policy(OutgoingMail, OUTBOX_POLICY, exact_class=True)
register_permission_policy(Enrolment, ENROLMENT_POLICY, exact_class=True)
register_permission_policy(Invoice, INVOICE_POLICY, exact_class=True)
register_permission_policy(Booking, BOOKING_POLICY, exact_class=True)
register_snippet(GuildViewSet)
register_snippet(CourseTermsViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return EnrolmentGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "anmeldungen/termin/<int:date_id>/",
            admin_views.ParticipantsView.as_view(),
            name="enrolment_participants",
        ),
        path(
            "anmeldungen/termin/<int:date_id>/export.<str:fmt>",
            admin_views.ExportView.as_view(),
            name="enrolment_export",
        ),
        path(
            "anmeldungen/kurs/<int:page_id>/",
            admin_views.CourseDatesView.as_view(),
            name="enrolment_course_dates",
        ),
        path(
            "anmeldungen/aktion/<int:pk>/<str:action>/",
            admin_views.ActionView.as_view(),
            name="enrolment_action",
        ),
        path("anmeldungen/person/", admin_views.PersonView.as_view(), name="enrolment_person"),
        path(
            "buchung-stornieren/<int:booking_id>/",
            CancelBookingView.as_view(),
            name="enrolment_booking_cancel",
        ),
        path(
            "anmeldungen/termin/<int:date_id>/absagen/",
            admin_views.CancelDateView.as_view(),
            name="enrolment_cancel_date",
        ),
        path(
            "berichte/statistik/",
            reports.StatisticsReportView.as_view(),
            name="enrolment_statistics",
        ),
        path(
            "berichte/statistik/ergebnisse/",
            reports.StatisticsReportView.as_view(results_only=True),
            name="enrolment_statistics_results",
        ),
        path(
            "postausgang/erneut-senden/<int:pk>/",
            admin_views.ResendMailView.as_view(),
            name="enrolment_resend_mail",
        ),
    ]


def _participants_button(page, user, priority):
    specific = page.specific_deferred
    if isinstance(specific, CoursePage) and (
        admin_views.is_staff_user(user) or admin_views.trains(user, specific)
    ):
        return Button(
            _("Teilnehmende"),
            url=reverse("enrolment_course_dates", args=[page.pk]),
            icon_name="group",
            priority=priority,
        )
    return None


@hooks.register("register_page_listing_more_buttons")
def page_listing_participants(page, user, next_url=None):
    button = _participants_button(page, user, 45)
    if button:
        yield button


@hooks.register("register_page_header_buttons")
def page_header_participants(page, user, view_name=None, next_url=None):
    button = _participants_button(page, user, 45)
    if button:
        yield button


@hooks.register("construct_homepage_panels")
def academy_dashboard_panels(request, panels):
    panels[:0] = dashboard.panels_for(request)


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("enrolment.view_enrolment")


@hooks.register("register_reports_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(
        _("Statistik der Akademie"),
        reverse("enrolment_statistics"),
        icon_name="table",
        order=50,
    )


@hooks.register("register_snippet_listing_buttons")
def course_date_listing_buttons(snippet, user, next_url=None):
    """In the "Termine" listing: the participants of a date, and cancelling it (which
    is booking state, so it goes through the services, not the date editor)."""
    if not isinstance(snippet, CourseDate) or not admin_views.is_staff_user(user):
        return
    yield Button(
        _("Teilnehmende"),
        url=reverse("enrolment_participants", args=[snippet.pk]),
        icon_name="group",
        priority=20,
    )
    if snippet.status == CourseDate.Status.PLANNED and snippet.start > timezone.now():
        yield Button(
            _("Termin absagen"),
            url=reverse("enrolment_cancel_date", args=[snippet.pk]),
            icon_name="warning",
            priority=25,
        )


@hooks.register("register_log_actions")
def register_enrolment_log_actions(actions):
    """Who did what to bookings, and when: shown in the history of the date or the
    enrolment and in the site history report."""
    actions.register_action(
        "enrolment.date_settings",
        _("Plätze, Minimum oder Anmeldeschluss geändert"),
        _("Plätze, Minimum oder Anmeldeschluss des Termins geändert"),
    )
    actions.register_action(
        "enrolment.cancel_date", _("Termin abgesagt"), _("Termin abgesagt, alle informiert")
    )
    actions.register_action(
        "enrolment.cancel", _("Von der Redaktion abgemeldet"), _("Anmeldung abgemeldet")
    )
    actions.register_action(
        "enrolment.confirm", _("Von der Redaktion bestätigt"), _("Anmeldung bestätigt")
    )
    actions.register_action(
        "enrolment.promote",
        _("Von der Warteliste nachgerückt"),
        _("Von der Warteliste nachgerückt"),
    )
    actions.register_action(
        "enrolment.erase",
        _("Daten auf Anfrage gelöscht"),
        _("Anmeldung auf Anfrage abgemeldet und anonymisiert"),
    )


@hooks.register("after_edit_snippet")
def name_promoted_after_date_edit(request, instance):
    """The date editor's save may move people up (``signals.date_saved``): name them."""
    if isinstance(instance, CourseDate):
        admin_views.announce_promoted(request, getattr(instance, "promoted_on_save", []))


@hooks.register("register_log_actions")
def register_invoice_log_actions(actions):
    actions.register_action(
        "enrolment.invoice_paid", _("Als bezahlt markiert"), _("Rechnung als bezahlt markiert")
    )
    actions.register_action(
        "enrolment.invoice_reminder",
        _("Zahlungserinnerung verschickt"),
        _("Zahlungserinnerung zur Rechnung verschickt"),
    )
