"""The rules that change enrolments and seats.

Every change of ``CourseDate.seats_confirmed`` (the seats held: confirmed,
partly attended and attended enrolments, ``Enrolment.SEAT_STATUSES``) and of a
date's cancellation happens here, in the same transaction as the enrolment rows
it counts, with the CourseDate row locked first (``select_for_update``; on SQLite
every transaction takes the write lock at BEGIN). Mail is stored in the outbox in
that transaction and sent after commit. Lock order: the CourseDate, then its
enrolments.

From the start of a date its waitlist is frozen: nobody moves up any more, and
the daily ``close_dates`` ends the remaining places with a mail.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CourseDate

from . import signals
from .mail import queue_mail
from .models import (
    PERSON_FIELDS,
    PERSONAL_FIELDS,
    Enrolment,
    anonymised_value,
    cancellation_deadline,
    normalise_email,
)

ENROLMENT_FIELDS = PERSON_FIELDS


class EnrolmentError(Exception):
    """A rule refused the change; ``message`` is fit to show to a person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Outcome:
    enrolment: Enrolment | None
    result: str  # what happened, e.g. "confirmed", "waitlisted", "already", "expired"
    #: who moved up from the waitlist onto a freed seat (each got the "promoted" mail)
    promoted: list[Enrolment] = field(default_factory=list)


def privacy_version() -> str:
    return settings.ENROLMENT_PRIVACY_VERSION


def closed_reason(course_date: CourseDate, now=None) -> str | None:
    """Why nobody can enrol for this date now, or None if enrolment is open."""
    now = now or timezone.now()
    if course_date.status == CourseDate.Status.CANCELLED:
        return str(_("Dieser Termin ist abgesagt. Eine Anmeldung ist nicht möglich."))
    if course_date.start <= now:
        return str(_("Dieser Termin hat schon begonnen. Eine Anmeldung ist nicht mehr möglich."))
    if course_date.registration_deadline and course_date.registration_deadline < now:
        return str(_("Der Anmeldeschluss für diesen Termin ist vorbei."))
    if not course_date.course.live:
        return str(_("Dieser Kurs ist nicht mehr im Programm."))
    return None


def can_cancel(enrolment: Enrolment, now=None) -> bool:
    """Participants may leave until the deadline; pending and waitlisted any time before start."""
    now = now or timezone.now()
    if not enrolment.is_active:
        return False
    if enrolment.status == Enrolment.Status.CONFIRMED:
        return now < cancellation_deadline(enrolment.course_date)
    return now < enrolment.course_date.start


def _lock_date(course_date_id: int) -> CourseDate:
    # Lock only the CourseDate row, not the joined page rows an editor may be saving.
    return (
        CourseDate.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=course_date_id)
    )


def _lock_enrolment(enrolment_id: int) -> Enrolment:
    return Enrolment.objects.select_for_update().get(pk=enrolment_id)


def _expire_stale_pending(course_date: CourseDate, email: str, now) -> None:
    cutoff = now - _pending_lifetime()
    Enrolment.objects.filter(
        course_date=course_date,
        email=email,
        status=Enrolment.Status.PENDING,
        created_at__lte=cutoff,
    ).update(status=Enrolment.Status.EXPIRED)


def _pending_lifetime():
    from .models import pending_lifetime

    return pending_lifetime()


def request_enrolment(course_date_id: int, data: dict, *, now=None, verified=False) -> Outcome:
    """The public form: store a pending enrolment and mail the confirmation link.

    A second submission for the same address and date stores nothing and
    mails the details of the existing enrolment to that address.

    ``verified``: the address is proven already (a learner signed in by a link sent to
    it enrols for themselves), so the enrolment is confirmed at once – a seat or a
    waitlist place, with its mail – instead of asking for a confirmation.
    """
    now = now or timezone.now()
    email = normalise_email(data["email"])
    with transaction.atomic():
        course_date = CourseDate.objects.select_related("course").get(pk=course_date_id)
        reason = closed_reason(course_date, now)
        if reason:
            raise EnrolmentError(reason)
        _expire_stale_pending(course_date, email, now)
        existing = Enrolment.objects.active().filter(course_date=course_date, email=email).first()
        if existing is None:
            values = {name: data.get(name) or "" for name in ENROLMENT_FIELDS}
            values["email"] = email
            try:
                with transaction.atomic():
                    from .bookings import create_for_single

                    booking = create_for_single(values, course_date, now=now)
                    enrolment = Enrolment.objects.create(
                        course_date=course_date,
                        privacy_version=privacy_version(),
                        created_at=now,
                        booking=booking,
                        price=booking.unit_price if booking else None,
                        **values,
                    )
                    if booking is not None and data.get("withdrawal_consent"):
                        from .bookings import WITHDRAWAL_CONSENT_VERSION

                        booking.withdrawal_consent_at = now
                        booking.withdrawal_consent_version = WITHDRAWAL_CONSENT_VERSION
                        booking.save(
                            update_fields=["withdrawal_consent_at", "withdrawal_consent_version"]
                        )
            except IntegrityError:
                # The same form sent twice at the same moment: the other one won.
                existing = Enrolment.objects.active().get(course_date=course_date, email=email)
            else:
                if not verified:
                    queue_mail("confirm_request", enrolment)
                    return Outcome(enrolment, "created")
                existing = enrolment
        if not verified:
            pending = existing.status == Enrolment.Status.PENDING
            queue_mail("confirm_request" if pending else "already_enrolled", existing)
            return Outcome(existing, "duplicate")
    # a proven address: confirmed now (outside the transaction above: confirm() locks
    # the date first, as every seat change does)
    if existing.status == Enrolment.Status.PENDING:
        return confirm(existing.pk, now=now)
    return Outcome(existing, "already")


def _allocate(course_date: CourseDate, enrolment: Enrolment, now) -> str:
    """Give ``enrolment`` a seat or a waitlist place. The date must be locked."""
    if course_date.seats_confirmed < course_date.capacity:
        CourseDate.objects.filter(pk=course_date.pk).update(
            seats_confirmed=F("seats_confirmed") + 1
        )
        course_date.seats_confirmed += 1
        enrolment.status = Enrolment.Status.CONFIRMED
        enrolment.seat_confirmed_at = now
        enrolment.waitlist_position = None
        return "confirmed"
    last = course_date.enrolments.filter(status=Enrolment.Status.WAITLISTED).aggregate(
        last=Max("waitlist_position")
    )["last"]
    enrolment.status = Enrolment.Status.WAITLISTED
    enrolment.waitlist_position = (last or 0) + 1
    return "waitlisted"


def _close_waitlist_gap(course_date: CourseDate, position: int | None) -> None:
    if position is None:
        return
    # Ascending order keeps every intermediate state free of duplicates.
    for pk in (
        course_date.enrolments.filter(
            status=Enrolment.Status.WAITLISTED, waitlist_position__gt=position
        )
        .order_by("waitlist_position")
        .values_list("pk", flat=True)
    ):
        Enrolment.objects.filter(pk=pk).update(waitlist_position=F("waitlist_position") - 1)


def waitlist_open(course_date: CourseDate, now) -> bool:
    """People may still move up: the date is planned and has not started."""
    return course_date.status == CourseDate.Status.PLANNED and course_date.start > now


def _promote(course_date: CourseDate, now) -> list[Enrolment]:
    """Fill free seats from the waitlist, first come first served, until the date
    starts. The date must be locked."""
    promoted = []
    if not waitlist_open(course_date, now):
        return promoted
    # bookings whose people move up only together, and for whom there is no room yet
    waiting_groups = set()
    while course_date.seats_confirmed < course_date.capacity:
        first = (
            course_date.enrolments.select_for_update(of=("self",))
            .filter(status=Enrolment.Status.WAITLISTED)
            .exclude(booking_id__in=waiting_groups)
            .select_related("booking")
            .order_by("waitlist_position", "pk")
            .first()
        )
        if first is None:
            break
        group = [first]
        if first.booking is not None and first.booking.keep_together:
            group = list(
                course_date.enrolments.select_for_update()
                .filter(status=Enrolment.Status.WAITLISTED, booking_id=first.booking_id)
                .order_by("waitlist_position", "pk")
            )
            if len(group) > course_date.capacity - course_date.seats_confirmed:
                waiting_groups.add(first.booking_id)
                continue
        for enrolment in group:
            enrolment.refresh_from_db(fields=["waitlist_position"])
            _move_up(course_date, enrolment, now)
            queue_mail("promoted", enrolment)
            promoted.append(enrolment)
    return promoted


def _move_up(course_date: CourseDate, enrolment: Enrolment, now) -> None:
    """A waitlisted person gets a free seat. The date must be locked."""
    position = enrolment.waitlist_position
    _allocate(course_date, enrolment, now)
    enrolment.save(update_fields=["status", "seat_confirmed_at", "waitlist_position"])
    _close_waitlist_gap(course_date, position)
    signals.seats_changed.send(sender=Enrolment, email=enrolment.email)
    _booking_participant_confirmed(enrolment)


def _booking_participant_confirmed(enrolment: Enrolment) -> None:
    if enrolment.booking_id is not None:
        signals.send_after_commit(
            signals.booking_participant_confirmed,
            booking=enrolment.booking,
            enrolment=enrolment,
        )


def _booking_participant_cancelled(enrolment, previous, fee, by_academy) -> None:
    if enrolment.booking_id is not None and (
        previous in Enrolment.SEAT_STATUSES or previous == Enrolment.Status.WAITLISTED
    ):
        signals.send_after_commit(
            signals.booking_participant_cancelled,
            booking=enrolment.booking,
            enrolment=enrolment,
            fee=fee,
            by_academy=by_academy,
        )


def _fee_for(enrolment: Enrolment, previous: str, by: str, now) -> Decimal:
    """The cancellation fee under the booking terms: only for a seat its participant
    (or booker) gives up; never when the academy cancels."""
    if (
        enrolment.booking_id is None
        or previous not in Enrolment.SEAT_STATUSES
        or by != Enrolment.CancelledBy.PARTICIPANT
    ):
        return Decimal("0.00")
    from . import terms

    price = enrolment.price if enrolment.price is not None else enrolment.booking.unit_price
    return terms.fee(price, enrolment.course_date.start, now, terms.for_date(enrolment.course_date))


def confirm(enrolment_id: int, *, now=None) -> Outcome:
    """The person pressed the button in the confirmation mail: allocate a seat.

    Confirming twice is harmless; an expired pending enrolment is not confirmed.
    The time is read under the lock, so ``email_confirmed_at`` orders the waitlist.
    """
    with transaction.atomic():
        course_date_id = (
            Enrolment.objects.filter(pk=enrolment_id).values_list("course_date_id", flat=True).get()
        )
        course_date = _lock_date(course_date_id)
        enrolment = _lock_enrolment(enrolment_id)
        now = now or timezone.now()
        if enrolment.status != Enrolment.Status.PENDING:
            return Outcome(enrolment, "already")
        if enrolment.is_expired(now):
            enrolment.status = Enrolment.Status.EXPIRED
            enrolment.save(update_fields=["status"])
            return Outcome(enrolment, "expired")
        if course_date.status == CourseDate.Status.CANCELLED or course_date.start <= now:
            return Outcome(enrolment, "closed")
        enrolment.email_confirmed_at = now
        result = _allocate(course_date, enrolment, now)
        enrolment.save(
            update_fields=["status", "email_confirmed_at", "seat_confirmed_at", "waitlist_position"]
        )
        signals.enrolment_confirmed.send(sender=Enrolment, enrolment=enrolment)
        queue_mail(result, enrolment)
        _confirm_single_booking(enrolment, result, now)
        return Outcome(enrolment, result)


def _confirm_single_booking(enrolment: Enrolment, result: str, now) -> bool:
    """The single form's booking is confirmed with its one person (by the person, or
    by staff after a phone call, also once it expired). True when it was."""
    from .models import Booking

    if enrolment.booking_id is None:
        return False
    booking = Booking.objects.select_for_update().get(pk=enrolment.booking_id)
    if booking.status not in (Booking.Status.PENDING, Booking.Status.EXPIRED):
        return False
    if booking.enrolments.count() != 1:
        return False
    booking.status = Booking.Status.CONFIRMED
    booking.confirmed_at = now
    booking.save(update_fields=["status", "confirmed_at"])
    signals.send_after_commit(
        signals.booking_confirmed,
        booking=booking,
        enrolments=[enrolment] if result == "confirmed" else [],
    )
    return True


def cancel(
    enrolment_id: int,
    *,
    by: str = Enrolment.CancelledBy.PARTICIPANT,
    now=None,
    notify: bool = True,
) -> Outcome:
    """Cancel one enrolment; a freed seat goes to waitlist position 1 in the same transaction.

    ``notify=False`` (erasure on request): the person gets no cancellation mail; who
    moves up is mailed all the same."""
    now = now or timezone.now()
    with transaction.atomic():
        course_date_id = (
            Enrolment.objects.filter(pk=enrolment_id).values_list("course_date_id", flat=True).get()
        )
        course_date = _lock_date(course_date_id)
        enrolment = _lock_enrolment(enrolment_id)
        if not enrolment.is_active:
            return Outcome(enrolment, "already")
        previous = enrolment.status
        position = enrolment.waitlist_position
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.cancelled_at = now
        enrolment.cancelled_by = by
        enrolment.waitlist_position = None
        fee = _fee_for(enrolment, previous, by, now)
        enrolment.cancellation_fee = fee if enrolment.booking_id else None
        enrolment.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "waitlist_position",
                "cancellation_fee",
            ]
        )
        if previous in Enrolment.SEAT_STATUSES:
            _release_seat(course_date)
        elif previous == Enrolment.Status.WAITLISTED:
            _close_waitlist_gap(course_date, position)
        signals.seats_changed.send(sender=Enrolment, email=enrolment.email)
        _booking_participant_cancelled(
            enrolment, previous, fee, by_academy=by != Enrolment.CancelledBy.PARTICIPANT
        )
        if notify and previous != Enrolment.Status.PENDING:
            queue_mail("cancelled", enrolment)
        promoted = _promote(course_date, now)
        return Outcome(enrolment, "cancelled", promoted)


def _release_seat(course_date: CourseDate) -> None:
    CourseDate.objects.filter(pk=course_date.pk).update(seats_confirmed=F("seats_confirmed") - 1)
    course_date.seats_confirmed -= 1


def promote_refusal(course_date: CourseDate, now=None) -> str | None:
    """Why nobody can be moved up onto this date by hand now, or None."""
    now = now or timezone.now()
    if not waitlist_open(course_date, now):
        return str(_("Der Termin hat begonnen oder ist abgesagt; die Warteliste ist geschlossen."))
    if course_date.seats_confirmed >= course_date.capacity:
        return str(
            _(
                "Der Termin ist ausgebucht. Erhöhen Sie zuerst die Platzzahl oder "
                "melden Sie jemanden ab."
            )
        )
    return None


def promote_waiting(enrolment_id: int, *, now=None) -> Outcome:
    """Staff: move one person from the waitlist onto a free seat."""
    now = now or timezone.now()
    with transaction.atomic():
        course_date_id = (
            Enrolment.objects.filter(pk=enrolment_id).values_list("course_date_id", flat=True).get()
        )
        course_date = _lock_date(course_date_id)
        enrolment = _lock_enrolment(enrolment_id)
        if enrolment.status != Enrolment.Status.WAITLISTED:
            return Outcome(enrolment, "already")
        refusal = promote_refusal(course_date, now)
        if refusal:
            raise EnrolmentError(refusal)
        _move_up(course_date, enrolment, now)
        queue_mail("promoted", enrolment)
        return Outcome(enrolment, "confirmed")


def _refuse_waitlist_after_start(course_date: CourseDate, now) -> None:
    """Staff may still seat someone on a started date, but only on a free seat."""
    if course_date.start <= now and course_date.seats_confirmed >= course_date.capacity:
        raise EnrolmentError(
            _("Der Termin hat begonnen und ist voll; die Warteliste ist geschlossen.")
        )


def staff_confirm(enrolment_id: int, *, now=None) -> Outcome:
    """Staff confirm a pending enrolment (e.g. after a phone call), expired or not."""
    now = now or timezone.now()
    with transaction.atomic():
        course_date_id = (
            Enrolment.objects.filter(pk=enrolment_id).values_list("course_date_id", flat=True).get()
        )
        course_date = _lock_date(course_date_id)
        enrolment = _lock_enrolment(enrolment_id)
        if enrolment.status not in (Enrolment.Status.PENDING, Enrolment.Status.EXPIRED):
            return Outcome(enrolment, "already")
        if course_date.status == CourseDate.Status.CANCELLED:
            raise EnrolmentError(_("Der Termin ist abgesagt."))
        _refuse_waitlist_after_start(course_date, now)
        if (
            enrolment.status == Enrolment.Status.EXPIRED
            and Enrolment.objects.active()
            .filter(course_date=course_date, email=enrolment.email)
            .exists()
        ):
            raise EnrolmentError(_("Diese Person ist für den Termin schon angemeldet."))
        enrolment.email_confirmed_at = enrolment.email_confirmed_at or now
        result = _allocate(course_date, enrolment, now)
        enrolment.save(
            update_fields=["status", "email_confirmed_at", "seat_confirmed_at", "waitlist_position"]
        )
        signals.seats_changed.send(sender=Enrolment, email=enrolment.email)
        queue_mail(result, enrolment)
        if not _confirm_single_booking(enrolment, result, now) and result == "confirmed":
            _booking_participant_confirmed(enrolment)
        return Outcome(enrolment, result)


def staff_enrol(course_date_id: int, data: dict, *, now=None, bill: bool = False) -> Outcome:
    """Staff add a participant by hand (phone enrolment): same seat rules, no opt-in.

    With ``bill`` (the admin's phone enrolment) a date that costs money gets a booking
    of that one person, as the online form makes, so the invoice follows."""
    now = now or timezone.now()
    email = normalise_email(data["email"])
    with transaction.atomic():
        course_date = _lock_date(course_date_id)
        if course_date.status == CourseDate.Status.CANCELLED:
            raise EnrolmentError(_("Der Termin ist abgesagt."))
        _refuse_waitlist_after_start(course_date, now)
        _expire_stale_pending(course_date, email, now)
        if Enrolment.objects.active().filter(course_date=course_date, email=email).exists():
            raise EnrolmentError(_("Diese E-Mail-Adresse ist für den Termin schon angemeldet."))
        values = {name: data.get(name) or "" for name in ENROLMENT_FIELDS}
        values["email"] = email
        booking = None
        if bill:
            from .bookings import create_for_single

            booking = create_for_single(values, course_date, now=now)
            if booking is not None:
                booking.source = booking.Source.STAFF
                booking.save(update_fields=["source"])
        enrolment = Enrolment(
            course_date=course_date,
            privacy_version=privacy_version(),
            source=Enrolment.Source.STAFF,
            created_at=now,
            email_confirmed_at=now,
            booking=booking,
            price=booking.unit_price if booking else None,
            **values,
        )
        result = _allocate(course_date, enrolment, now)
        enrolment.save()
        _confirm_single_booking(enrolment, result, now)
        signals.seats_changed.send(sender=Enrolment, email=enrolment.email)
        queue_mail(result, enrolment)
        return Outcome(enrolment, result)


def fill_free_seats(course_date_id: int, *, now=None) -> list[Enrolment]:
    """After an editor saved a date (capacity raised): move people up from the
    waitlist onto free seats, until the date starts. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        return _promote(_lock_date(course_date_id), now)


def close_waitlist(course_date_id: int, *, now=None) -> list[Enrolment]:
    """A date has started: end its remaining waitlist places (each person gets the
    "leider kein Platz frei geworden" mail) and expire unconfirmed enrolments.
    Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        course_date = _lock_date(course_date_id)
        if course_date.start > now:
            return []
        course_date.enrolments.filter(status=Enrolment.Status.PENDING).update(
            status=Enrolment.Status.EXPIRED
        )
        waiting = list(
            course_date.enrolments.select_for_update()
            .filter(status=Enrolment.Status.WAITLISTED)
            .order_by("waitlist_position", "pk")
        )
        for enrolment in waiting:
            enrolment.status = Enrolment.Status.CANCELLED
            enrolment.cancelled_at = now
            enrolment.cancelled_by = Enrolment.CancelledBy.WAITLIST_CLOSED
            enrolment.waitlist_position = None
            enrolment.save(
                update_fields=["status", "cancelled_at", "cancelled_by", "waitlist_position"]
            )
            _booking_participant_cancelled(
                enrolment, Enrolment.Status.WAITLISTED, Decimal("0.00"), by_academy=False
            )
            if course_date.status == CourseDate.Status.PLANNED:
                queue_mail("waitlist_closed", enrolment)
        return waiting


def record_no_shows(course_date_id: int, is_absent, *, now=None) -> list[Enrolment]:
    """Once a date has ended: confirmed participants for whom ``is_absent(enrolment)``
    holds (the learning app knows the attendance) become no-shows and free their seat,
    under the date's lock. Refused before the end of the date."""
    now = now or timezone.now()
    with transaction.atomic():
        course_date = _lock_date(course_date_id)
        if course_date.end > now:
            raise EnrolmentError(_("Der Termin ist noch nicht zu Ende."))
        absent = [
            enrolment
            for enrolment in course_date.enrolments.select_for_update().filter(
                status=Enrolment.Status.CONFIRMED
            )
            if is_absent(enrolment)
        ]
        for enrolment in absent:
            enrolment.status = Enrolment.Status.NO_SHOW
            enrolment.save(update_fields=["status"])
            _release_seat(course_date)
            signals.seats_changed.send(sender=Enrolment, email=enrolment.email)
        return absent


def set_participation(enrolment: Enrolment, status: str) -> bool:
    """Attendance moves a seat holder between confirmed, partly attended and attended;
    all three hold the seat, so the counter stays. The caller holds the date's lock
    (``lock_date``). Returns whether the status changed."""
    if status not in Enrolment.SEAT_STATUSES or enrolment.status not in Enrolment.SEAT_STATUSES:
        raise EnrolmentError(_("Nur wer einen Platz hat, kann teilnehmen."))
    if enrolment.status == status:
        return False
    enrolment.status = status
    enrolment.save(update_fields=["status"])
    return True


def lock_date(course_date_id: int) -> CourseDate:
    """Lock a date's row for a change of its enrolments (inside a transaction)."""
    return _lock_date(course_date_id)


def close_waitlists(*, now=None) -> int:
    """Close the waitlists of every date that has started. Runs twice safely."""
    now = now or timezone.now()
    started = (
        CourseDate.objects.filter(start__lte=now)
        .filter(enrolments__status__in=[Enrolment.Status.WAITLISTED, Enrolment.Status.PENDING])
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(len(close_waitlist(pk, now=now)) for pk in list(started))


def send_reminders(*, now=None) -> int:
    """Queue one reminder per confirmed participant of dates starting soon. Runs twice safely."""
    now = now or timezone.now()
    days = settings.ENROLMENT_REMINDER_DAYS
    candidates = Enrolment.objects.filter(
        status=Enrolment.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        course_date__status=CourseDate.Status.PLANNED,
        course_date__start__gt=now,
        course_date__start__lte=now + timedelta(days=days),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            claimed = Enrolment.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                queue_mail("reminder", Enrolment.objects.select_related("course_date").get(pk=pk))
                sent += 1
    return sent


def expire_pending(*, now=None) -> int:
    from .models import Booking

    now = now or timezone.now()
    Booking.objects.filter(
        status=Booking.Status.PENDING, created_at__lte=now - _pending_lifetime()
    ).update(status=Booking.Status.EXPIRED)
    return Enrolment.objects.filter(
        status=Enrolment.Status.PENDING, created_at__lte=now - _pending_lifetime()
    ).update(status=Enrolment.Status.EXPIRED)


def anonymise(enrolments, *, now=None) -> int:
    """Blank personal data, keep status, role, trade, postcode area and date for statistics."""
    now = now or timezone.now()
    from .models import OutgoingMail

    count = 0
    with transaction.atomic():
        for enrolment in enrolments.select_for_update(of=("self",)).filter(
            anonymised_at__isnull=True
        ):
            OutgoingMail.objects.filter(enrolment=enrolment).delete()
            for name in PERSONAL_FIELDS:
                setattr(enrolment, name, anonymised_value(name, getattr(enrolment, name)))
            enrolment.anonymised_at = now
            enrolment.save()
            count += 1
    return count


def anonymise_ended(*, days: int | None = None, now=None) -> int:
    now = now or timezone.now()
    if days is None:
        days = settings.ENROLMENT_RETENTION_DAYS
    return anonymise(
        Enrolment.objects.filter(course_date__end__lt=now - timedelta(days=days)), now=now
    )


def erase_person(email: str, *, now=None) -> int:
    """On request: cancel the person's active enrolments (freeing seats; the first on
    each waitlist moves up and is mailed) and anonymise all. The person gets no mail:
    their address is erased with everything else."""
    from .models import OutgoingMail

    email = normalise_email(email)
    if not email:
        return 0
    for pk in Enrolment.objects.active().filter(email=email).values_list("pk", flat=True):
        cancel(pk, by=Enrolment.CancelledBy.STAFF, now=now, notify=False)
    count = anonymise(Enrolment.objects.filter(email=email), now=now)
    OutgoingMail.objects.filter(to__iexact=email).delete()
    return count


def cancel_course_date(course_date_id: int, reason: str, *, now=None) -> list[Enrolment]:
    """Staff cancel a whole date (e.g. too few participants): the date is marked
    cancelled, every active enrolment is cancelled and its person informed with the
    "date cancelled" mail. Returns the cancelled enrolments; a second call does nothing."""
    now = now or timezone.now()
    reason = (reason or "").strip()[:300]
    if not reason:
        raise EnrolmentError(_("Bitte geben Sie einen Grund für die Absage an."))
    with transaction.atomic():
        course_date = _lock_date(course_date_id)
        if course_date.status == CourseDate.Status.CANCELLED:
            return []
        if course_date.start <= now:
            raise EnrolmentError(
                _("Ein Termin, der schon begonnen hat, kann nicht mehr abgesagt werden.")
            )
        CourseDate.objects.filter(pk=course_date.pk).update(
            status=CourseDate.Status.CANCELLED, cancellation_reason=reason
        )
        course_date.status = CourseDate.Status.CANCELLED
        course_date.cancellation_reason = reason
        affected = list(
            course_date.enrolments.select_for_update()
            .filter(status__in=[*Enrolment.ACTIVE_STATUSES, *Enrolment.SEAT_STATUSES])
            .order_by("pk")
        )
        for enrolment in affected:
            was_pending = enrolment.status == Enrolment.Status.PENDING
            _booking_participant_cancelled(
                enrolment, enrolment.status, Decimal("0.00"), by_academy=True
            )
            enrolment.status = Enrolment.Status.CANCELLED
            enrolment.cancelled_at = now
            enrolment.cancelled_by = Enrolment.CancelledBy.DATE_CANCELLED
            enrolment.waitlist_position = None
            enrolment.save(
                update_fields=["status", "cancelled_at", "cancelled_by", "waitlist_position"]
            )
            signals.seats_changed.send(sender=Enrolment, email=enrolment.email)
            if not was_pending:
                queue_mail("date_cancelled", enrolment)
        CourseDate.objects.filter(pk=course_date.pk).update(seats_confirmed=0)
        return affected
