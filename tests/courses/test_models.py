import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import CourseDate
from tests.factories import CourseDateFactory, CoursePageFactory

from .conftest import in_days


def make_date(**fields):
    defaults = {
        "start": in_days(20),
        "end": in_days(20, 16),
        "capacity": 10,
        "seats_confirmed": 0,
        "status": CourseDate.Status.PLANNED,
    }
    return CourseDate(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("fields", "status", "wording"),
    [
        ({"capacity": 10, "seats_confirmed": 0}, "open", "noch 10 Plätze"),
        ({"capacity": 10, "seats_confirmed": 7}, "few", "noch 3 Plätze"),
        ({"capacity": 10, "seats_confirmed": 9}, "few", "noch 1 Platz"),
        ({"capacity": 10, "seats_confirmed": 10}, "waitlist", "ausgebucht – Warteliste"),
        ({"registration_deadline": in_days(-1)}, "closed", "Anmeldeschluss vorbei"),
        (
            {"status": CourseDate.Status.CANCELLED, "cancellation_reason": "krank"},
            "cancelled",
            "abgesagt",
        ),
    ],
)
def test_seat_status_wording(fields, status, wording):
    date = make_date(**fields)
    assert date.seat_status == status
    assert date.seat_status_text == wording


def test_a_started_date_takes_no_more_enrolments():
    date = make_date(start=timezone.now() - datetime.timedelta(hours=1))
    assert not date.is_open_for_enrolment
    assert date.seat_status_text == "Anmeldeschluss vorbei"


def test_full_date_still_takes_enrolments_for_the_waiting_list():
    date = make_date(capacity=5, seats_confirmed=5)
    assert date.is_open_for_enrolment and date.free_seats == 0


@pytest.mark.django_db
def test_capacity_below_seats_held_now_is_a_validation_error(catalogue):
    date = CourseDateFactory(course=CoursePageFactory(parent=catalogue), capacity=10)
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=5)
    date.capacity = 3  # this copy still says 0 seats taken
    with pytest.raises(ValidationError) as error:
        date.clean()
    assert "5 Plätze vergeben" in error.value.message_dict["capacity"][0]


@pytest.mark.django_db
def test_database_keeps_seats_within_capacity(catalogue):
    date = CourseDateFactory(course=CoursePageFactory(parent=catalogue), capacity=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=5)


@pytest.mark.django_db
def test_effective_price_prefers_the_override(catalogue):
    course = CoursePageFactory(parent=catalogue, price=Decimal("149"))
    date = CourseDateFactory(course=course)
    assert date.effective_price == Decimal("149")
    date.price_override = Decimal("0")
    assert date.effective_price == Decimal("0")


@pytest.mark.django_db
def test_querysets_name_what_the_catalogue_asks(catalogue):
    course = CoursePageFactory(parent=catalogue)
    past = CourseDateFactory(course=course, start=in_days(-5), end=in_days(-5, 16))
    open_date = CourseDateFactory(course=course, start=in_days(10), end=in_days(10, 16))
    full = CourseDateFactory(course=course, start=in_days(11), end=in_days(11, 16), capacity=2)
    CourseDate.objects.filter(pk=full.pk).update(seats_confirmed=2)
    closed = CourseDateFactory(
        course=course,
        start=in_days(12),
        end=in_days(12, 16),
        registration_deadline=in_days(-1),
    )
    cancelled = CourseDateFactory(
        course=course,
        start=in_days(13),
        end=in_days(13, 16),
        status=CourseDate.Status.CANCELLED,
        cancellation_reason="Zu wenige Anmeldungen",
    )

    assert past not in CourseDate.objects.upcoming()
    assert set(CourseDate.objects.open_for_enrolment()) == {open_date, full}
    assert set(CourseDate.objects.open_for_enrolment().with_free_seats()) == {open_date}
    assert cancelled not in CourseDate.objects.planned()
    assert closed in CourseDate.objects.upcoming()


@pytest.mark.django_db
def test_saving_a_date_never_writes_its_booking_state(catalogue):
    course = CoursePageFactory(parent=catalogue)
    date = CourseDateFactory(course=course, capacity=10)
    stale = CourseDate.objects.get(pk=date.pk)  # e.g. an editor's form, opened earlier
    CourseDate.objects.filter(pk=date.pk).update(
        seats_confirmed=6, status="cancelled", cancellation_reason="Krankheit"
    )
    stale.venue_name = "Neuer Raum"
    stale.save()

    stored = CourseDate.objects.get(pk=date.pk)
    assert stored.venue_name == "Neuer Raum"
    assert (stored.seats_confirmed, stored.status, stored.cancellation_reason) == (
        6,
        "cancelled",
        "Krankheit",
    )


def test_multi_day_dates_are_recognised():
    assert make_date(start=in_days(5), end=in_days(6, 16)).is_multi_day
    assert not make_date(start=in_days(5), end=in_days(5, 16)).is_multi_day
