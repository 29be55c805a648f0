"""The seat invariant under real concurrency: threads, each with its own
database connection, against SQLite (file, IMMEDIATE transactions) and PostgreSQL."""

import threading

import pytest
from django.db import connection

from courses.models import CourseDate
from enrolment import services
from enrolment.models import Enrolment
from tests.enrolment.builders import confirmed, course_date, person
from tests.factories import ensure_wagtail_roots

pytestmark = pytest.mark.django_db(transaction=True)


def run_concurrently(functions):
    """Start all functions at once; return their results and errors."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)
    errors = []

    def worker(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def assert_invariant(date):
    date.refresh_from_db()
    held = date.enrolments.holding_seats().count()
    assert date.seats_confirmed == held <= date.capacity
    return held


@pytest.fixture
def date():
    ensure_wagtail_roots()
    return course_date(capacity=12)


def test_fifty_confirmations_for_ten_free_seats(date):
    for n in range(2):  # two seats are already taken
        confirmed(date, 1000 + n)
    pending = [services.request_enrolment(date.pk, person(n)).enrolment for n in range(50)]

    results, errors = run_concurrently(
        [lambda pk=e.pk: services.confirm(pk).result for e in pending]
    )

    assert errors == []
    assert sorted(results).count("confirmed") == 10
    assert sorted(results).count("waitlisted") == 40
    assert assert_invariant(date) == 12
    positions = list(
        Enrolment.objects.filter(course_date=date, status="waitlisted")
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, 41))
    # Waitlist order follows the order of confirmation (the time is read under the
    # date's lock): positions ascend with the confirmation time, the seats went first.
    waiting = list(
        Enrolment.objects.filter(course_date=date, status="waitlisted").order_by(
            "waitlist_position"
        )
    )
    assert all(e.seat_confirmed_at is None for e in waiting)
    times = [e.email_confirmed_at for e in waiting]
    assert times == sorted(times)
    seated = Enrolment.objects.filter(
        course_date=date, status="confirmed", pk__in=[e.pk for e in pending]
    )
    assert max(e.email_confirmed_at for e in seated) <= times[0]


def test_cancellation_racing_an_outsider_gives_the_seat_to_waitlist_one(date):
    CourseDate.objects.filter(pk=date.pk).update(capacity=2)
    date.refresh_from_db()
    first = confirmed(date, 1)
    confirmed(date, 2)
    waiting = confirmed(date, 3)
    assert waiting.status == "waitlisted"
    outsiders = [services.request_enrolment(date.pk, person(100 + n)).enrolment for n in range(5)]

    functions = [lambda: services.cancel(first.pk).result]
    functions += [lambda pk=o.pk: services.confirm(pk).result for o in outsiders]
    results, errors = run_concurrently(functions)

    assert errors == []
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert results[1:].count("waitlisted") == 5
    assert assert_invariant(date) == 2
    positions = sorted(
        Enrolment.objects.filter(course_date=date, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == [1, 2, 3, 4, 5]


def test_same_form_sent_twice_at_once_stores_one_enrolment(date):
    results, errors = run_concurrently(
        [lambda: services.request_enrolment(date.pk, person(7)).result for _ in range(6)]
    )
    assert errors == []
    assert sorted(results) == ["created"] + ["duplicate"] * 5
    assert Enrolment.objects.filter(email="person7@example.org").count() == 1


def test_capacity_raised_by_an_editor_while_people_confirm(date):
    """An editor's save (stale counter, capacity 12 → 15) races 20 confirmations on
    a full date: exactly 15 hold a seat, the waitlist is gap-free and in order."""
    for n in range(12):
        confirmed(date, 2000 + n)
    stale = CourseDate.objects.get(pk=date.pk)
    stale.seats_confirmed = 0
    stale.capacity = 15
    pending = [services.request_enrolment(date.pk, person(n)).enrolment for n in range(20)]

    functions = [stale.save] + [lambda pk=e.pk: services.confirm(pk).result for e in pending]
    results, errors = run_concurrently(functions)

    assert errors == []
    assert assert_invariant(date) == 15
    waiting = list(
        Enrolment.objects.filter(course_date=date, status="waitlisted").order_by(
            "waitlist_position"
        )
    )
    assert [e.waitlist_position for e in waiting] == list(range(1, len(waiting) + 1))
    assert len(waiting) == 17
    times = [e.email_confirmed_at for e in waiting]
    assert times == sorted(times)
