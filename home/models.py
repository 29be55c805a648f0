"""The site's ground floor: home page, standard pages, partners and site settings."""

from django.db import models
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PreviewableMixin
from wagtail.search import index

from .blocks import BodyBlock
from .visibility import public_pages


class SeoMixin(models.Model):
    """Search-engine text and a sharing image for any page."""

    meta_description = models.CharField(
        _("Meta-Beschreibung"),
        max_length=300,
        blank=True,
        help_text=_("Kurzer Text für Suchmaschinen; leer lassen, um den Anreißer zu verwenden."),
    )

    class Meta:
        abstract = True

    #: Image fields tried, in order, for the sharing image (og:image, twitter:image).
    social_image_fields = ("lead_image", "image", "hero_image")

    def get_meta_description(self):
        return self.meta_description or getattr(self, "search_description", "") or ""

    def get_social_image(self):
        """The image shown when the page is shared, or None."""
        for name in self.social_image_fields:
            image = getattr(self, name, None)
            if image is not None:
                return image
        return None

    def get_social_image_alt(self):
        for name in ("lead_image_alt", "image_alt"):
            alt = getattr(self, name, "")
            if alt:
                return alt
        image = self.get_social_image()
        return image.default_alt_text if image is not None else ""


class HomePage(SeoMixin, Page):
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    hero_title = models.CharField(_("Überschrift im Kopfbereich"), max_length=160)
    hero_text = models.TextField(_("Text im Kopfbereich"), max_length=600, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Bild im Kopfbereich"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_text = models.CharField(_("Beschriftung der Schaltfläche"), max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Ziel der Schaltfläche"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_text"),
                FieldPanel("hero_cta_page"),
            ],
            heading=_("Kopfbereich"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("meta_description")]

    class Meta:
        verbose_name = _("Startseite")
        verbose_name_plural = _("Startseiten")

    @cached_property
    def child_pages(self) -> list[Page]:
        """The live, public pages below the home page, read once and as their own types
        (their fields deferred): the menu shows those marked for it, and the sections
        of the apps above find their page there (the catalogue, the news)."""
        return list(public_pages(self.get_children().live()).specific(defer=True))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["child_pages"] = SimpleLazyObject(lambda: self.child_pages)
        return context


class StandardPage(SeoMixin, Page):
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    teaser = models.TextField(
        _("Anreißer"), max_length=400, blank=True, help_text=_("Kurzer Text für Übersichten.")
    )
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("teaser"), index.SearchField("body")]

    content_panels = [*Page.content_panels, FieldPanel("teaser"), FieldPanel("body")]
    promote_panels = [*Page.promote_panels, FieldPanel("meta_description")]

    class Meta:
        verbose_name = _("Inhaltsseite")
        verbose_name_plural = _("Inhaltsseiten")

    def get_meta_description(self):
        return super().get_meta_description() or self.teaser


class Partner(PreviewableMixin, index.Indexed, models.Model):
    """A partner of the alliance, shown with its logo in the footer."""

    name = models.CharField(_("Name"), max_length=160)
    short_name = models.CharField(_("Kurzname"), max_length=60, blank=True)
    description = models.TextField(_("Kurzbeschreibung"), max_length=800, blank=True)
    website = models.URLField(_("Website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("description"),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("Partner")
        verbose_name_plural = _("Partner")

    def __str__(self):
        return self.name

    def get_preview_template(self, request, mode_name):
        return "home/partner_preview.html"


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact data and legal links shown in every page's footer."""

    organisation = models.CharField(
        _("Organisation"), max_length=160, default="Kreishandwerkerschaft Region Meißen"
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=160, blank=True)
    postcode_city = models.CharField(_("PLZ und Ort"), max_length=160, blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    opening_hours = models.TextField(_("Öffnungszeiten"), max_length=400, blank=True)
    imprint_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Impressum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Datenschutz"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Erklärung zur Barrierefreiheit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("street"),
                FieldPanel("postcode_city"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Kontakt"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("imprint_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading=_("Rechtliche Seiten"),
        ),
    ]

    #: the footer links the legal pages: read with the settings, in one query
    select_related = ["imprint_page", "privacy_page", "accessibility_page"]

    class Meta:
        verbose_name = _("Website-Einstellungen")

    @property
    def phone_link(self):
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


# The site search's own index (``home/search.py`` explains it). Rows are written only by
# ``home.search_index``; a page's rows change when the page is saved, published,
# unpublished or deleted, or when a date of a course changes (``update_index`` rebuilds
# them all).


class SearchWord(models.Model):
    """A word of the site, normalised (lower case, ä → ae, ß → ss) and stemmed."""

    word = models.CharField(max_length=60, unique=True)
    #: the word as it was first written on the site, for "Meinten Sie …?"
    form = models.CharField(max_length=60)
    #: how many indexed pages contain it (0: none any more)
    doc_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Suchwort")
        verbose_name_plural = _("Suchwörter")

    def __str__(self):
        return self.form


class SearchPosting(models.Model):
    """One word on one page, weighted by where it stands (title, teaser, body)."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    word = models.ForeignKey(SearchWord, on_delete=models.CASCADE, related_name="postings")
    weight = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["word", "page"], name="home_searchposting_unique")
        ]
        indexes = [models.Index(fields=["page"], name="home_searchposting_page")]


class SearchSynonym(models.Model):
    """Words of the trades that the site says differently: a search for the word finds
    the pages that use its synonyms too (e.g. Bäcker → Lebensmittelhandwerk)."""

    term = models.CharField(
        _("Suchwort"),
        max_length=60,
        unique=True,
        help_text=_("So suchen Besucherinnen und Besucher, z. B. „Bäcker“."),
    )
    synonyms = models.TextField(
        _("Gleichbedeutende Begriffe"),
        max_length=600,
        help_text=_(
            "So steht es auf der Website, durch Kommas getrennt, "
            "z. B. „Lebensmittelhandwerk, Nahrungsmittel“."
        ),
    )

    panels = [FieldPanel("term"), FieldPanel("synonyms")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("Synonym für die Suche")
        verbose_name_plural = _("Synonyme für die Suche")

    def __str__(self):
        return self.term

    def synonym_list(self) -> list[str]:
        return [
            part.strip() for part in self.synonyms.replace("\n", ",").split(",") if part.strip()
        ]
