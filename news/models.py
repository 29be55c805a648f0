"""News: the news section, its articles, categories and tags (feeds in feeds.py).

This app builds on ``home`` (page mixins, blocks, the cache of public content) and
nothing above it; articles name courses as pages of the type "courses.CoursePage",
without importing the catalogue.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from home.blocks import NewsBodyBlock
from home.cache import CachedItem, missing, public_pages, remember
from home.models import SeoMixin


class NewsCategory(models.TextChoices):
    PROJECT = "projekt", _("Projekt")
    EVENT = "veranstaltung", _("Veranstaltung")
    PRESS = "presse", _("Presse")
    COURSES = "kurse", _("Kurse")


class NewsPageQuerySet(PageQuerySet):
    def newest_first(self):
        return self.order_by("-date", "-pk")

    def in_category(self, category):
        return self.filter(category=category)

    def tagged(self, slug):
        return self.filter(tagged_items__tag__slug=slug).distinct()

    def in_year(self, year):
        return self.filter(date__year=year)

    def for_listing(self, renditions=True):
        """What a news card needs, in a fixed number of queries (the image sizes may
        be left to :func:`prefetch_card_images`, for the cards not in the cache)."""
        listing = self.defer_streamfields().select_related("lead_image", "author_partner")
        return listing.prefetch_related("lead_image__renditions") if renditions else listing


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)


def news_cards(ids: list[int], request) -> list:
    """Articles ready for their cards (news/includes/news_card.html), in the order of
    ``ids``; read from the database only where the card is not in the cache."""
    uncached = [ids[i] for i in missing("news-card", [(pk, 3) for pk in ids], request)]
    articles = {page.pk: page for page in NewsPage.objects.filter(pk__in=uncached).for_listing()}
    # an article deleted a moment ago is neither in the cache nor found: left out
    return [
        articles.get(pk) or CachedItem(pk) for pk in ids if pk in articles or pk not in uncached
    ]


class NewsIndexPage(SeoMixin, Page):
    """The news section (/aktuelles/): newest first, filters, year archive, feeds."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count = 1

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = [*Page.promote_panels, FieldPanel("meta_description")]

    per_page = 10

    class Meta:
        verbose_name = _("Nachrichtenübersicht")
        verbose_name_plural = _("Nachrichtenübersichten")

    def get_meta_description(self):
        return super().get_meta_description() or _(
            "Neuigkeiten der Innovationsakademie Handwerk: Projekt, Veranstaltungen, Presse, Kurse."
        )

    def get_articles(self):
        return public_pages(NewsPage.objects.child_of(self).live())

    def get_filters(self, request):
        """The valid filters of the request; anything unknown is ignored, never an error."""
        params = request.GET
        category = params.get("kategorie", "")
        if category not in NewsCategory.values:
            category = ""
        tag = params.get("schlagwort", "")[:100]
        year = params.get("jahr", "")
        year = int(year) if year.isdigit() and 1900 < int(year) < 3000 else None
        return {"category": category, "tag": tag, "year": year}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = self.get_filters(request)
        articles = self.get_articles()
        featured = None
        is_filtered = bool(filters["category"] or filters["tag"] or filters["year"])
        if filters["category"]:
            articles = articles.in_category(filters["category"])
        if filters["tag"]:
            articles = articles.tagged(filters["tag"])
        if filters["year"]:
            articles = articles.in_year(filters["year"])
        if not is_filtered:
            featured = articles.filter(featured=True).newest_first().values_list("pk", flat=True)
            featured = featured.first()
            if featured is not None:
                articles = articles.exclude(pk=featured)
        # ids for the page; the articles themselves only for cards not in the cache
        paginator = Paginator(articles.newest_first().values_list("pk", flat=True), self.per_page)
        page_obj = paginator.get_page(request.GET.get("page"))
        if featured is not None and page_obj.number > 1:
            featured = None
        ids = [*page_obj.object_list, *([featured] if featured is not None else [])]
        cards = news_cards(ids, request)
        featured = cards.pop() if featured is not None and cards[-1].pk == featured else None
        page_obj.object_list = cards
        all_articles = self.get_articles()
        context.update(
            {
                "filters": filters,
                "is_filtered": is_filtered,
                "featured": featured,
                "articles": page_obj,
                "paginator": paginator,
                "categories": NewsCategory.choices,
                "category_label": dict(NewsCategory.choices).get(filters["category"], ""),
                # the same for every visitor until the next publish
                "tags": remember(
                    "news-tags",
                    (self.pk,),
                    lambda: list(
                        Tag.objects.filter(news_newspagetag_items__content_object__in=all_articles)
                        .distinct()
                        .order_by("name")
                    ),
                    request=request,
                ),
                "years": remember(
                    "news-years",
                    (self.pk,),
                    lambda: [d.year for d in all_articles.dates("date", "year", order="DESC")],
                    request=request,
                ),
            }
        )
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(SeoMixin, Page):
    """A news article."""

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    date = models.DateTimeField(_("Datum"), default=timezone.now)
    category = models.CharField(
        _("Kategorie"), max_length=20, choices=NewsCategory.choices, default=NewsCategory.PROJECT
    )
    featured = models.BooleanField(
        _("Hervorheben"),
        default=False,
        help_text=_("Der neueste hervorgehobene Artikel steht groß über der Übersicht."),
    )
    author_name = models.CharField(
        _("Autorin/Autor"), max_length=120, blank=True, help_text=_("Name einer Person.")
    )
    author_partner = models.ForeignKey(
        "home.Partner",
        verbose_name=_("Partner als Autor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    teaser = models.TextField(
        _("Anreißer"), max_length=400, help_text=_("Kurzer Text für Übersichten und Feeds.")
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Aufmacherbild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_alt = models.CharField(
        _("Alternativtext"),
        max_length=250,
        blank=True,
        help_text=_("Beschreibt das Bild für Menschen, die es nicht sehen. Pflicht bei Bildern."),
    )
    lead_image_caption = models.CharField(_("Bildunterschrift"), max_length=250, blank=True)
    lead_image_credit = models.CharField(_("Bildnachweis"), max_length=120, blank=True)
    body = StreamField(NewsBodyBlock(), verbose_name=_("Inhalt"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, verbose_name=_("Schlagwörter"), blank=True)

    objects = NewsPageManager()

    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.SearchField("author_name"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("category"),
        index.FilterField("date"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
        FieldPanel("teaser"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_alt"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading=_("Aufmacherbild"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("author_name"), FieldPanel("author_partner")], heading=_("Autor")
        ),
        FieldPanel("tags"),
        FieldPanel("featured"),
        InlinePanel("related_courses", heading=_("Passende Kurse"), label=_("Kurs")),
        InlinePanel("related_news", heading=_("Weitere Artikel"), label=_("Artikel")),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("meta_description")]

    class Meta:
        verbose_name = _("Neuigkeit")
        verbose_name_plural = _("Neuigkeiten")

    def clean(self):
        super().clean()
        if self.lead_image_id and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": _("Bitte beschreiben Sie das Bild in einem Alternativtext.")}
            )

    def get_meta_description(self):
        return super().get_meta_description() or self.teaser

    @property
    def category_label(self):
        return self.get_category_display()

    @cached_property
    def author_display(self):
        names = [self.author_name]
        if self.author_partner_id:
            names.append(self.author_partner.name)
        return ", ".join(name for name in names if name)

    def get_related_courses(self):
        ids = [link.course_id for link in self.related_courses.all() if link.course_id]
        pages = Page.objects.live().public().filter(pk__in=ids).specific()
        by_id = {page.pk: page for page in pages}
        return [by_id[pk] for pk in ids if pk in by_id]

    def get_related_news(self):
        ids = [link.article_id for link in self.related_news.all() if link.article_id]
        pages = NewsPage.objects.live().public().filter(pk__in=ids).for_listing()
        by_id = {page.pk: page for page in pages}
        return [by_id[pk] for pk in ids if pk in by_id]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # read only when the article is rendered, not when it comes from the cache of
        # public content (see home.cache)
        context["related_courses"] = SimpleLazyObject(self.get_related_courses)
        context["related_news"] = SimpleLazyObject(self.get_related_news)
        context["news_index"] = SimpleLazyObject(self.get_parent)
        context["json_ld"] = partial(self.get_json_ld, request)
        return context

    def get_json_ld(self, request=None):
        """schema.org NewsArticle of this page (rendered in its template)."""
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title[:110],
            "description": self.get_meta_description(),
            "datePublished": timezone.localtime(self.date).isoformat(),
            "dateModified": timezone.localtime(self.last_published_at or self.date).isoformat(),
            "mainEntityOfPage": self.get_full_url(request),
            "publisher": {"@type": "Organization", "name": "Innovationsakademie Handwerk"},
        }
        authors = []
        if self.author_name:
            authors.append({"@type": "Person", "name": self.author_name})
        if self.author_partner_id:
            author = {"@type": "Organization", "name": self.author_partner.name}
            if self.author_partner.website:
                author["url"] = self.author_partner.website
            authors.append(author)
        data["author"] = authors or [
            {"@type": "Organization", "name": "Innovationsakademie Handwerk"}
        ]
        if self.lead_image_id:
            rendition = self.lead_image.get_rendition("fill-1200x675")
            data["image"] = [_absolute(rendition.url, request)]
        return data


def _absolute(url, request=None):
    if url.startswith(("http://", "https://")):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    from django.conf import settings

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


class NewsRelatedCourse(Orderable):
    """A course shown below an article (a CoursePage, chosen by page type name)."""

    page = ParentalKey(NewsPage, related_name="related_courses", on_delete=models.CASCADE)
    course = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Kurs"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("course", page_type="courses.CoursePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("Passender Kurs")
        verbose_name_plural = _("Passende Kurse")


class NewsRelatedArticle(Orderable):
    page = ParentalKey(NewsPage, related_name="related_news", on_delete=models.CASCADE)
    article = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("article", page_type="news.NewsPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("Weiterer Artikel")
        verbose_name_plural = _("Weitere Artikel")
