"""The outbox: mails are stored as OutgoingMail rows inside the caller's
transaction and handed to a background task after commit.

A mail server that is down loses nothing: the row waits, the task retries
with back-off (``send_pending_mail``), and staff can resend from the admin.

Some mails carry a secret that must not lie in the outbox and must be fresh
when it arrives (the learner's sign-in link): their kind has *send-time
content* (``register_send_time_content``), made when the mail is sent; the row
keeps the text with a placeholder instead of the link.
"""

import base64
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from courses.ical import date_ics, location_text

from .models import Enrolment, OutgoingMail, cancellation_deadline, pending_lifetime
from .tokens import absolute, cancel_url, confirm_url

logger = logging.getLogger(__name__)

SUBJECTS = {
    "confirm_request": _("Bitte bestätigen Sie Ihre Anmeldung: %(course)s"),
    "already_enrolled": _("Ihre Anmeldung zu %(course)s"),
    "confirmed": _("Sie sind angemeldet: %(course)s"),
    "waitlisted": _("Sie stehen auf der Warteliste: %(course)s"),
    "promoted": _("Ein Platz ist frei geworden – Sie sind angemeldet: %(course)s"),
    "cancelled": _("Ihre Abmeldung: %(course)s"),
    "date_cancelled": _("Der Termin fällt aus: %(course)s"),
    "reminder": _("Erinnerung: %(course)s beginnt bald"),
    "waitlist_closed": _("Leider kein Platz frei geworden: %(course)s"),
    "booking_confirm_request": _("Bitte bestätigen Sie Ihre Buchung: %(course)s"),
    "booking_confirmed": _("Ihre Buchung ist bestätigt: %(course)s"),
    "booking_changed": _("Ihre Buchung wurde geändert: %(course)s"),
    "booking_cancelled": _("Stornierung Ihrer Buchung: %(course)s"),
}
ICS_KINDS = {"confirmed", "promoted", "reminder"}

#: kind -> function(mail) returning (text, html) when the mail is sent, or None when
#: it must not go out any more
SEND_TIME_CONTENT: dict[str, Callable[[OutgoingMail], tuple[str, str] | None]] = {}
NOT_SENDABLE = _("Nicht mehr zu versenden: der Empfänger darf diese E-Mail nicht mehr bekommen.")
NO_CANCEL_LINK = {"cancelled", "date_cancelled", "waitlist_closed"}
SENDING_STALE_AFTER = timedelta(minutes=15)


def max_attempts() -> int:
    return settings.ENROLMENT_MAIL_MAX_ATTEMPTS


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _legal_links() -> dict:
    from wagtail.models import Site

    from home.models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return {}
    site_settings = SiteSettings.for_site(site)
    links = {"organisation": site_settings.organisation, "phone": site_settings.phone}
    for name in ("imprint", "privacy"):
        page = getattr(site_settings, f"{name}_page")
        if page is not None:
            links[f"{name}_url"] = absolute(page.url or "/")
    return links


def mail_context(enrolment: Enrolment, **extra) -> dict:
    course_date = enrolment.course_date
    course = course_date.course
    context = {
        "enrolment": enrolment,
        "course_date": course_date,
        "course": course,
        "location": location_text(course_date),
        "start": timezone.localtime(course_date.start),
        "end": timezone.localtime(course_date.end),
        "cancel_url": cancel_url(enrolment),
        "course_url": absolute(course.url) if course.url else "",
        "site_url": settings.SITE_URL,
        "legal": _legal_links(),
    }
    if enrolment.status == Enrolment.Status.PENDING:
        context["confirm_url"] = confirm_url(enrolment)
        context["expires_at"] = timezone.localtime(enrolment.expires_at)
    context["cancel_deadline"] = timezone.localtime(cancellation_deadline(course_date))
    booking = enrolment.booking
    if booking is not None:
        from . import terms

        context["booking"] = booking
        context["terms_lines"] = terms.for_date(course_date).lines()
        # booked by someone else: the booker cancels or names a substitute
        context["booked_by_other"] = booking.email != enrolment.email
        if booking.is_consumer and booking.unit_price and not context["booked_by_other"]:
            from courses.pricing import vat_note

            from .withdrawal import withdrawal_context

            context.update(withdrawal_context(booking))
            context["vat_note"] = vat_note(course)
    # what apps above add (the learner area its address), without enrolment importing them
    for add in hooks.get_hooks("enrolment_mail_context"):
        context.update(add(enrolment) or {})
    context.update(extra)
    if context.get("kind") in NO_CANCEL_LINK or context.get("booked_by_other"):
        context["cancel_url"] = ""
    return context


def booking_context(booking, **extra) -> dict:
    from courses.pricing import vat_note

    from . import terms
    from .tokens import manage_url

    course_date = booking.course_date
    course = course_date.course
    people = list(booking.enrolments.exclude(cancelled_by="substituted").order_by("pk"))
    context = {
        "booking": booking,
        "participants": people,
        "course_date": course_date,
        "course": course,
        "location": location_text(course_date),
        "start": timezone.localtime(course_date.start),
        "end": timezone.localtime(course_date.end),
        "course_url": absolute(course.url) if course.url else "",
        "manage_url": manage_url(booking),
        "terms_lines": terms.for_date(course_date).lines(),
        "vat_note": vat_note(course) if booking.unit_price else "",
        "total": booking.amount_total(),
        "legal": _legal_links(),
        "site_url": settings.SITE_URL,
    }
    if booking.status == booking.Status.PENDING:
        from .tokens import booking_confirm_url

        context["confirm_url"] = booking_confirm_url(booking)
        context["expires_at"] = timezone.localtime(booking.created_at + pending_lifetime())
    if booking.is_consumer and booking.unit_price:
        from .withdrawal import withdrawal_context

        context.update(withdrawal_context(booking))
    context.update(extra)
    return context


def queue_booking_mail(kind: str, booking, **extra) -> OutgoingMail:
    """Store one mail to the booker of ``booking``, sent after commit."""
    context = booking_context(booking, kind=kind, **extra)
    subject = str(SUBJECTS[kind] % {"course": booking.course_date.course.title})
    return queue_message(
        kind,
        booking.email,
        subject,
        text=render_to_string(f"enrolment/mail/{kind}.txt", context),
        html=render_to_string(f"enrolment/mail/{kind}.html", context),
        booking=booking,
    )


def queue_mail(kind: str, enrolment: Enrolment, **extra) -> OutgoingMail:
    """Store one mail for ``enrolment`` and send it after the transaction commits."""
    context = mail_context(enrolment, kind=kind, **extra)
    subject = str(SUBJECTS[kind] % {"course": enrolment.course_date.course.title})
    # One line, whatever a course title holds (no header injection).
    subject = " ".join(subject.split())[:250]
    attachments = []
    if kind in ICS_KINDS:
        ics = date_ics(enrolment.course_date, context["course_url"] or settings.SITE_URL)
        attachments.append(
            {
                "filename": "termin.ics",
                "mimetype": "text/calendar",
                "content": base64.b64encode(ics).decode("ascii"),
            }
        )
    # people booked without an address of their own: their booker reads their mail
    to = enrolment.email or (enrolment.booking.email if enrolment.booking_id else "")
    return queue_message(
        kind,
        to,
        subject,
        text=render_to_string(f"enrolment/mail/{kind}.txt", context),
        html=render_to_string(f"enrolment/mail/{kind}.html", context),
        attachments=attachments,
        enrolment=enrolment,
    )


def queue_message(
    kind: str,
    to: str,
    subject: str,
    *,
    text: str,
    html: str = "",
    attachments=(),
    enrolment=None,
    booking=None,
) -> OutgoingMail:
    """Store one mail in the outbox and send it after the transaction commits."""
    mail = OutgoingMail.objects.create(
        kind=kind,
        to=to,
        subject=" ".join(str(subject).split())[:250],
        text=text,
        html=html,
        attachments=list(attachments),
        enrolment=enrolment,
        booking=booking if booking is not None else getattr(enrolment, "booking", None),
    )
    transaction.on_commit(lambda: enqueue(mail.pk))
    return mail


def register_send_time_content(kind: str, render: Callable) -> None:
    SEND_TIME_CONTENT[kind] = render


def enqueue(mail_pk: int) -> None:
    from .tasks import send_outgoing_mail

    try:
        send_outgoing_mail.enqueue(mail_pk)
    except Exception:  # the row stays pending; send_pending_mail picks it up
        logger.exception("Could not enqueue outgoing mail %s", mail_pk)


def claim(mail_pk: int, now=None) -> OutgoingMail | None:
    """Mark one due mail as being sent; None if another worker has it or it is done."""
    now = now or timezone.now()
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_pk, status=OutgoingMail.Status.PENDING)
            .first()
        )
        if mail is None:
            stale = (
                OutgoingMail.objects.select_for_update(skip_locked=True)
                .filter(
                    pk=mail_pk,
                    status=OutgoingMail.Status.SENDING,
                    next_attempt_at__lte=now - SENDING_STALE_AFTER,
                )
                .first()
            )
            if stale is None:
                return None
            mail = stale
        mail.status = OutgoingMail.Status.SENDING
        mail.attempts += 1
        mail.next_attempt_at = now
        mail.save(update_fields=["status", "attempts", "next_attempt_at"])
    return mail


def deliver(mail_pk: int) -> bool:
    """Send one outbox row; True when it went out. Running twice sends once."""
    mail = claim(mail_pk)
    if mail is None:
        return False
    text, html = mail.text, mail.html
    render = SEND_TIME_CONTENT.get(mail.kind)
    if render is not None:
        content = render(mail)
        if content is None:
            OutgoingMail.objects.filter(pk=mail.pk).update(
                status=OutgoingMail.Status.FAILED, last_error=str(NOT_SENDABLE)
            )
            return False
        text, html = content
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
    )
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in mail.attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    try:
        message.send()
    except Exception as error:
        now = timezone.now()
        failed = mail.attempts >= max_attempts()
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=OutgoingMail.Status.FAILED if failed else OutgoingMail.Status.PENDING,
            next_attempt_at=now + backoff(mail.attempts),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.warning("Sending mail %s failed (attempt %s): %s", mail.pk, mail.attempts, error)
        return False
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def due_mail_ids(now=None) -> list[int]:
    now = now or timezone.now()
    pending = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.PENDING, next_attempt_at__lte=now
    )
    stale = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.SENDING, next_attempt_at__lte=now - SENDING_STALE_AFTER
    )
    return list((pending | stale).order_by("next_attempt_at").values_list("pk", flat=True))


def resend(mail: OutgoingMail) -> None:
    """Staff action: put a mail back in the queue and send it now."""
    OutgoingMail.objects.filter(pk=mail.pk).exclude(status=OutgoingMail.Status.SENDING).update(
        status=OutgoingMail.Status.PENDING, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: enqueue(mail.pk))
