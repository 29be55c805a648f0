"""Random sequences of everything that can change a booking (enrolment, confirm,
cancel, staff actions, capacity changes by the editor, attendance, the passing of
time, publishing and reverting the course), with the seat invariant checked in
the database after every step.

Reproduce a failure with ``BOOKING_SEQUENCES_SEED=<seed>`` (printed on failure).
"""

import os
import random
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import CourseDate
from enrolment import services
from enrolment.models import Enrolment
from learning import attendance
from tests.enrolment.builders import course_page, person

pytestmark = pytest.mark.django_db

SEQUENCES = 200
STEPS = 14
PEOPLE = 6


def check_invariant(date, context):
    date.refresh_from_db()
    held = date.enrolments.holding_seats().count()
    assert date.seats_confirmed == held, context
    assert 0 <= held <= date.capacity, context
    positions = list(
        date.enrolments.filter(status="waitlisted")
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, len(positions) + 1)), context
    active = list(date.enrolments.active().values_list("email", flat=True))
    assert len(active) == len(set(active)), context
    if date.status == CourseDate.Status.CANCELLED:
        assert held == 0 and not active, context


class Sequence:
    def __init__(self, rng, course, clock, start):
        self.rng = rng
        self.course = course
        self.clock = clock
        self.now = start - timedelta(days=10)
        self.date = CourseDate.objects.create(
            course=course,
            start=start,
            end=start + timedelta(hours=6),
            capacity=rng.randint(1, 4),
            city="Riesa",
        )
        self.revisions = [course.save_revision()]
        self.log = []

    def pick(self, queryset):
        rows = list(queryset.values_list("pk", flat=True))
        return self.rng.choice(rows) if rows else None

    # --- the operations ---

    def enrol(self):
        n = self.rng.randrange(PEOPLE)
        try:
            outcome = services.request_enrolment(self.date.pk, person(n))
        except services.EnrolmentError:
            return "closed"
        if self.rng.random() < 0.8:
            return services.confirm(outcome.enrolment.pk).result
        return outcome.result

    def confirm_pending(self):
        pk = self.pick(self.date.enrolments.filter(status="pending"))
        return pk and services.confirm(pk).result

    def cancel(self):
        pk = self.pick(self.date.enrolments.active())
        by = self.rng.choice([Enrolment.CancelledBy.PARTICIPANT, Enrolment.CancelledBy.STAFF])
        return pk and services.cancel(pk, by=by).result

    def staff_enrol(self):
        try:
            return services.staff_enrol(self.date.pk, person(self.rng.randrange(PEOPLE))).result
        except services.EnrolmentError as error:
            return f"refused: {error}"

    def promote(self):
        pk = self.pick(self.date.enrolments.filter(status="waitlisted"))
        if pk is None:
            return None
        try:
            return services.promote_waiting(pk).result
        except services.EnrolmentError as error:
            return f"refused: {error}"

    def capacity(self):
        """The editor's save, with a copy of the date read some steps ago."""
        stale = CourseDate.objects.get(pk=self.date.pk)
        stale.seats_confirmed = self.rng.randint(0, 5)  # whatever the copy says
        stale.capacity = self.rng.randint(1, 5)
        try:
            stale.full_clean(exclude=["course"])
        except ValidationError:
            return "refused below seats held"
        stale.save()
        return f"capacity {stale.capacity}"

    def tick(self):
        pk = self.pick(self.date.enrolments.holding_seats())
        if pk is None:
            return None
        present = self.rng.random() < 0.7
        return attendance.record(self.date, {(pk, 0): present})

    def time_passes(self):
        step = self.rng.choice([timedelta(days=3), timedelta(hours=9), timedelta(days=16)])
        self.now += step
        self.clock.move_to(self.now)
        return f"now {self.now:%d.%m. %H:%M}"

    def close_dates(self):
        return attendance.close_dates()

    def publish(self):
        revision = self.course.save_revision()
        self.revisions.append(revision)
        revision.publish()
        return "published"

    def revert(self):
        self.rng.choice(self.revisions).publish()
        return "reverted"

    def cancel_date(self):
        try:
            return len(services.cancel_course_date(self.date.pk, "Krankheit"))
        except services.EnrolmentError as error:
            return f"refused: {error}"

    OPERATIONS = [
        ("enrol", 6),
        ("confirm_pending", 2),
        ("cancel", 3),
        ("staff_enrol", 2),
        ("promote", 1),
        ("capacity", 2),
        ("tick", 3),
        ("time_passes", 2),
        ("close_dates", 1),
        ("publish", 1),
        ("revert", 1),
        ("cancel_date", 0.2),
    ]

    def step(self):
        names = [name for name, _weight in self.OPERATIONS]
        weights = [weight for _name, weight in self.OPERATIONS]
        name = self.rng.choices(names, weights)[0]
        result = getattr(self, name)()
        self.log.append(f"{name} → {result}")
        check_invariant(self.date, "\n".join(self.log))


def test_random_booking_sequences_keep_the_seat_invariant():
    seed = int(os.environ.get("BOOKING_SEQUENCES_SEED", random.randrange(1_000_000)))
    rng = random.Random(seed)
    course = course_page()
    start = timezone.now().replace(microsecond=0) + timedelta(days=400)
    with time_machine.travel(start - timedelta(days=10), tick=False) as clock:
        for number in range(SEQUENCES):
            clock.move_to(start - timedelta(days=10))
            sequence = Sequence(rng, course, clock, start + timedelta(days=number))
            try:
                for _ in range(STEPS):
                    sequence.step()
            except AssertionError as error:
                raise AssertionError(f"seed {seed}, sequence {number}: {error}") from None
