"""How the project's admin views show a stored value: German, local time, never
"None". Used by the inspect views of every model viewset the project adds."""

import datetime

from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic

EMPTY = "–"

#: The first step of the breadcrumbs on the project's admin pages (Wagtail's says "Home").
ADMIN_ROOT = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Übersicht")}]


class GermanViewSetMixin:
    """For the project's viewsets: every view's breadcrumbs start with "Übersicht"."""

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"breadcrumbs_items": ADMIN_ROOT, **kwargs})


def shown_value(value):
    """A stored value as staff read it in the admin."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "d.m.Y, H:i") + " " + _("Uhr")
    if isinstance(value, datetime.date):
        return date_format(value, "d.m.Y")
    return value


class GermanInspectView(generic.InspectView):
    """Wagtail's inspect view with values shown by ``shown_value``."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime.date | bool) or value is None or value == "":
            return shown_value(value)
        if hasattr(value, "value") and isinstance(getattr(value, "value", None), datetime.date):
            return shown_value(value.value)  # Wagtail's display class around a date
        return value
