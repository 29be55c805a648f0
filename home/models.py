"""The site's ground floor: home page, standard pages, partners and site settings."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.urls import Resolver404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    Page,
    PageViewRestriction,
    PreviewableMixin,
)
from wagtail.search import index

from .blocks import BodyBlock
from .cache import restrictions


class CachedViewRestrictionsMixin:
    """Wagtail asks every served page for its view restrictions: two queries, although
    almost no public page has any. This answers from the cached list of restricted
    pages (see ``home.cache``) and leaves aliases to Wagtail's own rule."""

    def get_view_restrictions(self):
        known = restrictions()
        steplen = self.steplen
        along_path = {self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)}
        if self.alias_of_id or along_path.intersection(known["aliases"]):
            return super().get_view_restrictions()
        ids = [pk for pk, path in known["restricted"] if path in along_path]
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)


class SeoMixin(CachedViewRestrictionsMixin, models.Model):
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


class DirectRoutingMixin:
    """Route a request with one query for the whole path, not two per level.

    Wagtail's own ``Page.route`` asks the database for each path segment's child
    and then for its specific page. A site root with this mixin looks up every
    page along the path at once and asks only the page where routing stops –
    the deepest page found, or an earlier page whose own sub-routes
    (``RoutablePageMixin``) answer the rest, which win over child pages as in
    Wagtail – to route the remainder in the usual way.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:length]) + "/"
            for length in range(1, len(path_components) + 1)
        ]
        along_path = (
            Page.objects.filter(url_path__in=prefixes, path__startswith=self.path)
            .order_by("depth")
            .values_list("pk", "depth", "content_type_id")
        )
        stop = None
        for position, (pk, depth, content_type_id) in enumerate(along_path):
            if depth != self.depth + position + 1:
                break
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            remaining = path_components[position + 1 :]
            stop = (pk, model, remaining)
            if remaining and _answers_sub_route(model, remaining):
                break
        if stop is None or stop[1] is None:
            raise Http404
        pk, model, remaining = stop
        try:
            page = model.objects.get(pk=pk)
        except model.DoesNotExist as error:
            raise Http404 from error
        return page.route(request, remaining)


def _answers_sub_route(model, path_components) -> bool:
    get_resolver = getattr(model, "get_resolver", None)
    if get_resolver is None:
        return False
    try:
        get_resolver().resolve("/" + "/".join(path_components) + "/")
    except (Resolver404, Http404):
        return False
    return True


class HomePage(DirectRoutingMixin, SeoMixin, Page):
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

    class Meta:
        verbose_name = _("Website-Einstellungen")

    @property
    def phone_link(self):
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
