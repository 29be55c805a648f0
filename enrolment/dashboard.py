"""Panels on the Wagtail admin home: occupancy, go/no-go, mail failures, newest enrolments.

Staff see every date; a trainer sees the upcoming dates of their own courses only.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from courses.models import CourseDate
from courses.panels import date_url
from staffauth import policy

from .forms import DateSettingsForm
from .models import Enrolment, OutgoingMail


def go_no_go_days() -> int:
    return settings.ENROLMENT_GO_NO_GO_DAYS


def with_counts(queryset):
    return queryset.annotate(
        n_waitlisted=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED))
    )


def upcoming_dates(user, *, now=None, limit=10):
    """The next planned dates with seats and waitlist length (a trainer's own only)."""
    now = now or timezone.now()
    dates = CourseDate.objects.planned().upcoming(now)
    if not policy.is_academy_staff(user):
        dates = dates.filter(course__trainers__user_id=user.pk).distinct()
    return list(with_counts(dates.select_related("course")).order_by("start", "pk")[:limit])


def decision_dates(dates) -> dict:
    """Each date's decision day on its minimum (``decision_days`` of its booking terms
    before the local first day), by date pk; one query for the course terms."""
    from . import terms
    from .models import CourseBookingTerms

    dates = list(dates)
    own = {
        t.course_id: terms.from_model(t)
        for t in CourseBookingTerms.objects.filter(course_id__in={d.course_id for d in dates})
    }
    academy = terms.academy_terms() if len(own) < len({d.course_id for d in dates}) else None
    return {
        d.pk: terms.local_day(d.start)
        - timedelta(days=(own.get(d.course_id) or academy).decision_days)
        for d in dates
    }


def below_minimum(*, now=None, days=None):
    """Go/no-go: planned dates below their minimum participant number that start
    within ``days``, or whose decision day (booking terms) falls within ``days``."""
    from . import terms

    now = now or timezone.now()
    days = go_no_go_days() if days is None else days
    candidates = (
        CourseDate.objects.planned()
        .filter(
            start__gt=now,
            min_participants__isnull=False,
            seats_confirmed__lt=F("min_participants"),
            start__lte=now + timedelta(days=days + 366),
        )
        .only("pk", "start", "course_id")
    )
    horizon = terms.local_day(now) + timedelta(days=days)
    decisions = decision_dates(candidates)
    due = [
        d.pk
        for d in candidates
        if d.start <= now + timedelta(days=days) or decisions[d.pk] <= horizon
    ]
    return CourseDate.objects.filter(pk__in=due).select_related("course").order_by("start", "pk")


def is_below_minimum(course_date, *, now=None, days=None) -> bool:
    return below_minimum(now=now, days=days).filter(pk=course_date.pk).exists()


def occupancy_percent(date) -> int:
    if not date.capacity:
        return 100
    return min(round(100 * date.seats_confirmed / date.capacity), 100)


class DashboardPanel(Component):
    staff_only = True

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        return {"request": self.request}


class UpcomingDatesPanel(DashboardPanel):
    name = "academy_upcoming_dates"
    order = 40
    template_name = "enrolment/admin/dashboard/upcoming_dates.html"
    staff_only = False

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        user = self.request.user
        dates = upcoming_dates(user)
        flagged = set(below_minimum().values_list("pk", flat=True))
        is_staff = policy.is_academy_staff(user)
        may_change = is_staff and user.has_perm("courses.change_coursedate")
        for date in dates:
            date.percent = occupancy_percent(date)
            date.below_minimum = date.pk in flagged
            if may_change:
                # changed in place, posted to the date's participant list
                date.settings_form = DateSettingsForm(instance=date, auto_id=f"id_date{date.pk}_%s")
                date.edit_url = date_url("edit", date.pk)
        context.update(dates=dates, is_staff=is_staff, next=reverse("wagtailadmin_home"))
        return context


class GoNoGoPanel(DashboardPanel):
    name = "academy_go_no_go"
    order = 30
    template_name = "enrolment/admin/dashboard/go_no_go.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        dates = list(below_minimum())
        decisions = decision_dates(dates)
        for date in dates:
            date.decision_on = decisions[date.pk]
        context.update(dates=dates, days=go_no_go_days())
        return context


class MailFailuresPanel(DashboardPanel):
    name = "academy_mail_failures"
    order = 50
    template_name = "enrolment/admin/dashboard/mail_failures.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        failed = OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED)
        waiting = OutgoingMail.objects.filter(
            status=OutgoingMail.Status.PENDING, attempts__gt=0
        ).count()
        context.update(
            failed_count=failed.count(),
            waiting_count=waiting,
            mails=list(failed.order_by("-created_at")[:5]),
        )
        return context


class NewestEnrolmentsPanel(DashboardPanel):
    name = "academy_newest_enrolments"
    order = 60
    template_name = "enrolment/admin/dashboard/newest_enrolments.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["enrolments"] = list(
            Enrolment.objects.filter(anonymised_at__isnull=True)
            .select_related("course_date__course")
            .order_by("-created_at", "-pk")[:8]
        )
        return context


PANELS = [GoNoGoPanel, UpcomingDatesPanel, MailFailuresPanel, NewestEnrolmentsPanel]


def panels_for(request) -> list[Component]:
    is_staff = policy.is_academy_staff(request.user)
    return [panel(request) for panel in PANELS if is_staff or not panel.staff_only]
