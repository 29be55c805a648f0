"""A participant staff add by phone on a date that costs money is billed like one who
booked online; a free date and the demo's seat-fillers are not."""

from decimal import Decimal

import pytest
from django.urls import reverse

from enrolment import services
from enrolment.models import Booking, Enrolment, Invoice, OutgoingMail
from tests.enrolment.builders import course_date, person
from tests.enrolment.invoice_helpers import academy_settings, paid_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))


def add_by_phone(client, date, n, django_capture_on_commit_callbacks, **fields):
    data = {k: v for k, v in person(n, **fields).items() if v is not None}
    data["course_date"] = date.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enrolment_admin:add"), data)
    assert response.status_code == 302
    return Enrolment.objects.get(email=f"person{n}@example.org")


def test_a_phone_enrolment_on_a_paid_date_gets_its_booking_and_invoice(
    client, staff, django_capture_on_commit_callbacks
):
    academy_settings()
    date = course_date(paid_course("180.00"), capacity=5)

    added = add_by_phone(client, date, 7, django_capture_on_commit_callbacks)

    assert added.status == "confirmed" and added.price == Decimal("180.00")
    booking = added.booking
    assert booking.status == Booking.Status.CONFIRMED and booking.source == "staff"
    invoice = Invoice.objects.get(booking=booking)
    assert invoice.gross_total == Decimal("180.00")
    assert OutgoingMail.objects.filter(kind="invoice", to="person7@example.org").count() == 1


def test_a_phone_enrolment_on_a_free_date_is_not_billed(
    client, staff, django_capture_on_commit_callbacks
):
    date = course_date(capacity=5)  # free of charge

    added = add_by_phone(client, date, 8, django_capture_on_commit_callbacks)

    assert added.status == "confirmed" and added.booking is None
    assert not Invoice.objects.exists()


def test_a_phone_enrolment_on_the_waitlist_is_billed_when_it_gets_a_seat(
    client, staff, django_capture_on_commit_callbacks
):
    academy_settings()
    date = course_date(paid_course("90.00"), capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_enrol(date.pk, person(1))  # not billed: no booking asked for

    waiting = add_by_phone(client, date, 9, django_capture_on_commit_callbacks)
    assert waiting.status == "waitlisted" and not Invoice.objects.exists()

    holder = Enrolment.objects.get(email="person1@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(holder.pk)

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert Invoice.objects.get(booking=waiting.booking).gross_total == Decimal("90.00")
