"""Trainers as people: the academy invites them, links their profile, and ends their
access. Who may do this is decided in ``staffauth.policy``; this module only acts.

An invited trainer gets an account in the group "Trainer" without a usable password
and a mail with a one-time link to set one (Django's password-reset tokens: the link
stops working once a password is set, or after ``PASSWORD_RESET_TIMEOUT``). After the
password, the second factor follows as for all staff (``staffauth.gate``).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from staffauth.policy import STAFF_GROUP_NAME, TRAINER_GROUP_NAME

from .models import Trainer


class AccountExists(Exception):
    """An account with this e-mail address exists already."""


def account_for_email(email: str):
    return (
        get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    )


def trainer_accounts():
    """Accounts of people who train: the group "Trainer" or a linked profile. Staff
    and superusers are not among them (their access is not managed here)."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=TRAINER_GROUP_NAME) | Q(trainer_profile__isnull=False))
        .exclude(is_superuser=True)
        .exclude(groups__name=STAFF_GROUP_NAME)
        .distinct()
        .select_related("trainer_profile")
        .order_by("last_name", "first_name", "email")
    )


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().rpartition(" ")
    return (first, last) if first else ("", last)


@transaction.atomic
def invite(name: str, email: str, trainer: Trainer | None = None):
    """Create the account, link (or create) the trainer profile, and send the
    invitation after commit. Returns the account."""
    email = email.strip().lower()
    if account_for_email(email) is not None:
        raise AccountExists(email)
    first_name, last_name = _split_name(name)
    user = get_user_model()(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=TRAINER_GROUP_NAME)[0])
    if trainer is None:
        trainer = Trainer.objects.create(name=name.strip(), user=user)
    else:
        trainer.user = user
        trainer.save(update_fields=["user"])
    transaction.on_commit(lambda: send_invitation(user))
    return user


def password_link(user) -> str:
    """The one-time link to set a password (absolute, from ``SITE_URL``)."""
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def send_invitation(user) -> None:
    context = {
        "user": user,
        "link": password_link(user),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "admin_url": settings.SITE_URL.rstrip("/") + reverse("wagtailadmin_home"),
    }
    send_mail(
        render_to_string("courses/mail/trainer_invitation_subject.txt", context).strip(),
        render_to_string("courses/mail/trainer_invitation.txt", context),
        None,
        [user.email],
    )


def may_resend(user) -> bool:
    """An invitation not yet taken up: active, no password set."""
    return user.is_active and not user.has_usable_password()


def end_sessions(user) -> int:
    """Sign the account out everywhere: every stored session of it is deleted
    (through its store, so that a cached copy goes too)."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__isnull=False).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def deactivate(user) -> int:
    """No more sign-in (``is_active`` False) and no session left; the profile stays
    on the courses. Returns the number of sessions ended."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    return end_sessions(user)
