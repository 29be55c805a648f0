"""News: the news section, its articles, categories and tags (feeds in feeds.py).

This app builds on ``courses`` (an article names the courses it talks about and shows
their next dates) and ``home`` (page mixins, blocks, the cache of public content); the
catalogue never imports it: a course page lists the articles naming it through the
inclusion point "course_page_aside" (wagtail_hooks.py).
"""

import hashlib
from functools import partial

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
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

from courses.models import CourseDate
from home.blocks import NewsBodyBlock
from home.models import SeoMixin
from home.visibility import public_pages


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

    def naming_course(self, course):
        """Articles that name ``course`` among their courses (each once)."""
        return self.filter(pk__in=NewsRelatedCourse.objects.filter(course=course).values("page_id"))

    def for_listing(self, renditions=True):
        """What a news card needs, in a fixed number of queries (the image sizes may
        be left to :func:`prefetch_card_images`, for the cards not in the cache)."""
        listing = self.defer_streamfields().select_related("lead_image", "author_partner")
        return listing.prefetch_related("lead_image__renditions") if renditions else listing


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)


def news_cards(ids: list[int]) -> SimpleLazyObject:
    """Articles ready for their cards (news/includes/news_card.html), in the order of
    ``ids``; read only when a list that is not in the cache is rendered."""

    def load():
        articles = {page.pk: page for page in NewsPage.objects.filter(pk__in=ids).for_listing()}
        # an article deleted a moment ago is left out
        return [articles[pk] for pk in ids if pk in articles]

    return SimpleLazyObject(load)


def articles_naming(course, count: int) -> list:
    """The newest ``count`` live, public articles that name ``course``, in one query
    (what a list of their titles and dates needs)."""
    articles = public_pages(NewsPage.objects.live().naming_course(course))
    return list(articles.defer_streamfields().newest_first()[:count])


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
        is_filtered = bool(filters["category"] or filters["tag"] or filters["year"])
        articles = self.get_articles()
        if filters["category"]:
            articles = articles.in_category(filters["category"])
        if filters["tag"]:
            articles = articles.tagged(filters["tag"])
        if filters["year"]:
            articles = articles.in_year(filters["year"])
        # One small query: id, date and publish time of every article shown, newest
        # first; the featured one, the page, the years and the cache keys come from it.
        rows = list(
            articles.newest_first().values_list("pk", "featured", "date", "last_published_at")
        )
        featured = None
        if not is_filtered:
            featured = next((row for row in rows if row[1]), None)
            if featured is not None:
                rows.remove(featured)
        paginator = Paginator(rows, self.per_page)
        page_obj = paginator.get_page(request.GET.get("page"))
        if page_obj.number > 1:
            featured = None
        shown = list(page_obj.object_list)
        # the featured article and the page's articles, read together if at all
        cards = news_cards([row[0] for row in ([featured] if featured else []) + shown])
        page_obj.object_list = SimpleLazyObject(lambda: cards[1:] if featured else list(cards))
        everything = (
            rows + ([featured] if featured is not None else [])
            if not is_filtered
            else list(
                self.get_articles().values_list("pk", "featured", "date", "last_published_at")
            )
        )
        context.update(
            {
                "filters": filters,
                "is_filtered": is_filtered,
                "featured": SimpleLazyObject(lambda: cards[:1]) if featured else [],
                "articles": page_obj,
                "paginator": paginator,
                # the cached list: the articles shown (ids and publish times) and where
                "list_key": (
                    featured and (featured[0], str(featured[3])),
                    [(pk, str(published)) for pk, _f, _d, published in shown],
                    page_obj.number,
                    paginator.count,
                    sorted(filters.items()),
                ),
                "categories": NewsCategory.choices,
                "category_label": dict(NewsCategory.choices).get(filters["category"], ""),
                # tags and years of all articles: read only when the cached side bar
                # (named by every article's id and publish time) is missing
                "archive_key": hashlib.sha256(
                    repr(
                        sorted((pk, str(published)) for pk, _f, _d, published in everything)
                    ).encode()
                ).hexdigest(),
                "tags": SimpleLazyObject(
                    lambda: list(
                        Tag.objects.filter(
                            news_newspagetag_items__content_object__in=self.get_articles()
                        )
                        .distinct()
                        .order_by("name")
                    )
                ),
                "years": sorted(
                    {timezone.localtime(date).year for _pk, _f, date, _p in everything},
                    reverse=True,
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
        InlinePanel(
            "related_courses",
            heading=_("Kurse zum Artikel"),
            label=_("Kurs"),
            help_text=_(
                "Die Kurse, um die es im Artikel geht. Sie stehen in dieser Reihenfolge unter "
                "dem Artikel, jeweils mit den nächsten Terminen und freien Plätzen; die "
                "Kursseite nennt dafür den Artikel unter „Aktuelles zum Kurs“. Kurse, die "
                "nicht veröffentlicht oder nicht öffentlich sind, werden nicht gezeigt."
            ),
        ),
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

    #: how many of its next bookable dates an article shows of each course it names
    DATES_PER_COURSE = 3

    def get_links(self, request=None) -> tuple[list, list]:
        """The live, public pages linked below the article, in the editor's order, in one
        query: the courses (page objects with ``course_teaser``) and the articles (their
        ids and publish times name the cached list; news_cards reads them).

        A preview shows the links of the draft, which only the page object holds."""
        if self.pk and not getattr(request, "is_preview", False):
            course_links = NewsRelatedCourse.objects.filter(page=self)
            article_links = NewsRelatedArticle.objects.filter(page=self)
            linked = Q(pk__in=course_links.values("course_id")) | Q(
                pk__in=article_links.values("article_id")
            )
            order = {
                "course_order": _link_order(course_links.filter(course=OuterRef("pk"))),
                "article_order": _link_order(article_links.filter(article=OuterRef("pk"))),
            }
        else:
            course_ids = [link.course_id for link in self.related_courses.all() if link.course_id]
            article_ids = [link.article_id for link in self.related_news.all() if link.article_id]
            if not course_ids and not article_ids:
                return [], []
            linked = Q(pk__in=course_ids) | Q(pk__in=article_ids)
            order = {
                "course_order": _position(course_ids),
                "article_order": _position(article_ids),
            }
        pages = public_pages(Page.objects.live().filter(linked)).annotate(
            course_teaser=F("coursepage__teaser"), **order
        )
        courses, articles = [], []
        for page in pages:
            if page.course_order is not None:
                courses.append(page)
            elif page.article_order is not None:
                articles.append(page)
        courses.sort(key=lambda page: (page.course_order, page.pk))
        articles.sort(key=lambda page: (page.article_order, page.pk))
        return courses, articles

    def with_next_dates(self, courses: list) -> list:
        """``courses``, each with ``next_dates``: its next dates one can enrol for (full
        ones take a waiting list), read in one query – always, they show free seats."""
        if not courses:
            return courses
        by_course = {course.pk: [] for course in courses}
        dates = (
            CourseDate.objects.filter(course_id__in=by_course)
            .open_for_enrolment()
            .defer("sessions")
            .order_by("start", "pk")
        )
        for date in dates:
            if len(by_course[date.course_id]) < self.DATES_PER_COURSE:
                by_course[date.course_id].append(date)
        for course in courses:
            course.next_dates = by_course[course.pk]
        return courses

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        courses, articles = self.get_links(request)
        # the courses are rendered on every request (their dates show free seats); the
        # linked articles only when their cached list (named by their ids and publish
        # times) is missing
        context["related_courses"] = self.with_next_dates(courses)
        context["related_state"] = [(page.pk, str(page.last_published_at)) for page in articles]
        context["related_news"] = news_cards([page.pk for page in articles]) if articles else []
        context["news_index"] = SimpleLazyObject(self.get_parent)  # known from the routing
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


def _link_order(links):
    """The place of the first of ``links`` as a subquery (None: not linked)."""
    first = links.annotate(place=Coalesce("sort_order", 0)).order_by("sort_order", "pk")
    return Subquery(first.values("place")[:1])


def _position(ids: list[int]):
    """The position of a page's id in ``ids`` as a query expression (None if absent)."""
    if not ids:
        return models.Value(None, output_field=models.IntegerField())
    return models.Case(
        *(models.When(pk=pk, then=models.Value(position)) for position, pk in enumerate(ids)),
        default=None,
        output_field=models.IntegerField(),
    )


def _absolute(url, request=None):
    if url.startswith(("http://", "https://")):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    from django.conf import settings

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


class NewsRelatedCourse(Orderable):
    """A course the article talks about: shown below it with its next dates, and the
    article on the course's page. An ordered inline (not a many-to-many field), so the
    editor decides the order; saved with the article's revisions."""

    page = ParentalKey(NewsPage, related_name="related_courses", on_delete=models.CASCADE)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("Kurs"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("course", help_text=_("Einen Kurs aus dem Kurskatalog wählen."))]

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
