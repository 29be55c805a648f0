"""Group bookings racing for the last seats, with real concurrent transactions
(threads, each with its own connection) on SQLite and PostgreSQL: never overbooked,
never a booking half applied, no error."""

import pytest

from enrolment import bookings, services
from enrolment.models import Booking
from tests.enrolment.builders import confirmed, course_date
from tests.enrolment.test_concurrency import assert_invariant, run_concurrently
from tests.factories import ensure_wagtail_roots

pytestmark = pytest.mark.django_db(transaction=True)


def crew(tag, n):
    return [
        {
            "first_name": "Lehrling",
            "last_name": f"Nummer{chr(65 + i)}",
            "email": f"{tag}{i}@example.org",
        }
        for i in range(n)
    ]


def booker(tag):
    return {
        "first_name": "Karl",
        "last_name": "Meister",
        "email": f"buero-{tag}@example.org",
        "company": f"Betrieb {tag}",
        "street": "Elbstraße 3",
        "postcode": "01662",
        "city": "Meißen",
    }


@pytest.fixture
def date():
    ensure_wagtail_roots()
    return course_date(capacity=10)


def _pending_bookings(date, count, size):
    return [
        bookings.request_booking(date.pk, booker(f"b{k}"), crew(f"b{k}-", size)).booking
        for k in range(count)
    ]


def test_eight_bookings_of_three_for_seven_free_seats_split_none_and_overbook_nothing(date):
    for n in range(3):
        confirmed(date, 100 + n)
    pending = _pending_bookings(date, 8, 3)

    results, errors = run_concurrently(
        [lambda pk=b.pk: bookings.confirm_booking(pk).result for b in pending]
    )

    assert errors == []
    held = assert_invariant(date)
    # two bookings fit whole (6 seats); every later one meets a single free seat and
    # is asked first: nothing of it is placed until its booker chooses
    assert results.count("confirmed") == 2
    assert results.count("choose") == 6
    assert held == 3 + 6
    for booking in Booking.objects.filter(pk__in=[b.pk for b in pending]):
        statuses = set(booking.enrolments.values_list("status", flat=True))
        if booking.status == Booking.Status.PENDING:
            assert statuses == {"pending"}  # untouched: its booker chooses
        else:
            assert statuses in ({"confirmed"}, {"waitlisted"})  # never half applied


def test_split_choices_racing_for_the_last_seats(date):
    for n in range(6):
        confirmed(date, 200 + n)
    pending = _pending_bookings(date, 6, 3)  # 4 free seats, 18 people

    results, errors = run_concurrently(
        [
            lambda pk=b.pk: bookings.confirm_booking(pk, choice=bookings.SPLIT).result
            for b in pending
        ]
    )

    assert errors == []
    assert assert_invariant(date) == 10
    seated = sum(
        b.enrolments.filter(status="confirmed").count()
        for b in Booking.objects.filter(pk__in=[b.pk for b in pending])
    )
    assert seated == 4
    waiting = list(
        date.enrolments.filter(status="waitlisted")
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    )
    assert waiting == list(range(1, 15))  # one unbroken waitlist


def test_cancellations_and_group_confirmations_at_once(date):
    seated = [confirmed(date, 300 + n) for n in range(10)]
    pending = _pending_bookings(date, 4, 2)

    functions = [lambda pk=e.pk: services.cancel(pk).result for e in seated[:4]]
    functions += [
        lambda pk=b.pk: bookings.confirm_booking(pk, choice=bookings.SPLIT).result for b in pending
    ]
    results, errors = run_concurrently(functions)

    assert errors == []
    assert assert_invariant(date) == 10
