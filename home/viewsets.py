from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Partner


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partner")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "short_name", "website", "sort_order"]
    search_fields = ["name", "short_name"]
    ordering = ["sort_order", "name"]
