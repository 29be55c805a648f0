"""The catalogue: topics, target groups, trades, trainers, course pages and their dates.

``CourseDate.seats_confirmed`` is changed only by ``enrolment.services``, inside the
transaction that changes the enrolment it counts; this app never imports enrolment.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyBlock
from home.models import SeoMixin


class Topic(index.Indexed, models.Model):
    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname für Adressen"), max_length=80, unique=True)
    description = models.TextField(_("Kurzbeschreibung"), max_length=400, blank=True)
    colour = models.CharField(
        _("Farbe"),
        max_length=20,
        default="blue",
        choices=[
            ("blue", _("Blau")),
            ("orange", _("Orange")),
            ("green", _("Grün")),
            ("purple", _("Violett")),
            ("red", _("Rot")),
        ],
    )
    icon = models.CharField(
        _("Symbol"),
        max_length=20,
        default="spark",
        choices=[
            ("digital", _("Digitalisierung")),
            ("handover", _("Übergabe")),
            ("spark", _("Idee")),
            ("tools", _("Werkzeug")),
            ("people", _("Menschen")),
        ],
    )
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("colour"),
        FieldPanel("icon"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")

    def __str__(self):
        return self.name


class TargetGroup(models.Model):
    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname für Adressen"), max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")

    def __str__(self):
        return self.name


class Trade(models.Model):
    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname für Adressen"), max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("Gewerkegruppe")
        verbose_name_plural = _("Gewerkegruppen")

    def __str__(self):
        return self.name


class Trainer(index.Indexed, models.Model):
    name = models.CharField(_("Name"), max_length=120)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Foto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("Kurzbiografie"), max_length=1200, blank=True)
    partner = models.ForeignKey(
        "home.Partner",
        verbose_name=_("Organisation (Bündnispartner)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainers",
    )
    external_organisation = models.CharField(
        _("Externe Organisation"),
        max_length=160,
        blank=True,
        help_text=_("Nur ausfüllen, wenn die Person nicht für einen Bündnispartner arbeitet."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer_profile",
        help_text=_("Gibt der Person Zugriff auf Teilnehmerlisten und Kursmaterial ihrer Kurse."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("partner"),
        FieldPanel("external_organisation"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Trainer/in")
        verbose_name_plural = _("Trainerinnen und Trainer")

    def __str__(self):
        return self.name

    @property
    def organisation(self) -> str:
        if self.partner_id:
            return self.partner.name
        return self.external_organisation


class CourseIndexPage(SeoMixin, Page):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = [*Page.promote_panels, FieldPanel("meta_description")]

    class Meta:
        verbose_name = _("Kurskatalog")
        verbose_name_plural = _("Kurskataloge")


class CourseFormat(models.TextChoices):
    PRESENCE = "presence", _("Präsenz")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class CoursePage(SeoMixin, Page):
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types: list[str] = []

    teaser = models.TextField(_("Anreißer"), max_length=400)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("Alternativtext des Bildes"),
        max_length=250,
        blank=True,
        help_text=_("Beschreibt das Bild für Menschen, die es nicht sehen. Pflicht bei Bildern."),
    )
    description = StreamField(BodyBlock(), verbose_name=_("Beschreibung"), blank=True)
    learning_objectives = RichTextField(
        _("Lernziele"), blank=True, features=["bold", "italic", "ul", "ol"]
    )
    prerequisites = models.TextField(_("Voraussetzungen"), max_length=1000, blank=True)
    topics = ParentalManyToManyField(Topic, verbose_name=_("Themen"), related_name="courses")
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name=_("Zielgruppen"), related_name="courses", blank=True
    )
    trades = ParentalManyToManyField(
        Trade, verbose_name=_("Gewerkegruppen"), related_name="courses", blank=True
    )
    trainers = ParentalManyToManyField(
        Trainer, verbose_name=_("Trainer/innen"), related_name="courses", blank=True
    )
    format = models.CharField(
        _("Format"), max_length=20, choices=CourseFormat.choices, default=CourseFormat.PRESENCE
    )
    duration_hours = models.DecimalField(
        _("Dauer in Stunden"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    teaching_units = models.PositiveSmallIntegerField(
        _("Unterrichtseinheiten"),
        null=True,
        blank=True,
        help_text=_("Eine Unterrichtseinheit (UE) dauert 45 Minuten."),
    )
    price = models.DecimalField(
        _("Preis in Euro"),
        max_digits=8,
        decimal_places=2,
        default=0,
        help_text=_("0 für kostenfreie (geförderte) Kurse."),
    )
    funding_notes = models.TextField(_("Hinweise zur Förderung"), max_length=1000, blank=True)
    certificate = models.CharField(
        _("Abschluss"),
        max_length=200,
        blank=True,
        help_text=_("z. B. Teilnahmebescheinigung der Kreishandwerkerschaft"),
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=120, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=40, blank=True)
    what_to_bring = models.TextField(_("Bitte mitbringen"), max_length=800, blank=True)
    flyer = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Flyer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("description"),
        index.SearchField("learning_objectives"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("trainers", [index.SearchField("name")]),
        index.FilterField("format"),
        index.FilterField("price"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Bild")),
        FieldPanel("description"),
        FieldPanel("learning_objectives"),
        FieldPanel("prerequisites"),
        FieldPanel("what_to_bring"),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("trades", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Einordnung"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("format"),
                FieldRowPanel([FieldPanel("duration_hours"), FieldPanel("teaching_units")]),
                FieldPanel("price"),
                FieldPanel("funding_notes"),
                FieldPanel("certificate"),
                FieldPanel("flyer"),
            ],
            heading=_("Rahmen"),
        ),
        FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Ansprechperson"),
        ),
        InlinePanel("dates", heading=_("Termine"), label=_("Termin")),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("meta_description")]

    class Meta:
        verbose_name = _("Kurs")
        verbose_name_plural = _("Kurse")

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Bitte beschreiben Sie das Bild in einem Alternativtext.")}
            )

    def get_meta_description(self):
        return super().get_meta_description() or self.teaser


class CourseDateQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(start__gte=now or timezone.now())

    def planned(self):
        return self.filter(status=CourseDate.Status.PLANNED)

    def open_for_enrolment(self, now=None):
        now = now or timezone.now()
        return (
            self.planned()
            .filter(start__gt=now)
            .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=now))
        )

    def with_free_seats(self):
        return self.filter(seats_confirmed__lt=F("capacity"))


class CourseDate(Orderable):
    """A "Termin": one run of a course with its own seats."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        CANCELLED = "cancelled", _("abgesagt")

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="dates")
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    venue_name = models.CharField(
        _("Ort"), max_length=160, blank=True, help_text=_("z. B. Qualifizierungszentrum Riesa")
    )
    venue_address = models.CharField(_("Adresse"), max_length=250, blank=True)
    city = models.CharField(_("Stadt"), max_length=80, blank=True)
    is_online = models.BooleanField(_("Online-Termin"), default=False)
    capacity = models.PositiveIntegerField(_("Plätze"), default=12)
    seats_confirmed = models.PositiveIntegerField(
        _("Belegte Plätze"),
        default=0,
        editable=False,
        help_text=_("Wird von der Anmeldung gezählt und kann nicht bearbeitet werden."),
    )
    min_participants = models.PositiveIntegerField(
        _("Mindestteilnehmerzahl"), null=True, blank=True
    )
    registration_deadline = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True)
    price_override = models.DecimalField(
        _("Abweichender Preis in Euro"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    cancellation_reason = models.CharField(_("Grund der Absage"), max_length=300, blank=True)

    objects = CourseDateQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("is_online"),
        FieldRowPanel([FieldPanel("venue_name"), FieldPanel("city")]),
        FieldPanel("venue_address"),
        FieldRowPanel(
            [FieldPanel("capacity"), FieldPanel("min_participants"), FieldPanel("price_override")]
        ),
        FieldPanel("registration_deadline"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("cancellation_reason")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_confirmed__gte=0) & Q(seats_confirmed__lte=F("capacity")),
                name="coursedate_seats_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="coursedate_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["start"]), models.Index(fields=["status", "start"])]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.course.title} – {local:%d.%m.%Y %H:%M}"

    @property
    def free_seats(self) -> int:
        return max(self.capacity - self.seats_confirmed, 0)

    @property
    def effective_price(self):
        return self.price_override if self.price_override is not None else self.course.price

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("Das Ende muss nach dem Beginn liegen.")
        if self.capacity is not None and self.capacity < self.seats_confirmed:
            errors["capacity"] = _(
                "Es sind schon %(taken)d Plätze vergeben. Die Platzzahl kann nicht unter "
                "diese Zahl gesenkt werden."
            ) % {"taken": self.seats_confirmed}
        if self.registration_deadline and self.start and self.registration_deadline > self.start:
            errors["registration_deadline"] = _("Der Anmeldeschluss muss vor dem Beginn liegen.")
        if self.status == self.Status.CANCELLED and not self.cancellation_reason.strip():
            errors["cancellation_reason"] = _("Bitte geben Sie einen Grund für die Absage an.")
        if errors:
            raise ValidationError(errors)
