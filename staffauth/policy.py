"""Who holds staff or trainer rights, who may sign in by e-mail link, and who must
show a second factor. The one place for these rules: views, middleware and the
sign-in backends ask here.

A *role* is anything that gives more than a learner has: the admin sites
(``is_staff_user``) or being a trainer (``is_trainer``; the catalogue app tells
this module who counts, see ``register_trainer_check``). People with a role, and
everybody with a password, sign in with their password (and second factor),
never by a link sent to their mailbox.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

OFF = "off"
OPTIONAL = "optional"
REQUIRED = "required"
MODES = (OFF, OPTIONAL, REQUIRED)

_trainer_checks: list[Callable[[object], bool]] = []


def mode() -> str:
    """The configured mode (``STAFF_TWO_FACTOR``): off, optional or required."""
    return settings.STAFF_TWO_FACTOR


def enabled() -> bool:
    return mode() != OFF


def setup_required() -> bool:
    return mode() == REQUIRED


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_staff_user(user) -> bool:
    """Anyone who can open the Wagtail admin or the Django admin."""
    if not _signed_in(user):
        return False
    return bool(user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


#: The academy's staff: the group that runs catalogue, enrolments and news.
STAFF_GROUP_NAME = "Redaktion"


def is_academy_staff(user) -> bool:
    """Academy staff (the group "Redaktion", or a superuser): all dates, all
    participants, all course material."""
    if not _signed_in(user):
        return False
    return user.is_superuser or user.groups.filter(name=STAFF_GROUP_NAME).exists()


#: Accounts of people who train (made by "Trainer/in einladen"); the group gives
#: admin access and uploads for course material.
TRAINER_GROUP_NAME = "Trainer"


def may_manage_trainer_accounts(user) -> bool:
    """Invite trainers, link their profile, deactivate their accounts: academy staff
    only (never trainers themselves, never the Moderation)."""
    return is_academy_staff(user)


def may_export_kursnet(user) -> bool:
    """Download the catalogue for KURSNET (the Federal Employment Agency's course
    database): academy staff only."""
    return is_academy_staff(user)


def may_handle_invoices(user) -> bool:
    """See invoices, download them, record payments, export for accounting: academy
    staff only (the Redaktion or a superuser), never trainers."""
    return is_academy_staff(user)


#: Whoever may promote search results may also read what people searched for.
SEARCH_PROMOTION_PERMISSION = "wagtailsearchpromotions.change_searchpromotion"


def may_see_search_terms(user) -> bool:
    """Wagtail's report "Suchbegriffe" (superusers only out of the box)."""
    return _signed_in(user) and (user.is_superuser or user.has_perm(SEARCH_PROMOTION_PERMISSION))


def role_accounts():
    """Active accounts with a role given by account or group: staff, superusers, the
    groups that open the admin (Redaktion, Trainer, Kursleitung …). Learners are not
    among them — the choice for "Trainer/in → Benutzerkonto"."""
    access = {
        "codename": "access_admin",
        "content_type__app_label": "wagtailadmin",
    }
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(groups__name__in=(STAFF_GROUP_NAME, TRAINER_GROUP_NAME))
            | Q(pk__in=_users_with_permission(access))
        )
        .distinct()
    )


def _users_with_permission(lookup):
    User = get_user_model()
    by_group = {f"groups__permissions__{key}": value for key, value in lookup.items()}
    direct = {f"user_permissions__{key}": value for key, value in lookup.items()}
    return User.objects.filter(Q(**by_group) | Q(**direct)).values("pk")


def trains(user, course) -> bool:
    """The account is one of the course's trainers (Trainer → Benutzerkonto)."""
    return (
        _signed_in(user) and course is not None and course.trainers.filter(user_id=user.pk).exists()
    )


def register_trainer_check(check: Callable[[object], bool]) -> None:
    """Called by the app that knows trainers (in its ``ready()``): ``check(user)`` is
    true when the account belongs to a trainer."""
    if check not in _trainer_checks:
        _trainer_checks.append(check)


def is_trainer(user) -> bool:
    if not _signed_in(user):
        return False
    return any(check(user) for check in _trainer_checks)


def has_role(user) -> bool:
    """Staff or trainer: rights beyond a learner's."""
    return is_staff_user(user) or is_trainer(user)


def has_password(user) -> bool:
    """A password one could sign in with (an empty field is none)."""
    return bool(user.password) and user.has_usable_password()


def may_sign_in_by_link(user) -> bool:
    """Sign-in by a link in a mail (or by confirming an enrolment) is for learners
    only: active, no password, no role. Checked when the link is requested, when
    it is used, and on every request of a session it opened."""
    if user is None or not user.is_active or has_password(user):
        return False
    return not has_role(user)


def admin_prefixes() -> tuple[str, ...]:
    """The URL prefixes of the two admin sites (with the script prefix)."""
    return (reverse("wagtailadmin_home"), reverse("admin:index"))


def default_next(user) -> str:
    """Where a staff member goes after the second factor when no page was asked for."""
    if user.has_perm("wagtailadmin.access_admin"):
        return reverse("wagtailadmin_home")
    if user.is_staff:
        return reverse("admin:index")
    return "/"
