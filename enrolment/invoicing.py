"""Invoices for bookings: issued, corrected, mailed, paid and reminded.

The booking services announce what happened (``enrolment.signals``, after their
transaction committed); the receivers here turn that into documents:

- a booking confirmed → one invoice listing each participant who holds a seat
  (those on the waitlist pay nothing yet);
- a participant of a booking getting a seat later → an invoice for that person;
- a billed participant cancelled → a credit note (``Stornorechnung``) reversing the
  line, with the cancellation fee that applied as a line of its own (none when the
  academy cancelled). When the fee is the whole price there is nothing to credit.

Free bookings get no invoice. Each invoice is stored with its lines and queued as a
mail with its PDF (for businesses a ZUGFeRD/Factur-X PDF with the XML inside) in one
transaction; the outbox sends it after commit. Every step is idempotent: a person
already billed is never billed twice, a line is reversed at most once.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.pricing import VAT_NOTES, split_gross, vat_note, vat_rate

from .invoice_models import (
    ZERO,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceSettings,
)
from .models import MAIL_KINDS, Booking, Enrolment

logger = logging.getLogger(__name__)

MAIL_KINDS_INVOICES = {
    "invoice": gettext_lazy("Rechnung"),
    "credit_note": gettext_lazy("Stornorechnung"),
    "invoice_reminder": gettext_lazy("Zahlungserinnerung"),
}
REMINDER_STAGES = 2


# --- the academy's data -----------------------------------------------------------


def _default_site():
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).first()


def invoice_settings() -> InvoiceSettings:
    site = _default_site()
    if site is None:
        return InvoiceSettings()
    return InvoiceSettings.for_site(site)


def issuer_snapshot() -> dict:
    """The academy as the invoice names it: copied into every invoice when issued."""
    from home.models import SiteSettings

    site = _default_site()
    contact = SiteSettings.for_site(site) if site else SiteSettings()
    billing = invoice_settings()
    return {
        "name": contact.organisation,
        "street": contact.street,
        "postcode_city": contact.postcode_city,
        "phone": contact.phone,
        "email": contact.email,
        "tax_number": billing.tax_number,
        "vat_id": billing.vat_id,
        "bank_name": billing.bank_name,
        "iban": billing.iban,
        "bic": billing.bic,
    }


# --- numbers ----------------------------------------------------------------------


def next_number(year: int, prefix: str) -> str:
    """The next number of ``year``'s series. Call inside the transaction that stores
    the invoice: the counter row stays locked until it ends, and a rollback gives the
    number back."""
    # the year's row, made once (a concurrent first issue of the year finds it made)
    InvoiceCounter.objects.bulk_create([InvoiceCounter(year=year)], ignore_conflicts=True)
    counter = InvoiceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{year}-{counter.last:05d}"


# --- issuing ----------------------------------------------------------------------


@dataclass
class LineDraft:
    description: str
    gross: Decimal  # for the whole line, signed
    vat_rate: Decimal
    kind: str = InvoiceLine.Kind.SEAT
    quantity: Decimal = Decimal("1")
    enrolment: Enrolment | None = None
    reverses: InvoiceLine | None = None


@dataclass
class InvoiceDraft:
    course_date: object
    recipient: dict
    lines: list[LineDraft]
    vat_note: str
    kind: str = Invoice.Kind.INVOICE
    booking: Booking | None = None
    corrects: Invoice | None = None
    issue_date: object = None
    extra: dict = field(default_factory=dict)


def service_period(course_date):
    return (
        timezone.localtime(course_date.start).date(),
        timezone.localtime(course_date.end).date(),
    )


def issue(draft: InvoiceDraft) -> Invoice:
    """Store one invoice with its lines under the next number (atomic)."""
    issue_date = draft.issue_date or timezone.localdate()
    settings = invoice_settings()
    start, end = service_period(draft.course_date)
    with transaction.atomic():
        number = next_number(issue_date.year, settings.number_prefix)
        lines = []
        for draft_line in draft.lines:
            net, vat = split_gross(abs(draft_line.gross), draft_line.vat_rate)
            sign = -1 if draft_line.gross < 0 else 1
            lines.append((draft_line, sign * net, sign * vat))
        net_total = sum((net for _line, net, _vat in lines), ZERO)
        vat_total = sum((vat for _line, _net, vat in lines), ZERO)
        invoice = Invoice.objects.create(
            number=number,
            kind=draft.kind,
            corrects=draft.corrects,
            issue_date=issue_date,
            service_start=start,
            service_end=end,
            course_date=draft.course_date,
            booking=draft.booking,
            issuer=issuer_snapshot(),
            net_total=net_total,
            vat_total=vat_total,
            gross_total=net_total + vat_total,
            vat_note=draft.vat_note,
            due_date=issue_date + timedelta(days=settings.payment_term_days),
            **draft.recipient,
        )
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=invoice,
                    position=position,
                    kind=line.kind,
                    description=line.description[:400],
                    quantity=line.quantity,
                    unit_price=(line.gross / line.quantity).quantize(Decimal("0.01")),
                    vat_rate=line.vat_rate,
                    net=net,
                    vat=vat,
                    gross=net + vat,
                    enrolment=line.enrolment,
                    reverses=line.reverses,
                )
                for position, (line, net, vat) in enumerate(lines, start=1)
            ]
        )
    return invoice


def recipient_of(booking: Booking) -> dict:
    return {
        "recipient_name": booking.booker_name,
        "recipient_company": booking.company,
        "recipient_street": booking.street,
        "recipient_postcode": booking.postcode,
        "recipient_city": booking.city,
        "recipient_email": booking.email,
        "recipient_vat_id": booking.vat_id,
        "order_reference": booking.order_reference,
        "is_consumer": booking.is_consumer,
    }


def dates_text(course_date) -> str:
    start, end = service_period(course_date)
    if start == end:
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def seat_description(enrolment: Enrolment) -> str:
    course_date = enrolment.course_date
    return _("Teilnahme an „%(course)s“ am %(dates)s: %(name)s") % {
        "course": course_date.course.title,
        "dates": dates_text(course_date),
        "name": f"{enrolment.first_name} {enrolment.last_name}".strip(),
    }


def booking_vat(booking: Booking) -> tuple[Decimal, str]:
    """The VAT rate fixed when the booking was made, and the wording that goes with it."""
    rate = Decimal(booking.vat_rate or 0)
    course = booking.course_date.course
    if vat_rate(course) == rate:
        return rate, vat_note(course)
    if rate:
        return rate, _("Im Preis sind %(rate)s %% Umsatzsteuer enthalten.") % {
            "rate": f"{rate.normalize():f}"
        }
    return rate, VAT_NOTES["exempt_21"]


def price_of(enrolment: Enrolment, booking: Booking) -> Decimal:
    return enrolment.price if enrolment.price is not None else booking.unit_price


def invoice_participants(booking_id: int, enrolment_ids) -> Invoice | None:
    """Bill the given participants of a booking who hold a seat and are not billed yet
    (one invoice for all of them). None when there is nothing to bill."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("course_date__course")
            .filter(pk=booking_id)
            .first()
        )
        if booking is None:
            return None
        rate, note = booking_vat(booking)
        enrolments = (
            booking.enrolments.filter(pk__in=list(enrolment_ids))
            .filter(status__in=Enrolment.SEAT_STATUSES)
            .exclude(invoice_lines__kind=InvoiceLine.Kind.SEAT)
            .select_related("course_date__course")
            .order_by("pk")
        )
        lines = [
            LineDraft(seat_description(e), price_of(e, booking), rate, enrolment=e)
            for e in enrolments
            if price_of(e, booking) > ZERO
        ]
        if not lines:
            return None
        invoice = issue(
            InvoiceDraft(
                course_date=booking.course_date,
                recipient=recipient_of(booking),
                lines=lines,
                vat_note=note,
                booking=booking,
            )
        )
        queue_invoice_mail(invoice)
    return invoice


def _billed_line(enrolment: Enrolment) -> InvoiceLine | None:
    """The seat line that bills this person: theirs, or that of the person they
    replaced as a substitute (the seat and its price carried over)."""
    seen = set()
    current = enrolment
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        line = (
            InvoiceLine.objects.filter(enrolment=current, kind=InvoiceLine.Kind.SEAT)
            .select_related("invoice")
            .order_by("-pk")
            .first()
        )
        if line is not None:
            return line
        current = Enrolment.objects.filter(replaced_by=current).first()
    return None


def credit_participant(
    booking_id: int, enrolment_id: int, fee: Decimal = ZERO, by_academy: bool = False
) -> Invoice | None:
    """A credit note for a cancelled participant's line, less the fee that applied.
    None when the person was never billed, was credited already, or owes the whole
    price as fee."""
    fee = ZERO if by_academy else Decimal(fee or 0).quantize(Decimal("0.01"))
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("course_date__course")
            .filter(pk=booking_id)
            .first()
        )
        enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
        if booking is None or enrolment is None:
            return None
        line = _billed_line(enrolment)
        if line is None or InvoiceLine.objects.filter(reverses=line).exists():
            return None
        fee = min(max(fee, ZERO), line.gross)
        if fee >= line.gross:
            return None
        original = line.invoice
        lines = [
            LineDraft(
                _("Storno Pos. %(position)s: %(description)s")
                % {"position": line.position, "description": line.description},
                -line.gross,
                line.vat_rate,
                kind=InvoiceLine.Kind.REVERSAL,
                enrolment=line.enrolment,
                reverses=line,
            )
        ]
        if fee:
            lines.append(
                LineDraft(
                    _("Stornogebühr nach den Buchungsbedingungen"),
                    fee,
                    line.vat_rate,
                    kind=InvoiceLine.Kind.FEE,
                    enrolment=line.enrolment,
                )
            )
        recipient = {
            name: getattr(original, name)
            for name in (
                "recipient_name",
                "recipient_company",
                "recipient_street",
                "recipient_postcode",
                "recipient_city",
                "recipient_country",
                "recipient_email",
                "recipient_vat_id",
                "order_reference",
                "is_consumer",
            )
        }
        credit_note = issue(
            InvoiceDraft(
                course_date=original.course_date,
                recipient=recipient,
                lines=lines,
                vat_note=original.vat_note,
                kind=Invoice.Kind.CREDIT_NOTE,
                booking=booking,
                corrects=original,
            )
        )
        original = Invoice.objects.select_for_update().get(pk=original.pk)
        if original.state == Invoice.State.OPEN and original.credited() >= original.gross_total:
            original.state = Invoice.State.CANCELLED
            original.save(update_fields=["state"])
        queue_invoice_mail(credit_note)
    return credit_note


# --- mail -------------------------------------------------------------------------


def attachments_of(invoice: Invoice) -> list[dict]:
    from .einvoice import hybrid_pdf
    from .invoice_pdf import render_invoice_pdf

    pdf = render_invoice_pdf(invoice)
    if not invoice.is_consumer:
        pdf = hybrid_pdf(invoice, pdf)
    return [
        {
            "filename": pdf_filename(invoice),
            "mimetype": "application/pdf",
            "content": base64.b64encode(pdf).decode("ascii"),
        }
    ]


def pdf_filename(invoice: Invoice) -> str:
    stem = "stornorechnung" if invoice.is_credit_note else "rechnung"
    return f"{stem}-{invoice.number}.pdf"


def _mail_context(invoice: Invoice, **extra) -> dict:
    return {
        "invoice": invoice,
        "course": invoice.course_date.course,
        "course_date": invoice.course_date,
        "dates": dates_text(invoice.course_date),
        "issuer": invoice.issuer,
        "credit_amount": -invoice.gross_total,
        **extra,
    }


def queue_invoice_mail(invoice: Invoice):
    """The invoice (or credit note) with its PDF to the booker, via the outbox."""
    from .mail import queue_message

    if not invoice.recipient_email:
        return None
    kind = "credit_note" if invoice.is_credit_note else "invoice"
    if invoice.is_credit_note:
        subject = _("Stornorechnung %(number)s zu Rechnung %(original)s") % {
            "number": invoice.number,
            "original": invoice.corrects.number,
        }
    else:
        subject = _("Ihre Rechnung %(number)s: %(course)s") % {
            "number": invoice.number,
            "course": invoice.course_date.course.title,
        }
    context = _mail_context(invoice)
    return queue_message(
        kind,
        invoice.recipient_email,
        subject,
        text=render_to_string("enrolment/invoices/mail_invoice.txt", context),
        attachments=attachments_of(invoice),
    )


# --- staff ------------------------------------------------------------------------


class InvoiceError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def mark_paid(invoice_id: int, paid_on, user=None) -> Invoice:
    """Record the payment of an open invoice (logged with who and when)."""
    from wagtail.log_actions import log

    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        if invoice.is_credit_note:
            raise InvoiceError(_("Eine Stornorechnung wird nicht bezahlt."))
        if invoice.state != Invoice.State.OPEN:
            raise InvoiceError(_("Diese Rechnung ist nicht mehr offen."))
        if paid_on < invoice.issue_date:
            raise InvoiceError(_("Der Zahlungseingang kann nicht vor dem Rechnungsdatum liegen."))
        if paid_on > timezone.localdate():
            raise InvoiceError(_("Der Zahlungseingang kann nicht in der Zukunft liegen."))
        invoice.state = Invoice.State.PAID
        invoice.paid_at = paid_on
        invoice.save(update_fields=["state", "paid_at"])
        log(
            instance=invoice,
            action="enrolment.invoice_paid",
            user=user,
            data={"paid_at": paid_on.isoformat()},
        )
    return invoice


# --- payment reminders ------------------------------------------------------------


def send_payment_reminders(*, today=None) -> int:
    """Remind the bookers of unpaid invoices: first ``reminder_days`` after the due
    date, again after twice as many days; each stage once per invoice. Runs twice
    safely (a stage is claimed with a conditional update before its mail is stored)."""
    from wagtail.log_actions import log

    from .mail import queue_message

    today = today or timezone.localdate()
    days = invoice_settings().reminder_days
    if not days:
        return 0
    sent = 0
    for stage in range(1, REMINDER_STAGES + 1):
        candidates = (
            Invoice.objects.overdue(today)
            .filter(reminder_stage=stage - 1, due_date__lte=today - timedelta(days=days * stage))
            .values_list("pk", flat=True)
        )
        for pk in list(candidates):
            with transaction.atomic():
                claimed = Invoice.objects.filter(
                    pk=pk, reminder_stage=stage - 1, state=Invoice.State.OPEN
                ).update(reminder_stage=stage, reminder_sent_at=timezone.now())
                if not claimed:
                    continue
                invoice = Invoice.objects.select_related("course_date__course").get(pk=pk)
                outstanding = invoice.outstanding()
                if outstanding <= ZERO or not invoice.recipient_email:
                    continue
                context = _mail_context(invoice, stage=stage, outstanding=outstanding)
                queue_message(
                    "invoice_reminder",
                    invoice.recipient_email,
                    _("Zahlungserinnerung zu Rechnung %(number)s") % {"number": invoice.number},
                    text=render_to_string("enrolment/invoices/mail_reminder.txt", context),
                    attachments=attachments_of(invoice),
                )
                log(
                    instance=invoice,
                    action="enrolment.invoice_reminder",
                    data={"stage": stage},
                )
                sent += 1
    return sent


# --- receivers (connected in EnrolmentConfig.ready) -------------------------------


def _is_free(booking) -> bool:
    return booking is None or Decimal(booking.unit_price or 0) <= ZERO


def on_booking_confirmed(sender, booking, enrolments=(), **kwargs):
    if _is_free(booking):
        return
    try:
        invoice_participants(booking.pk, [e.pk for e in enrolments])
    except Exception:  # the booking stands; staff see the missing invoice in the log
        logger.exception("Invoice for booking %s could not be issued", booking.pk)


def on_participant_confirmed(sender, booking, enrolment, **kwargs):
    if _is_free(booking):
        return
    try:
        invoice_participants(booking.pk, [enrolment.pk])
    except Exception:
        logger.exception("Invoice for enrolment %s could not be issued", enrolment.pk)


def on_participant_cancelled(sender, booking, enrolment, fee=ZERO, by_academy=False, **kwargs):
    if booking is None:
        return
    try:
        credit_participant(booking.pk, enrolment.pk, fee, by_academy)
    except Exception:
        logger.exception("Credit note for enrolment %s could not be issued", enrolment.pk)


def connect():
    from . import signals

    MAIL_KINDS.update(MAIL_KINDS_INVOICES)
    signals.booking_confirmed.connect(
        on_booking_confirmed, sender=Booking, dispatch_uid="invoice_booking_confirmed"
    )
    signals.booking_participant_confirmed.connect(
        on_participant_confirmed, sender=Booking, dispatch_uid="invoice_participant_confirmed"
    )
    signals.booking_participant_cancelled.connect(
        on_participant_cancelled, sender=Booking, dispatch_uid="invoice_participant_cancelled"
    )
