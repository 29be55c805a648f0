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
