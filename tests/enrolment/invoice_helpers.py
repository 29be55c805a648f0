"""Builders for invoice tests: the academy's billing data and bookings with participants."""

import io
from decimal import Decimal

from django.db.models import QuerySet
from wagtail.models import Site

from enrolment.models import Booking, Enrolment, InvoiceSettings
from home.models import SiteSettings
from tests.enrolment.builders import confirmed, course_date, course_page
from tests.factories import build_site

ACADEMY = {
    "organisation": "Kreishandwerkerschaft Region Meißen",
    "street": "Kerstingstraße 4",
    "postcode_city": "01662 Meißen",
    "phone": "03521 4768-0",
    "email": "akademie@example.org",
}
BILLING = {
    "tax_number": "209/123/45678",
    "vat_id": "DE123456789",
    "bank_name": "Sparkasse Meißen",
    "iban": "DE89370400440532013000",
    "bic": "COBADEFFXXX",
    "payment_term_days": 14,
    "reminder_days": 10,
    "number_prefix": "R-",
}


def academy_settings(**billing):
    """The academy's contact and billing data on the current default site (the course
    builders make the site anew, so bookings apply them again)."""
    if not Site.objects.filter(is_default_site=True).exists():
        build_site()
    site = Site.objects.get(is_default_site=True)
    contact = SiteSettings.for_site(site)
    for name, value in ACADEMY.items():
        setattr(contact, name, value)
    contact.save()
    settings = InvoiceSettings.for_site(site)
    for name, value in {**BILLING, **billing}.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def paid_course(price="240.00", vat_treatment="exempt_21", **fields):
    return course_page(price=Decimal(price), vat_treatment=vat_treatment, **fields)


def booking(
    date=None,
    *,
    participants=2,
    unit_price="240.00",
    vat_rate="0",
    is_consumer=False,
    start=100,
    **fields,
) -> Booking:
    """A confirmed booking whose participants hold seats (numbered from ``start``)."""
    date = date or course_date(paid_course(unit_price), capacity=20)
    academy_settings()
    values = {
        "course_date": date,
        "status": Booking.Status.CONFIRMED,
        "first_name": "Bernd",
        "last_name": "Bauer",
        "email": "buero@tischlerei-bauer.example",
        "company": "" if is_consumer else "Tischlerei Bauer GmbH",
        "street": "Elbstraße 3",
        "postcode": "01589",
        "city": "Riesa",
        "vat_id": "" if is_consumer else "DE987654321",
        "order_reference": "" if is_consumer else "B-2026-17",
        "is_consumer": is_consumer,
        "unit_price": Decimal(unit_price),
        "price_kind": Booking.PriceKind.REGULAR,
        "vat_rate": Decimal(vat_rate),
        "privacy_version": "2026-01",
    }
    values.update(fields)
    result = Booking.objects.create(**values)
    for n in range(start, start + participants):
        enrolment = confirmed(date, n)
        Enrolment.objects.filter(pk=enrolment.pk).update(booking=result, price=Decimal(unit_price))
    return result


def participants(booking) -> QuerySet:
    return booking.enrolments.order_by("pk")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)
