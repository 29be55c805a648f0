"""Bookings: a business, a guild office or a private person books one or more people
onto one date, confirms once, and manages them afterwards.

Seats follow the rules of ``enrolment.services``: the date row is locked first, then
the booking, then its enrolments; all of a booking's participants are placed in one
transaction, so a booking is never half applied. When not all fit, nothing happens
until the booker chooses: everyone on the waitlist (they move up only together), or
as many as are free and the rest on the waitlist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import pricing
from courses.models import CourseDate

from . import services, signals, terms, withdrawal
from .mail import queue_booking_mail, queue_mail
from .models import Booking, Enrolment, normalise_email, pending_lifetime
from .services import EnrolmentError

#: the most people one booking may name
MAX_PARTICIPANTS = 20

WAITLIST_ALL = "waitlist_all"
SPLIT = "split"
CHOICES = (WAITLIST_ALL, SPLIT)

#: the consent a consumer gives when the date starts within the withdrawal period
WITHDRAWAL_CONSENT_VERSION = withdrawal.CONSENT_VERSION
WITHDRAWAL_DAYS = 14

BOOKER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "street",
    "postcode",
    "city",
    "vat_id",
    "order_reference",
)


@dataclass
class BookingOutcome:
    booking: Booking
    #: "created", "confirmed" (everyone placed), "choose" (not all fit: ask), "already",
    #: "expired", "closed"
    result: str
    confirmed: list[Enrolment] = field(default_factory=list)
    waitlisted: list[Enrolment] = field(default_factory=list)
    free_seats: int = 0


def needs_withdrawal_consent(course_date, now=None) -> bool:
    """The date starts before a consumer's 14-day withdrawal period would end."""
    now = now or timezone.now()
    return terms.days_before(course_date.start, now) <= WITHDRAWAL_DAYS


def price_for(course_date, *, member: bool, now=None) -> pricing.PriceQuote:
    now = now or timezone.now()
    return pricing.quote(course_date, member=member, on=terms.local_day(now))


def _participant_values(booking: Booking, person: dict) -> dict:
    return {
        "first_name": person["first_name"],
        "last_name": person["last_name"],
        "email": normalise_email(person.get("email") or ""),
        "role": person.get("role") or Enrolment.Role.APPRENTICE,
        "company": booking.company,
        "postcode": booking.postcode,
        "billing": Enrolment.Billing.PRIVATE if booking.is_consumer else Enrolment.Billing.COMPANY,
        "phone": "",
        "trade": "",
        "remarks": "",
    }


def request_booking(
    course_date_id: int,
    booker: dict,
    participants: list[dict],
    *,
    guild=None,
    is_consumer: bool = False,
    withdrawal_consent: bool = False,
    verified: bool = False,
    now=None,
) -> BookingOutcome:
    """Store a pending booking with its participants and mail the booker the one
    confirmation link. People already on the date (same address) are not booked
    twice; the booker learns which by mail, nobody else.

    ``verified``: the booker's address is proven (a learner signed in by a link sent
    to it); no mail, the caller confirms at once."""
    now = now or timezone.now()
    if not 1 <= len(participants) <= MAX_PARTICIPANTS:
        raise EnrolmentError(
            _("Bitte nennen Sie mindestens eine und höchstens %(max)d Personen.")
            % {"max": MAX_PARTICIPANTS}
        )
    with transaction.atomic():
        course_date = CourseDate.objects.select_related("course").get(pk=course_date_id)
        reason = services.closed_reason(course_date, now)
        if reason:
            raise EnrolmentError(reason)
        quote = price_for(course_date, member=guild is not None, now=now)
        applicable = terms.for_date(course_date)
        booking = Booking(
            course_date=course_date,
            guild=guild,
            is_consumer=is_consumer,
            unit_price=quote.amount,
            price_kind=quote.kind,
            vat_rate=pricing.vat_rate(course_date.course),
            privacy_version=services.privacy_version(),
            terms_version=applicable.version,
            created_at=now,
            **{name: (booker.get(name) or "").strip() for name in BOOKER_FIELDS},
        )
        if is_consumer and withdrawal_consent and not quote.is_free:
            booking.withdrawal_consent_at = now
            booking.withdrawal_consent_version = WITHDRAWAL_CONSENT_VERSION
        booking.save()
        skipped = []
        for person in participants:
            values = _participant_values(booking, person)
            email = values["email"]
            if email:
                services._expire_stale_pending(course_date, email, now)
                if Enrolment.objects.active().filter(course_date=course_date, email=email).exists():
                    skipped.append(f"{values['first_name']} {values['last_name']}")
                    continue
            Enrolment.objects.create(
                course_date=course_date,
                booking=booking,
                price=quote.amount,
                privacy_version=booking.privacy_version,
                created_at=now,
                **values,
            )
        if not verified:
            queue_booking_mail("booking_confirm_request", booking, skipped=skipped)
    return BookingOutcome(booking, "created")


def is_expired(booking: Booking, now=None) -> bool:
    now = now or timezone.now()
    return (
        booking.status == Booking.Status.PENDING and now >= booking.created_at + pending_lifetime()
    )


def _lock_booking(booking_id: int) -> tuple[CourseDate, Booking, list[Enrolment]]:
    course_date_id = (
        Booking.objects.filter(pk=booking_id).values_list("course_date_id", flat=True).get()
    )
    course_date = services.lock_date(course_date_id)
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    people = list(booking.enrolments.select_for_update().order_by("pk"))
    return course_date, booking, people


def confirm_booking(booking_id: int, *, choice: str | None = None, now=None) -> BookingOutcome:
    """The booker pressed the button: place everyone, or ask first when not all fit.

    ``choice`` (only asked for when some but not all fit): ``WAITLIST_ALL`` or ``SPLIT``.
    Confirming twice is harmless."""
    with transaction.atomic():
        course_date, booking, people = _lock_booking(booking_id)
        now = now or timezone.now()
        if booking.status != Booking.Status.PENDING:
            return BookingOutcome(booking, "already")
        pending = [e for e in people if e.status == Enrolment.Status.PENDING]
        if is_expired(booking, now):
            booking.status = Booking.Status.EXPIRED
            booking.save(update_fields=["status"])
            for enrolment in pending:
                enrolment.status = Enrolment.Status.EXPIRED
                enrolment.save(update_fields=["status"])
            return BookingOutcome(booking, "expired")
        if course_date.status == CourseDate.Status.CANCELLED or course_date.start <= now:
            return BookingOutcome(booking, "closed")
        free = max(course_date.capacity - course_date.seats_confirmed, 0)
        if 0 < free < len(pending) and choice not in CHOICES:
            return BookingOutcome(booking, "choose", free_seats=free)
        if free < len(pending) and (choice == WAITLIST_ALL or free == 0):
            booking.keep_together = len(pending) > 1
        confirmed, waitlisted = [], []
        for enrolment in pending:
            enrolment.email_confirmed_at = now
            if booking.keep_together:
                result = _waitlist(course_date, enrolment)
            else:
                result = services._allocate(course_date, enrolment, now)
            enrolment.save(
                update_fields=[
                    "status",
                    "email_confirmed_at",
                    "seat_confirmed_at",
                    "waitlist_position",
                ]
            )
            (confirmed if result == "confirmed" else waitlisted).append(enrolment)
            signals.enrolment_confirmed.send(sender=Enrolment, enrolment=enrolment)
            if enrolment.email and enrolment.email != booking.email:
                queue_mail(result, enrolment)
        booking.status = Booking.Status.CONFIRMED
        booking.confirmed_at = now
        booking.save(update_fields=["status", "confirmed_at", "keep_together"])
        queue_booking_mail("booking_confirmed", booking)
        signals.send_after_commit(
            signals.booking_confirmed, booking=booking, enrolments=list(confirmed)
        )
        return BookingOutcome(booking, "confirmed", confirmed, waitlisted, free_seats=free)


def _waitlist(course_date: CourseDate, enrolment: Enrolment) -> str:
    from django.db.models import Max

    last = course_date.enrolments.filter(status=Enrolment.Status.WAITLISTED).aggregate(
        last=Max("waitlist_position")
    )["last"]
    enrolment.status = Enrolment.Status.WAITLISTED
    enrolment.waitlist_position = (last or 0) + 1
    enrolment.seat_confirmed_at = None
    return "waitlisted"


def cancellation_fee(enrolment: Enrolment, now=None) -> Decimal:
    """What cancelling this participant now would cost (shown before the person
    confirms, stored when they do). Only a held seat costs a fee."""
    now = now or timezone.now()
    if enrolment.status not in Enrolment.SEAT_STATUSES or enrolment.booking_id is None:
        return Decimal("0.00")
    price = enrolment.price if enrolment.price is not None else enrolment.booking.unit_price
    return terms.fee(price, enrolment.course_date.start, now, terms.for_date(enrolment.course_date))


def can_change(booking: Booking, now=None) -> bool:
    """The booker may still swap or cancel participants: confirmed, before the start."""
    now = now or timezone.now()
    return booking.status == Booking.Status.CONFIRMED and booking.course_date.start > now


def cancel_participants(booking_id: int, enrolment_ids, *, now=None) -> list[services.Outcome]:
    """The booker cancels some or all participants; each pays the fee of the terms."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("course_date").get(pk=booking_id)
    if not can_change(booking, now):
        raise EnrolmentError(_("Diese Buchung kann nicht mehr geändert werden."))
    wanted = set(
        booking.enrolments.active().filter(pk__in=list(enrolment_ids)).values_list("pk", flat=True)
    )
    if not wanted:
        raise EnrolmentError(_("Bitte wählen Sie mindestens eine Person aus."))
    with transaction.atomic():
        # the waitlisted first, so that nobody of this booking moves up onto a seat
        # that is given up a moment later (and would cost a fee)
        order = {Enrolment.Status.WAITLISTED: 0, Enrolment.Status.PENDING: 0}
        people = booking.enrolments.filter(pk__in=wanted).values_list("pk", "status")
        ordered = sorted(people, key=lambda row: (order.get(row[1], 1), row[0]))
        outcomes = [services.cancel(pk, now=now) for pk, _status in ordered]
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if not booking.enrolments.active().exists() and booking.status == Booking.Status.CONFIRMED:
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at"])
        queue_booking_mail("booking_cancelled", booking, cancelled=[o.enrolment for o in outcomes])
    return outcomes


def swap_participant(enrolment_id: int, person: dict, *, now=None) -> Enrolment:
    """Someone else takes this participant's place (seat or waitlist place, and price),
    without a fee, until the start if the terms allow it."""
    now = now or timezone.now()
    email = normalise_email(person.get("email") or "")
    with transaction.atomic():
        booking_id = (
            Enrolment.objects.filter(pk=enrolment_id).values_list("booking_id", flat=True).get()
        )
        if booking_id is None:
            raise EnrolmentError(_("Diese Anmeldung gehört zu keiner Buchung."))
        course_date, booking, people = _lock_booking(booking_id)
        old = next(e for e in people if e.pk == enrolment_id)
        if not can_change(booking, now) or old.status not in (
            Enrolment.Status.CONFIRMED,
            Enrolment.Status.WAITLISTED,
        ):
            raise EnrolmentError(_("Für diese Person kann niemand mehr nachbenannt werden."))
        if not terms.for_date(course_date).substitute_allowed:
            raise EnrolmentError(
                _("Nach den Buchungsbedingungen dieses Kurses ist keine Ersatzperson möglich.")
            )
        if (
            email
            and Enrolment.objects.active().filter(course_date=course_date, email=email).exists()
        ):
            raise EnrolmentError(
                _("Diese Person ist für den Termin schon angemeldet oder vorgemerkt.")
            )
        values = _participant_values(booking, person)
        status, position = old.status, old.waitlist_position
        old.status = Enrolment.Status.CANCELLED
        old.cancelled_at = now
        old.cancelled_by = Enrolment.CancelledBy.SUBSTITUTED
        old.waitlist_position = None
        old.save(update_fields=["status", "cancelled_at", "cancelled_by", "waitlist_position"])
        new = Enrolment.objects.create(
            course_date=course_date,
            booking=booking,
            price=old.price,
            privacy_version=services.privacy_version(),
            status=status,
            waitlist_position=position,
            created_at=now,
            email_confirmed_at=now,
            seat_confirmed_at=now if status == Enrolment.Status.CONFIRMED else None,
            **values,
        )
        Enrolment.objects.filter(pk=old.pk).update(replaced_by=new)
        signals.seats_changed.send(sender=Enrolment, email=old.email)
        signals.enrolment_confirmed.send(sender=Enrolment, enrolment=new)
        signals.seats_changed.send(sender=Enrolment, email=new.email)
        if new.email and new.email != booking.email:
            queue_mail("confirmed" if status == Enrolment.Status.CONFIRMED else "waitlisted", new)
        queue_booking_mail("booking_changed", booking, swapped=(old, new))
        return new


def create_for_single(enrolment_data: dict, course_date: CourseDate, *, now) -> Booking | None:
    """The single-person form: a booking with that one person as booker, for a
    date that costs money (free dates need no invoice)."""
    quote = price_for(course_date, member=False, now=now)
    if quote.is_free:
        return None
    return Booking.objects.create(
        course_date=course_date,
        first_name=enrolment_data.get("first_name") or "",
        last_name=enrolment_data.get("last_name") or "",
        email=normalise_email(enrolment_data.get("email") or ""),
        phone=enrolment_data.get("phone") or "",
        company=enrolment_data.get("company") or "",
        postcode=enrolment_data.get("postcode") or "",
        is_consumer=enrolment_data.get("billing") != Enrolment.Billing.COMPANY,
        unit_price=quote.amount,
        price_kind=quote.kind,
        vat_rate=pricing.vat_rate(course_date.course),
        privacy_version=services.privacy_version(),
        terms_version=terms.for_date(course_date).version,
        created_at=now,
    )


def pending_hours() -> int:
    return settings.ENROLMENT_PENDING_HOURS
