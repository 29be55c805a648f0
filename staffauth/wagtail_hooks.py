from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import devices, policy


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    """The item "Zwei-Faktor-Anmeldung" on the admin's account page."""
    if not policy.enabled():
        return None
    if devices.has_device(request.user):
        help_text = _("Eingerichtet: Bei der Anmeldung fragen wir nach dem Code Ihrer App.")
    else:
        help_text = _("Schützen Sie Ihr Konto mit einem Code aus einer Authenticator-App.")
    return {
        "url": reverse("staffauth:overview"),
        "label": _("Zwei-Faktor-Anmeldung"),
        "help_text": help_text,
    }
