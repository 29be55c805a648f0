"""Links in mails (confirm, cancel): opaque, signed, and with an end.

A link carries the enrolment's random ``link_key`` (nothing sequential, nothing
to count or guess), signed with one salt per purpose, so that a confirmation
link never cancels. It works until ``ENROLMENT_LINK_DAYS`` days after the end of
its date. Links of the earlier form (a signed enrolment number) are recognised
and answered like expired ones: a clear page, never a server error.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

CONFIRM = "confirm"
CANCEL = "cancel"
BOOKING_CONFIRM = "booking-confirm"
BOOKING_MANAGE = "booking-manage"


def _signer(purpose: str) -> signing.Signer:
    return signing.Signer(salt=f"enrolment.link.{purpose}")


def make_token(enrolment, purpose: str) -> str:
    return _signer(purpose).sign(enrolment.link_key)


def read_token(token: str, purpose: str) -> str | None:
    """The enrolment's link key, or None for a tampered or foreign token."""
    try:
        return _signer(purpose).unsign(token)
    except signing.BadSignature:
        return None


def is_old_form(token: str, purpose: str) -> bool:
    """A genuine link of the earlier form (it named the enrolment's number)."""
    try:
        value = signing.loads(token, salt=f"enrolment.{purpose}")
    except signing.BadSignature:
        return False
    return isinstance(value, int)


def link_days() -> int:
    return int(settings.ENROLMENT_LINK_DAYS)


def valid_until(enrolment):
    return enrolment.course_date.end + timedelta(days=link_days())


def has_expired(enrolment, now=None) -> bool:
    return (now or timezone.now()) > valid_until(enrolment)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def confirm_path(enrolment) -> str:
    """The enrolment's own page (the confirmation link, without host)."""
    return reverse("enrolment:confirm", args=[make_token(enrolment, CONFIRM)])


def confirm_url(enrolment) -> str:
    return absolute(confirm_path(enrolment))


def cancel_url(enrolment) -> str:
    return absolute(reverse("enrolment:cancel", args=[make_token(enrolment, CANCEL)]))


# Bookings: the booker's links (confirm once, manage afterwards) carry the booking's
# own link key, signed with their own salts.


def booking_confirm_path(booking) -> str:
    return reverse("enrolment:booking_confirm", args=[make_token(booking, BOOKING_CONFIRM)])


def booking_confirm_url(booking) -> str:
    return absolute(booking_confirm_path(booking))


def manage_path(booking) -> str:
    return reverse("enrolment:booking_manage", args=[make_token(booking, BOOKING_MANAGE)])


def manage_url(booking) -> str:
    return absolute(manage_path(booking))
