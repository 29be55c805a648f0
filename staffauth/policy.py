"""Who must show a second factor, and where."""

from django.conf import settings
from django.urls import reverse

OFF = "off"
OPTIONAL = "optional"
REQUIRED = "required"
MODES = (OFF, OPTIONAL, REQUIRED)


def mode() -> str:
    """The configured mode (``STAFF_TWO_FACTOR``): off, optional or required."""
    return getattr(settings, "STAFF_TWO_FACTOR", OPTIONAL)


def enabled() -> bool:
    return mode() != OFF


def setup_required() -> bool:
    return mode() == REQUIRED


def is_staff_user(user) -> bool:
    """Anyone who can open the Wagtail admin or the Django admin."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def admin_prefixes() -> tuple[str, ...]:
    """The URL prefixes of the two admin sites (with the script prefix)."""
    return (reverse("wagtailadmin_home"), reverse("admin:index"))


def default_next(user) -> str:
    """Where a staff member goes after the second factor when no page was asked for."""
    if user.has_perm("wagtailadmin.access_admin"):
        return reverse("wagtailadmin_home")
    return reverse("admin:index")
