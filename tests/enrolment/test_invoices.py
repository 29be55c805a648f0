"""Invoices for bookings: issued on confirmation, corrected by credit notes, mailed with
their PDF, never changed once issued; the PDF names every fact § 14 Abs. 4 UStG asks."""

import base64
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.pricing import VAT_NOTES
from enrolment import invoicing, signals
from enrolment.invoice_pdf import render_invoice_pdf
from enrolment.models import (
    Booking,
    ImmutableInvoiceError,
    Invoice,
    InvoiceLine,
    OutgoingMail,
)
from tests.enrolment.builders import course_date
from tests.enrolment.invoice_helpers import (
    academy_settings,
    booking,
    paid_course,
    participants,
    pdf_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def academy(db):
    return academy_settings()


def confirm(booking_obj, enrolments=None):
    """What the booking services do after their transaction committed."""
    enrolments = list(participants(booking_obj)) if enrolments is None else enrolments
    signals.booking_confirmed.send(sender=Booking, booking=booking_obj, enrolments=enrolments)


def cancel(booking_obj, enrolment, fee="0", by_academy=False):
    signals.booking_participant_cancelled.send(
        sender=Booking,
        booking=booking_obj,
        enrolment=enrolment,
        fee=Decimal(fee),
        by_academy=by_academy,
    )


def invoice_mails():
    return OutgoingMail.objects.filter(kind__in=["invoice", "credit_note"]).order_by("pk")


def attachment(mail) -> bytes:
    (item,) = mail.attachments
    assert item["mimetype"] == "application/pdf"
    return base64.b64decode(item["content"])


# --- issuing ----------------------------------------------------------------------


def test_a_confirmed_booking_gets_one_invoice_listing_each_participant_and_a_mail():
    order = booking(participants=3)
    people = list(participants(order))

    confirm(order)

    invoice = Invoice.objects.get()
    assert invoice.kind == Invoice.Kind.INVOICE
    assert invoice.number == f"R-{timezone.localdate().year}-00001"
    assert invoice.booking == order
    assert invoice.gross_total == Decimal("720.00")
    assert invoice.vat_total == Decimal("0.00")
    assert invoice.state == Invoice.State.OPEN
    assert invoice.due_date == invoice.issue_date + timedelta(days=14)
    lines = list(invoice.lines.all())
    assert [line.enrolment for line in lines] == people
    for line, person in zip(lines, people, strict=True):
        assert person.last_name in line.description
        assert order.course_date.course.title in line.description
    assert invoice.recipient_company == "Tischlerei Bauer GmbH"
    assert invoice.service_start == timezone.localtime(order.course_date.start).date()

    (mail,) = invoice_mails()
    assert mail.to == order.email
    assert invoice.number in mail.subject
    assert "720,00 €" in mail.text
    assert invoice.number in pdf_text(attachment(mail))


def test_waitlisted_participants_are_billed_only_when_they_get_a_seat():
    order = booking(participants=2)
    first, second = participants(order)
    second.status = "waitlisted"
    second.waitlist_position = 1
    second.save()

    confirm(order, [first])
    assert list(InvoiceLine.objects.values_list("enrolment", flat=True)) == [first.pk]

    second.status = "confirmed"
    second.waitlist_position = None
    second.save()
    signals.booking_participant_confirmed.send(sender=Booking, booking=order, enrolment=second)

    assert Invoice.objects.count() == 2
    later = Invoice.objects.order_by("pk").last()
    assert [line.enrolment for line in later.lines.all()] == [second]
    assert later.gross_total == Decimal("240.00")
    assert invoice_mails().count() == 2


def test_confirming_twice_bills_nobody_twice():
    order = booking(participants=2)
    confirm(order)
    confirm(order)
    assert Invoice.objects.count() == 1
    assert invoice_mails().count() == 1


def test_free_bookings_get_no_invoice():
    date = course_date(paid_course("0.00"))
    order = booking(date, unit_price="0.00")
    confirm(order)
    assert not Invoice.objects.exists()
    assert not invoice_mails().exists()


def test_the_recipient_is_a_snapshot():
    order = booking()
    confirm(order)
    Booking.objects.filter(pk=order.pk).update(company="Ganz Andere GmbH", street="Neu 1")
    invoice = Invoice.objects.get()
    invoice.refresh_from_db()
    assert invoice.recipient_company == "Tischlerei Bauer GmbH"
    assert "Tischlerei Bauer GmbH" in pdf_text(render_invoice_pdf(invoice))


# --- taxed and exempt -------------------------------------------------------------


def test_a_taxed_course_splits_the_gross_price_and_shows_19_percent():
    date = course_date(paid_course("119.00", vat_treatment="taxed_19"))
    order = booking(date, participants=2, unit_price="119.00", vat_rate="19")
    confirm(order)

    invoice = Invoice.objects.get()
    assert invoice.net_total == Decimal("200.00")
    assert invoice.vat_total == Decimal("38.00")
    assert invoice.gross_total == Decimal("238.00")
    assert invoice.vat_breakdown() == [(Decimal("19.00"), Decimal("200.00"), Decimal("38.00"))]
    text = pdf_text(render_invoice_pdf(invoice))
    assert "Nettobetrag zu 19 %" in text
    assert "200,00 €" in text
    assert "Umsatzsteuer 19 %" in text
    assert "38,00 €" in text
    assert "238,00 €" in text
    assert VAT_NOTES["taxed_19"] in text
    assert "steuerfrei" not in text.lower()


def test_an_odd_taxed_price_keeps_net_plus_vat_equal_to_the_price():
    date = course_date(paid_course("99.00", vat_treatment="taxed_19"))
    order = booking(date, participants=1, unit_price="99.00", vat_rate="19")
    confirm(order)
    invoice = Invoice.objects.get()
    # courses.pricing.split_gross: 99 / 1.19 = 83.19 net, 15.81 VAT
    assert (invoice.net_total, invoice.vat_total) == (Decimal("83.19"), Decimal("15.81"))
    assert invoice.net_total + invoice.vat_total == Decimal("99.00")


@pytest.mark.parametrize("treatment", ["exempt_21", "exempt_22"])
def test_an_exempt_course_names_its_exemption_and_no_tax(treatment):
    date = course_date(paid_course("240.00", vat_treatment=treatment))
    order = booking(date, participants=1)
    confirm(order)
    invoice = Invoice.objects.get()
    assert invoice.vat_total == Decimal("0.00")
    assert invoice.vat_note == VAT_NOTES[treatment]
    text = pdf_text(render_invoice_pdf(invoice))
    paragraph = "§ 4 Nr. 21" if treatment == "exempt_21" else "§ 4 Nr. 22"
    assert paragraph in text
    assert "Nettobetrag, umsatzsteuerfrei" in text
    assert "19 %" not in text


# --- § 14 Abs. 4 UStG -------------------------------------------------------------


def test_the_pdf_names_every_fact_paragraph_14_asks_for():
    order = booking(participants=2)
    confirm(order)
    invoice = Invoice.objects.get()
    text = pdf_text(render_invoice_pdf(invoice))
    flat = " ".join(text.split())

    # 1. full name and address of the academy and of the recipient
    for value in ("Kreishandwerkerschaft Region Meißen", "Kerstingstraße 4", "01662 Meißen"):
        assert value in flat
    for value in ("Tischlerei Bauer GmbH", "Bernd Bauer", "Elbstraße 3", "01589 Riesa"):
        assert value in flat
    # 2. the academy's tax number or VAT id
    assert "209/123/45678" in flat
    assert "DE123456789" in flat
    # 3. issue date, 4. the number
    assert invoice.issue_date.strftime("%d.%m.%Y") in flat
    assert invoice.number in flat
    # 5. quantity and kind of the service
    first, second = participants(order)
    assert first.last_name in flat and second.last_name in flat
    assert order.course_date.course.title in flat
    assert "Menge" in flat
    # 6. time of the service
    assert "Leistungszeitraum" in flat
    assert invoice.service_start.strftime("%d.%m.%Y") in flat
    # 7./8. amount by rate, and the exemption
    assert "480,00 €" in flat
    assert "§ 4 Nr. 21" in flat
    # payment terms and bank details
    assert invoice.due_date.strftime("%d.%m.%Y") in flat
    assert "DE89 3704 0044 0532 0130 00" in flat
    assert "COBADEFFXXX" in flat
    assert "Sparkasse Meißen" in flat
    # the recipient's own VAT id and order reference
    assert "DE987654321" in flat
    assert "B-2026-17" in flat


def test_the_pdf_keeps_the_academy_data_of_the_day_it_was_issued():
    order = booking(participants=1)
    confirm(order)
    academy_settings(iban="DE02120300000000202051")
    text = pdf_text(render_invoice_pdf(Invoice.objects.get()))
    assert "DE89 3704 0044 0532 0130 00" in text


# --- credit notes -----------------------------------------------------------------


def test_a_cancellation_with_a_fee_credits_the_price_less_the_fee():
    order = booking(participants=3)
    confirm(order)
    original = Invoice.objects.get()
    leaving = participants(order)[1]

    cancel(order, leaving, fee="60.00")

    note = Invoice.objects.credit_notes().get()
    assert note.corrects == original
    assert note.gross_total == Decimal("-180.00")
    reversal, fee = note.lines.all()
    assert reversal.kind == "reversal" and reversal.gross == Decimal("-240.00")
    assert reversal.reverses == original.lines.get(enrolment=leaving)
    assert fee.kind == "fee" and fee.gross == Decimal("60.00")
    original.refresh_from_db()
    assert original.state == Invoice.State.OPEN
    assert original.outstanding() == Decimal("540.00")
    text = " ".join(pdf_text(render_invoice_pdf(note)).split())
    assert "Stornorechnung" in text
    assert f"korrigiert die Rechnung {original.number}" in text
    assert "-180,00 €" in text
    mail = invoice_mails().last()
    assert mail.kind == "credit_note"
    assert original.number in mail.subject
    assert "180,00 €" in mail.text


def test_the_academy_cancelling_credits_in_full_whatever_the_fee():
    order = booking(participants=1)
    confirm(order)
    original = Invoice.objects.get()
    cancel(order, participants(order)[0], fee="240.00", by_academy=True)

    note = Invoice.objects.credit_notes().get()
    assert note.gross_total == Decimal("-240.00")
    assert [line.kind for line in note.lines.all()] == ["reversal"]
    original.refresh_from_db()
    assert original.state == Invoice.State.CANCELLED
    assert original.outstanding() == Decimal("0.00")


def test_a_fee_of_the_whole_price_leaves_nothing_to_credit():
    order = booking(participants=1)
    confirm(order)
    cancel(order, participants(order)[0], fee="240.00")
    assert not Invoice.objects.credit_notes().exists()
    assert Invoice.objects.get().state == Invoice.State.OPEN


def test_a_line_is_credited_once_and_unbilled_people_not_at_all():
    order = booking(participants=2)
    first, second = participants(order)
    second.status = "waitlisted"
    second.save()
    confirm(order, [first])
    cancel(order, first)
    cancel(order, first)
    cancel(order, second)  # on the waitlist: never billed
    assert Invoice.objects.credit_notes().count() == 1


def test_a_substitute_cancelled_later_credits_the_original_line():
    order = booking(participants=1)
    confirm(order)
    (first,) = participants(order)
    substitute = booking(order.course_date, participants=1, start=300)
    newcomer = participants(substitute)[0]
    newcomer.booking = order
    newcomer.save()
    first.status = "cancelled"
    first.replaced_by = newcomer
    first.save()

    cancel(order, newcomer, fee="0")
    note = Invoice.objects.credit_notes().get()
    assert note.lines.get(kind="reversal").reverses.enrolment == first


def test_a_credit_note_on_a_taxed_invoice_reverses_the_tax():
    date = course_date(paid_course("119.00", vat_treatment="taxed_19"))
    order = booking(date, participants=1, unit_price="119.00", vat_rate="19")
    confirm(order)
    cancel(order, participants(order)[0], fee="59.50")
    note = Invoice.objects.credit_notes().get()
    assert note.gross_total == Decimal("-59.50")
    assert note.net_total == Decimal("-50.00")
    assert note.vat_total == Decimal("-9.50")


# --- immutable --------------------------------------------------------------------


def test_an_issued_invoice_cannot_be_changed_or_deleted():
    order = booking(participants=1)
    confirm(order)
    invoice = Invoice.objects.get()

    invoice.gross_total = Decimal("1.00")
    with pytest.raises(ImmutableInvoiceError):
        invoice.save()
    with pytest.raises(ImmutableInvoiceError):
        invoice.save(update_fields=["gross_total"])
    with pytest.raises(ImmutableInvoiceError):
        Invoice.objects.filter(pk=invoice.pk).update(recipient_name="Jemand")
    with pytest.raises(ImmutableInvoiceError):
        invoice.delete()
    with pytest.raises(ImmutableInvoiceError):
        Invoice.objects.all().delete()
    line = invoice.lines.get()
    line.gross = Decimal("1.00")
    with pytest.raises(ImmutableInvoiceError):
        line.save()
    with pytest.raises(ImmutableInvoiceError):
        line.delete()
    with pytest.raises(ImmutableInvoiceError):
        InvoiceLine.objects.update(gross=Decimal("1.00"))

    fresh = Invoice.objects.get()
    assert fresh.gross_total == Decimal("240.00")
    assert fresh.lines.get().gross == Decimal("240.00")
    # what happens after issuing may be recorded
    fresh.state = Invoice.State.PAID
    fresh.paid_at = timezone.localdate()
    fresh.save(update_fields=["state", "paid_at"])
    assert Invoice.objects.get().state == Invoice.State.PAID


# --- payment reminders ------------------------------------------------------------


def test_reminders_go_once_per_stage_after_the_days_set():
    order = booking(participants=1)
    confirm(order)
    invoice = Invoice.objects.get()
    due = invoice.due_date

    assert invoicing.send_payment_reminders(today=due + timedelta(days=9)) == 0
    assert invoicing.send_payment_reminders(today=due + timedelta(days=10)) == 1
    assert invoicing.send_payment_reminders(today=due + timedelta(days=11)) == 0
    assert invoicing.send_payment_reminders(today=due + timedelta(days=20)) == 1
    assert invoicing.send_payment_reminders(today=due + timedelta(days=60)) == 0

    reminders = OutgoingMail.objects.filter(kind="invoice_reminder")
    assert reminders.count() == 2
    assert all(invoice.number in mail.subject for mail in reminders)
    assert "240,00 €" in reminders.first().text
    invoice.refresh_from_db()
    assert invoice.reminder_stage == 2
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(action="enrolment.invoice_reminder").count() == 2


def test_paid_and_fully_credited_invoices_get_no_reminder():
    paid = booking(participants=1)
    confirm(paid)
    credited = booking(paid.course_date, participants=1, start=200)
    confirm(credited)
    paid_invoice, credited_invoice = Invoice.objects.order_by("pk")
    invoicing.mark_paid(paid_invoice.pk, timezone.localdate())
    cancel(credited, participants(credited)[0], by_academy=True)

    later = paid_invoice.due_date + timedelta(days=30)
    assert invoicing.send_payment_reminders(today=later) == 0
    assert not OutgoingMail.objects.filter(kind="invoice_reminder").exists()


def test_the_reminder_command_runs_the_same(capsys):
    from django.core.management import call_command

    order = booking(participants=1)
    confirm(order)
    call_command("send_invoice_reminders")
    assert "0" in capsys.readouterr().out
    assert not OutgoingMail.objects.filter(kind="invoice_reminder").exists()


# --- through the booking services -------------------------------------------------


def test_a_group_booking_confirmed_by_its_booker_is_invoiced_and_mailed_with_the_pdf(
    django_capture_on_commit_callbacks,
):
    from enrolment import bookings

    date = course_date(paid_course("200.00"), capacity=10, days=40)
    academy_settings()
    booker = {
        "first_name": "Karl",
        "last_name": "Meister",
        "email": "buero@tischlerei-meister.de",
        "company": "Tischlerei Meister GmbH",
        "street": "Elbstraße 3",
        "postcode": "01662",
        "city": "Meißen",
        "order_reference": "Azubi-2027",
    }
    crew = [
        {
            "first_name": "Lea",
            "last_name": "Azubi",
            "email": "lea@example.org",
            "role": "apprentice",
        },
        {"first_name": "Tom", "last_name": "Lehrling", "email": "", "role": "apprentice"},
        {
            "first_name": "Ida",
            "last_name": "Gesellin",
            "email": "ida@example.org",
            "role": "journeyman",
        },
    ]
    with django_capture_on_commit_callbacks(execute=True):
        order = bookings.request_booking(date.pk, booker, crew).booking
    with django_capture_on_commit_callbacks(execute=True):
        bookings.confirm_booking(order.pk)

    invoice = Invoice.objects.get()
    assert invoice.booking == order
    assert invoice.gross_total == Decimal("600.00")
    assert invoice.lines.count() == 3
    assert "Tom Lehrling" in " ".join(invoice.lines.values_list("description", flat=True))
    (mail,) = invoice_mails()
    assert mail.to == "buero@tischlerei-meister.de"
    text = " ".join(pdf_text(attachment(mail)).split())
    assert invoice.number in text and "Tischlerei Meister GmbH" in text
    assert "Azubi-2027" in text

    # one apprentice cancelled later, 20 days before the start: the terms' fee is kept
    lea = order.enrolments.get(first_name="Lea")
    when = date.start - timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel_participants(order.pk, [lea.pk], now=when)
    lea.refresh_from_db()
    note = Invoice.objects.credit_notes().get()
    assert note.gross_total == -(Decimal("200.00") - lea.cancellation_fee)
    assert note.corrects == invoice
    assert invoice_mails().last().kind == "credit_note"
