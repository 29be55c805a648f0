"""Attendance per session (Kurstag), ticked by the trainers of a date or by staff.

A participant present on at least one session counts as "attended"; that status
is what the certificate needs. ``seats_confirmed`` counts confirmed enrolments
only, so the change between confirmed and attended moves the counter with it,
under the same CourseDate row lock the services use.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from courses.lessons import STAFF_GROUP_NAME
from courses.models import CourseDate

from . import learner
from .models import Attendance, Enrolment

LISTED_STATUSES = (Enrolment.Status.CONFIRMED, Enrolment.Status.ATTENDED, Enrolment.Status.NO_SHOW)


def is_staff(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name=STAFF_GROUP_NAME).exists()
    )


def dates_for(user):
    """The dates whose attendance ``user`` may see: staff all, trainers their own."""
    dates = CourseDate.objects.select_related("course")
    if is_staff(user):
        return dates
    trainer = getattr(user, "trainer_profile", None) if user.is_authenticated else None
    if trainer is None:
        return dates.none()
    return dates.filter(course__trainers=trainer).distinct()


def sessions_of(course_date) -> list[dict]:
    """Numbered sessions; a date without listed sessions is one session."""
    sessions = [
        {"index": i, "date": block.value["date"], "note": block.value.get("note") or ""}
        for i, block in enumerate(course_date.sessions)
    ]
    return sessions or [
        {"index": 0, "date": timezone.localtime(course_date.start).date(), "note": ""}
    ]


def participants(course_date):
    return list(
        course_date.enrolments.filter(status__in=LISTED_STATUSES, anonymised_at__isnull=True)
        .order_by("last_name", "first_name", "pk")
        .prefetch_related("attendance")
    )


def record(course_date, present: set[tuple[int, int]], *, by=None, now=None) -> None:
    """Store the ticks of the whole list: ``present`` holds (enrolment id, session)."""
    now = now or timezone.now()
    sessions = [s["index"] for s in sessions_of(course_date)]
    with transaction.atomic():
        locked = CourseDate.objects.select_for_update(of=("self",)).get(pk=course_date.pk)
        for enrolment in locked.enrolments.select_for_update().filter(
            status__in=LISTED_STATUSES, anonymised_at__isnull=True
        ):
            any_present = False
            for session in sessions:
                here = (enrolment.pk, session) in present
                any_present = any_present or here
                Attendance.objects.update_or_create(
                    enrolment=enrolment,
                    session=session,
                    defaults={"present": here, "recorded_at": now, "recorded_by": by},
                )
            _set_status(locked, enrolment, any_present, now)
            learner.sync_access(enrolment.email)


def _set_status(course_date, enrolment, attended: bool, now) -> None:
    """Attended if present once; after the end, absent throughout is a no-show."""
    if attended:
        target = Enrolment.Status.ATTENDED
    elif course_date.end <= now:
        target = Enrolment.Status.NO_SHOW
    else:
        target = Enrolment.Status.CONFIRMED
    if target == Enrolment.Status.CONFIRMED and course_date.seats_confirmed >= course_date.capacity:
        target = Enrolment.Status.NO_SHOW
    if target == enrolment.status:
        return
    delta = int(target == Enrolment.Status.CONFIRMED) - int(
        enrolment.status == Enrolment.Status.CONFIRMED
    )
    if delta:
        CourseDate.objects.filter(pk=course_date.pk).update(
            seats_confirmed=F("seats_confirmed") + delta
        )
        course_date.seats_confirmed += delta
    enrolment.status = target
    enrolment.save(update_fields=["status"])
