from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_display import GermanViewSetMixin
from .models import Partner, SearchSynonym


class PartnerViewSet(GermanViewSetMixin, SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partner")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "short_name", "website", "sort_order"]
    search_fields = ["name", "short_name"]
    ordering = ["sort_order", "name"]


class SearchSynonymViewSet(GermanViewSetMixin, SnippetViewSet):
    """Words of the trades for the site search: "Bäcker" finds "Lebensmittelhandwerk"."""

    model = SearchSynonym
    icon = "search"
    menu_label = _("Synonyme der Suche")
    menu_order = 310
    add_to_settings_menu = True
    list_display = ["term", "synonyms"]
    search_fields = ["term", "synonyms"]
    ordering = ["term"]
