from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from courses.models import CoursePage

from . import admin_views
from .models import OutgoingMail
from .viewsets import OUTBOX_POLICY, EnrolmentGroup

register_permission_policy(OutgoingMail, OUTBOX_POLICY, exact_class=True)


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
            "postausgang/erneut-senden/<int:pk>/",
            admin_views.ResendMailView.as_view(),
            name="enrolment_resend_mail",
        ),
    ]


def _participants_button(page, user, priority):
    if isinstance(page.specific_deferred, CoursePage) and user.has_perm(
        "enrolment.change_enrolment"
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
