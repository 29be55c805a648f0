"""Attendance per session (Kurstag), recorded by the trainers of a date or by staff.

Attendance is a fact about sessions that happened: a session can be ticked from
its start until ``ATTENDANCE_EDIT_DAYS`` after its end. Saving a list changes only
the boxes that were ticked or unticked in it. A participant's status follows their
attended sessions: "teilgenommen" when the share ``ATTENDANCE_REQUIRED_SHARE`` of
the sessions is reached (default: every session), "teilweise teilgenommen" below
that, "angemeldet" with none. All three hold the seat; a no-show is recorded by
``services.record_no_shows`` once attendance is closed. Certificates follow every
change (``certificates.review``).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from courses.models import CourseDate
from enrolment import services
from enrolment.models import Enrolment
from staffauth import policy

from . import learner
from .models import Attendance

LISTED_STATUSES = (*Enrolment.SEAT_STATUSES, Enrolment.Status.NO_SHOW)


def dates_for(user):
    """The dates whose attendance ``user`` may see: staff all, trainers their own."""
    dates = CourseDate.objects.select_related("course")
    if policy.is_academy_staff(user):
        return dates
    trainer = getattr(user, "trainer_profile", None) if user.is_authenticated else None
    if trainer is None:
        return dates.none()
    return dates.filter(course__trainers=trainer).distinct()


def attendance_deadline_days() -> int:
    return settings.ATTENDANCE_EDIT_DAYS


@dataclass
class Session:
    index: int
    start: datetime
    end: datetime
    note: str

    @property
    def date(self):
        return self.start.date()

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    def is_open(self, now) -> bool:
        """Ticks can be set from the start until the deadline after the end."""
        return self.start <= now <= self.end + timedelta(days=attendance_deadline_days())

    def has_ended(self, now) -> bool:
        return self.end <= now


def sessions_of(course_date) -> list[Session]:
    """Numbered sessions; a date without listed sessions is one session."""
    return [
        Session(index, start, end, note)
        for index, (start, end, note) in enumerate(course_date.session_spans())
    ]


def attendance_closed(course_date, now=None) -> bool:
    now = now or timezone.now()
    return course_date.end + timedelta(days=attendance_deadline_days()) < now


def required_sessions(total: int) -> int:
    share = min(max(settings.ATTENDANCE_REQUIRED_SHARE, 0.01), 1.0)
    return max(1, math.ceil(total * share - 1e-9))


def status_for(present: int, total: int) -> str:
    if present >= required_sessions(total):
        return Enrolment.Status.ATTENDED
    if present > 0:
        return Enrolment.Status.PARTIAL
    return Enrolment.Status.CONFIRMED


def participants(course_date):
    return list(
        course_date.enrolments.filter(status__in=LISTED_STATUSES, anonymised_at__isnull=True)
        .order_by("last_name", "first_name", "pk")
        .prefetch_related("attendance")
    )


def present_sessions(enrolment) -> set[int]:
    return {a.session for a in enrolment.attendance.all() if a.present}


class AttendanceError(Exception):
    pass


def record(course_date, changes: dict[tuple[int, int], bool], *, by=None, now=None) -> int:
    """Store the boxes that were changed in a list: ``changes`` maps (enrolment id,
    session index) to present or not. Boxes of sessions that are not open for
    recording, of people not on the list, and values equal to what is stored are
    ignored. Returns the number of boxes changed."""
    now = now or timezone.now()
    from . import certificates

    sessions = {s.index: s for s in sessions_of(course_date)}
    changed = 0
    with transaction.atomic():
        locked = services.lock_date(course_date.pk)
        touched_ids = {enrolment_id for enrolment_id, _session in changes}
        enrolments = (
            locked.enrolments.select_for_update()
            .filter(pk__in=touched_ids, status__in=Enrolment.SEAT_STATUSES)
            .filter(anonymised_at__isnull=True)
        )
        for enrolment in enrolments:
            stored = {a.session: a for a in Attendance.objects.filter(enrolment=enrolment)}
            touched = False
            for (enrolment_id, index), present in changes.items():
                session = sessions.get(index)
                if enrolment_id != enrolment.pk or session is None or not session.is_open(now):
                    continue
                row = stored.get(index)
                if row is not None and row.present == present:
                    continue
                if row is None and not present:
                    continue
                Attendance.objects.update_or_create(
                    enrolment=enrolment,
                    session=index,
                    defaults={"present": present, "recorded_at": now, "recorded_by": by},
                )
                touched = True
                changed += 1
            if not touched:
                continue
            present_count = Attendance.objects.filter(
                enrolment=enrolment, present=True, session__in=sessions
            ).count()
            services.set_participation(enrolment, status_for(present_count, len(sessions)))
            learner.sync_access(enrolment.email)
            certificates.review(enrolment, now=now)
    return changed


def attended_sessions(enrolment) -> list[Session]:
    present = set(
        Attendance.objects.filter(enrolment=enrolment, present=True).values_list(
            "session", flat=True
        )
    )
    return [s for s in sessions_of(enrolment.course_date) if s.index in present]


def record_no_shows(course_date_id: int, *, now=None) -> list:
    """Once attendance of a date is closed: confirmed participants without a single
    attended session become no-shows and free their seat."""
    now = now or timezone.now()
    course_date = CourseDate.objects.get(pk=course_date_id)
    if not attendance_closed(course_date, now):
        return []
    return services.record_no_shows(
        course_date_id,
        lambda enrolment: not enrolment.attendance.filter(present=True).exists(),
        now=now,
    )


def close_dates(*, now=None) -> dict:
    """The hourly run: close the waitlists of dates that have started and record the
    no-shows of dates whose attendance is closed. Runs twice safely."""
    now = now or timezone.now()
    closed = services.close_waitlists(now=now)
    ended = (
        CourseDate.objects.filter(end__lt=now - timedelta(days=attendance_deadline_days()))
        .filter(enrolments__status=Enrolment.Status.CONFIRMED)
        .values_list("pk", flat=True)
        .distinct()
    )
    no_shows = sum(len(record_no_shows(pk, now=now)) for pk in list(ended))
    return {"waitlist_closed": closed, "no_shows": no_shows}
