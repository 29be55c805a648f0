"""Staff tools for invoices: the list with its filters, PDF and e-invoice downloads,
"als bezahlt markieren" (logged), the accounting export, and who may use them."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from enrolment import invoicing, signals
from enrolment.models import Booking, Invoice
from tests.enrolment.invoice_helpers import academy_settings, booking, participants, pdf_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def academy(db):
    return academy_settings()


@pytest.fixture
def staff(client):
    user = UserFactory(username="redakteurin")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


def confirm(order):
    signals.booking_confirmed.send(
        sender=Booking, booking=order, enrolments=list(participants(order))
    )


@pytest.fixture
def invoices():
    """An open invoice, and one whose participant was cancelled with a fee."""
    first = booking(participants=1)
    confirm(first)
    second = booking(first.course_date, participants=2, start=200, company="Bäckerei Sonne")
    confirm(second)
    signals.booking_participant_cancelled.send(
        sender=Booking,
        booking=second,
        enrolment=participants(second)[0],
        fee=Decimal("60.00"),
        by_academy=False,
    )
    return (
        first.invoices.get(),
        second.invoices.get(kind="invoice"),
        second.invoices.get(kind="credit_note"),
    )


def test_the_list_shows_invoices_and_credit_notes_with_their_original(client, staff, invoices):
    first, second, note = invoices
    html = client.get(reverse("enrolment_invoices:index")).content.decode()
    for invoice in invoices:
        assert invoice.number in html
    assert "Bäckerei Sonne" in html
    assert f"korrigiert {second.number}" in html
    assert reverse("enrolment_invoices:pdf", args=[first.pk]) in html
    assert reverse("enrolment_invoices:mark_paid", args=[first.pk]) in html
    # a document: no add, edit or delete anywhere
    assert reverse("enrolment_invoices:edit", args=[first.pk]) not in html
    assert reverse("enrolment_invoices:delete", args=[first.pk]) not in html
    assert client.get(reverse("enrolment_invoices:add")).status_code in (302, 403)
    assert client.get(reverse("enrolment_invoices:edit", args=[first.pk])).status_code in (
        302,
        403,
    )
    response = client.post(reverse("enrolment_invoices:delete", args=[first.pk]))
    assert response.status_code in (302, 403)
    assert Invoice.objects.count() == 3

    inspect = client.get(reverse("enrolment_invoices:inspect", args=[second.pk])).content
    assert note.number in inspect.decode()
    inspect = client.get(reverse("enrolment_invoices:inspect", args=[note.pk])).content
    assert second.number in inspect.decode()


def test_filters_by_state_and_overdue(client, staff, invoices):
    first, second, note = invoices
    old = invoicing.issue(
        invoicing.InvoiceDraft(
            course_date=first.course_date,
            recipient={"recipient_name": "Spät Zahler", "recipient_company": "Zahler KG"},
            lines=[invoicing.LineDraft("Teilnahme", Decimal("240.00"), Decimal("0"))],
            vat_note=first.vat_note,
            issue_date=timezone.localdate() - timedelta(days=30),
        )
    )
    url = reverse("enrolment_invoices:index")
    html = client.get(url, {"overdue": "true"}).content.decode()
    assert old.number in html and "überfällig" in html
    assert first.number not in html and note.number not in html
    html = client.get(url, {"overdue": "false"}).content.decode()
    assert old.number not in html and first.number in html
    html = client.get(url, {"state": "open", "kind": "credit_note"}).content.decode()
    assert note.number in html and first.number not in html
    for params in ({"state": "nonsense"}, {"overdue": "vielleicht"}, {"p": "x"}, {"q": "x" * 5000}):
        assert client.get(url, params).status_code == 200


def test_downloads(client, staff, invoices):
    first, _second, _note = invoices
    response = client.get(reverse("enrolment_invoices:pdf", args=[first.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    assert first.number in pdf_text(response.content)
    response = client.get(reverse("enrolment_invoices:xml", args=[first.pk]))
    assert response["Content-Type"] == "application/xml"
    assert first.number.encode() in response.content
    assert client.get(reverse("enrolment_invoices:pdf", args=[99999])).status_code == 404

    private = booking(first.course_date, participants=1, start=400, is_consumer=True)
    confirm(private)
    response = client.get(reverse("enrolment_invoices:xml", args=[private.invoices.get().pk]))
    assert response.status_code == 404


def test_mark_paid_records_the_date_and_logs_who(client, staff, invoices):
    first, _second, note = invoices
    url = reverse("enrolment_invoices:mark_paid", args=[first.pk])
    assert client.get(url).status_code == 200

    for bad in (
        "",
        "gestern",
        "31.02.2026",
        (timezone.localdate() + timedelta(days=2)).isoformat(),
    ):
        response = client.post(url, {"paid_at": bad})
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()
    before = (first.issue_date - timedelta(days=1)).isoformat()
    assert "vor dem Rechnungsdatum" in client.post(url, {"paid_at": before}).content.decode()
    first.refresh_from_db()
    assert first.state == "open"

    today = timezone.localdate()
    response = client.post(url, {"paid_at": today.isoformat()})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.state, first.paid_at) == ("paid", today)
    entry = ModelLogEntry.objects.get(action="enrolment.invoice_paid")
    assert entry.user == staff and entry.object_id == str(first.pk)
    # twice: refused, nothing changes
    response = client.post(url, {"paid_at": today.isoformat()})
    assert "nicht mehr offen" in response.content.decode()
    assert ModelLogEntry.objects.filter(action="enrolment.invoice_paid").count() == 1
    # a credit note is not paid
    response = client.post(
        reverse("enrolment_invoices:mark_paid", args=[note.pk]), {"paid_at": today.isoformat()}
    )
    assert response.status_code == 400


def test_accounting_export(client, staff, invoices):
    first, second, note = invoices
    url = reverse("enrolment_invoices:export")
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    response = client.get(url, {"start": today.isoformat(), "end": today.isoformat()})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Umsatz (Betrag)", "Soll/Haben-Kennzeichen"]
    by_number = {row[8]: row for row in rows[1:]}
    assert by_number[first.number][:6] == ["240,00", "S", "EUR", "10000", "8100", ""]
    assert by_number[second.number][0] == "480,00"
    assert by_number[note.number][:2] == ["180,00", "H"]
    assert by_number[note.number][7] == today.strftime("%d.%m.%Y")
    assert second.number in by_number[note.number][9]

    for params in (
        {"start": "gestern", "end": today.isoformat()},
        {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat()},
        {"start": "", "end": ""},
    ):
        response = client.get(url, params)
        assert response.status_code == 400
        assert "error-message" in response.content.decode()
    next_year = today.replace(year=today.year + 1).isoformat()
    response = client.get(url, {"start": next_year, "end": next_year})
    assert response.content.decode("utf-8-sig").count("\r\n") == 1  # the headings only


def test_only_the_redaktion_sees_invoices(client, invoices):
    first = invoices[0]
    urls = [
        reverse("enrolment_invoices:index"),
        reverse("enrolment_invoices:inspect", args=[first.pk]),
        reverse("enrolment_invoices:pdf", args=[first.pk]),
        reverse("enrolment_invoices:xml", args=[first.pk]),
        reverse("enrolment_invoices:mark_paid", args=[first.pk]),
        reverse("enrolment_invoices:export"),
    ]
    trainer = UserFactory(username="trainerin")
    trainer.groups.add(Group.objects.get(name="Trainer"))
    client.force_login(trainer)
    for url in urls:
        assert client.get(url).status_code in (302, 403), url
    response = client.post(urls[4], {"paid_at": timezone.localdate().isoformat()})
    assert response.status_code in (302, 403)
    first.refresh_from_db()
    assert first.state == "open"


def test_the_list_warns_when_the_billing_data_is_incomplete(client, staff, invoices):
    url = reverse("enrolment_invoices:index")
    assert "Rechnungsstellung fehlen" not in client.get(url).content.decode()
    academy_settings(tax_number="", vat_id="")
    assert "Rechnungsstellung fehlen" in client.get(url).content.decode()
