"""RSS 2.0 and Atom feeds of the news, for all articles and per category."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Site

from .models import NewsCategory, NewsIndexPage, NewsPage

FEED_LENGTH = 20


class NewsFeedSource:
    """The news section of the request's site, optionally narrowed to one category."""

    def __init__(self, request, index, category=""):
        self.request = request
        self.index = index
        self.category = category
        self.category_label = dict(NewsCategory.choices).get(category, "")


class NewsRssFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "de"

    def get_object(self, request, category=""):
        if category and category not in NewsCategory.values:
            raise Http404("Unbekannte Kategorie")
        site = Site.find_for_request(request)
        indexes = NewsIndexPage.objects.live().public()
        if site is not None:
            indexes = indexes.descendant_of(site.root_page)
        index = indexes.first()
        if index is None:
            raise Http404("Keine Nachrichtenübersicht")
        return NewsFeedSource(request, index, category)

    def title(self, source):
        name = _("Innovationsakademie Handwerk – %(title)s") % {"title": source.index.title}
        if source.category_label:
            return f"{name} ({source.category_label})"
        return name

    def link(self, source):
        url = source.index.get_full_url(source.request)
        return f"{url}?kategorie={source.category}" if source.category else url

    def description(self, source):
        return str(source.index.get_meta_description())

    subtitle = description  # Atom

    def items(self, source):
        articles = NewsPage.objects.child_of(source.index).live().public()
        if source.category:
            articles = articles.in_category(source.category)
        articles = articles.select_related("author_partner").prefetch_related("tagged_items__tag")
        return articles.newest_first()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers read the description as HTML: the teaser is plain text.
        return escape(item.teaser)

    def item_link(self, item):
        return item.get_full_url()

    def item_guid(self, item):
        return self.item_link(item)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.last_published_at or item.date

    def item_author_name(self, item):
        return item.author_display or None

    def item_categories(self, item):
        return [item.category_label, *(tagged.tag.name for tagged in item.tagged_items.all())]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
