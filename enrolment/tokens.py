"""Signed links in mails: django.core.signing, one salt per purpose."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM = "confirm"
CANCEL = "cancel"


def make_token(enrolment_pk: int, purpose: str) -> str:
    return signing.dumps(enrolment_pk, salt=f"enrolment.{purpose}", compress=False)


def read_token(token: str, purpose: str) -> int | None:
    """The enrolment's primary key, or None for a tampered or foreign token."""
    try:
        value = signing.loads(token, salt=f"enrolment.{purpose}")
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def confirm_url(enrolment) -> str:
    return absolute(reverse("enrolment:confirm", args=[make_token(enrolment.pk, CONFIRM)]))


def cancel_url(enrolment) -> str:
    return absolute(reverse("enrolment:cancel", args=[make_token(enrolment.pk, CANCEL)]))
