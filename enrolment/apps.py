from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Anmeldungen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import invoicing, signals

        signals.connect()
        invoicing.connect()
