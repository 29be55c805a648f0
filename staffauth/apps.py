from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffAuthConfig(AppConfig):
    """Two-factor sign-in for staff (Wagtail or Django admin) and trainers."""

    name = "staffauth"
    verbose_name = _("Zwei-Faktor-Anmeldung")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
