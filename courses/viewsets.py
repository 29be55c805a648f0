"""Admin views of the catalogue's records, grouped under one menu item."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import TargetGroup, Topic, Trade, Trainer


class CatalogueSnippetViewSet(SnippetViewSet):
    # Plain database look-ups: short lists, and they work the same on SQLite and PostgreSQL.
    search_backend_name = None


class TopicViewSet(CatalogueSnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Themen")
    list_display = ["name", "slug", "colour", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class TargetGroupViewSet(CatalogueSnippetViewSet):
    model = TargetGroup
    icon = "group"
    menu_label = _("Zielgruppen")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class TradeViewSet(CatalogueSnippetViewSet):
    model = Trade
    icon = "cogs"
    menu_label = _("Gewerkegruppen")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class TrainerViewSet(CatalogueSnippetViewSet):
    model = Trainer
    icon = "user"
    menu_label = _("Trainerinnen und Trainer")
    list_display = ["name", "organisation", "user"]
    list_filter = ["partner"]
    search_fields = ["name", "external_organisation", "partner__name"]
    ordering = ["name"]


class CatalogueViewSetGroup(SnippetViewSetGroup):
    items = (TopicViewSet, TargetGroupViewSet, TradeViewSet, TrainerViewSet)
    menu_icon = "list-ul"
    menu_label = _("Kurskatalog")
    menu_name = "kurskatalog"
    menu_order = 250
