"""The catalogue: topics, target groups, trades, trainers, course pages and their dates.

Dates are not part of a course page's revisions: a ``CourseDate`` is a row of its
own with a plain foreign key to its course, edited in the "Termine" listing (and
reached from the course editor). Saving, publishing, copying or reverting a course
page never writes a date. The booking state on a date (``seats_confirmed``,
``status``, ``cancellation_reason``) is changed only by ``enrolment.services``,
inside the transaction that changes the enrolments it counts; ``CourseDate.save``
never writes it. This app never imports enrolment.
"""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock
from home.models import SeoMixin
from home.renditions import prefetch_renditions
from home.visibility import public_pages

from .forms import CourseCopyForm, CourseDateForm
from .funding_models import (  # noqa: F401 – the programme models are registered here
    FundingProgramme,
    FundingSizeBand,
    Qualification,
    Schedule,
)
from .panels import CourseDatesPanel
from .signals import booking_changed


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


class ChoiceTerm(models.Model):
    """An editor-managed choice of the catalogue (target group, trade)."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname für Adressen"), max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class TargetGroup(ChoiceTerm):
    class Meta(ChoiceTerm.Meta):
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")


class Trade(ChoiceTerm):
    class Meta(ChoiceTerm.Meta):
        verbose_name = _("Gewerkegruppe")
        verbose_name_plural = _("Gewerkegruppen")


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


class CourseIndexPage(RoutablePageMixin, SeoMixin, Page):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = [*Page.promote_panels, FieldPanel("meta_description")]

    class Meta:
        verbose_name = _("Kurskatalog")
        verbose_name_plural = _("Kurskataloge")

    def get_context(self, request, *args, **kwargs):
        from .catalogue import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(self, request))
        return context

    def courses(self):
        """The live courses of this catalogue (filters and sorting come on top)."""
        return public_pages(CoursePage.objects.child_of(self).live())

    @path("kalender/", name="calendar_feed")
    def calendar_feed(self, request):
        """All upcoming dates as a subscribable iCalendar feed (``?thema=<slug>``)."""
        from .ical import calendar_feed_response

        return calendar_feed_response(self, request)

    def calendar_feed_url(self, request=None) -> str:
        return (self.get_url(request) or "") + self.reverse_subpage("calendar_feed")


# Sub-addresses of the catalogue page; a course with such a slug could not be reached.
RESERVED_COURSE_SLUGS = {"kalender"}


class CourseFormat(models.TextChoices):
    PRESENCE = "presence", _("Präsenz")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class VatTreatment(models.TextChoices):
    EXEMPT_21 = "exempt_21", _("umsatzsteuerfrei nach § 4 Nr. 21 UStG")
    EXEMPT_22 = "exempt_22", _("umsatzsteuerfrei nach § 4 Nr. 22 UStG")
    TAXED_19 = "taxed_19", _("19 % Umsatzsteuer")


class CoursePage(RoutablePageMixin, SeoMixin, Page):
    parent_page_types = ["courses.CourseIndexPage"]
    # Nothing below a course unless an app above adds its page type in its ready()
    # (learning adds the course material).
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
    member_price = models.DecimalField(
        _("Preis für Innungsmitglieder"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Für Betriebe, die Mitglied einer Innung der Kreishandwerkerschaft sind."),
    )
    early_price = models.DecimalField(
        _("Frühbucherpreis"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Gilt für Anmeldungen bis zum Frühbucherdatum."),
    )
    early_price_until = models.DateField(
        _("Frühbucherpreis bis einschließlich"), null=True, blank=True
    )
    vat_treatment = models.CharField(
        _("Umsatzsteuer"),
        max_length=20,
        choices=VatTreatment.choices,
        default=VatTreatment.EXEMPT_21,
        help_text=_("Alle Preise sind Endpreise; bei 19 Prozent ist die Umsatzsteuer enthalten."),
    )
    funding_notes = models.TextField(_("Hinweise zur Förderung"), max_length=1000, blank=True)
    is_information_event = models.BooleanField(
        _("Informationsveranstaltung"),
        default=False,
        help_text=_(
            "Vortrag, Infoabend oder Messeauftritt statt eines Kurses: erscheint nicht in KURSNET."
        ),
    )
    # the facts funding rules ask for (courses/funding.py)
    qualification = models.CharField(
        _("Bereitet vor auf"),
        max_length=20,
        choices=Qualification.choices,
        blank=True,
        default=Qualification.NONE,
    )
    schedule = models.CharField(
        _("Unterrichtsform"), max_length=20, choices=Schedule.choices, blank=True, default=""
    )
    planned_months = models.PositiveSmallIntegerField(
        _("Geplante Dauer in Monaten"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Vom ersten bis zum letzten Unterrichtstag eines Durchgangs, aufgerundet. "
            "Danach prüft die Website die Fortbildungsdichte (z. B. beim Aufstiegs-BAföG)."
        ),
    )
    azav_course_number = models.CharField(
        _("AZAV-Maßnahmenummer"),
        max_length=60,
        blank=True,
        help_text=_("Die Nummer der Maßnahmezulassung durch die fachkundige Stelle."),
    )
    azav_course_valid_until = models.DateField(
        _("Maßnahmezulassung gültig bis"), null=True, blank=True
    )
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
        # "Lebensmittel" or "Gesellen" find the courses for that trade or group
        index.RelatedFields("trades", [index.SearchField("name")]),
        index.RelatedFields("target_groups", [index.SearchField("name")]),
        # the admin's page search autocompletes: trainers' names too
        index.RelatedFields(
            "trainers", [index.SearchField("name"), index.AutocompleteField("name")]
        ),
        # the dates' places, so that "Riesa" or "online" finds the courses held there
        index.RelatedFields(
            "dates",
            [index.SearchField("city"), index.SearchField("venue_name")],
        ),
        index.FilterField("format"),
        index.FilterField("price"),
    ]

    # The editor in three tabs: what the course is about, when it takes place, and the
    # framework (price, contact, address, publishing, comments).
    content_panels = [
        *Page.content_panels,
        FieldPanel(
            "teaser",
            help_text=_("Zwei, drei Sätze für die Kurskarte im Katalog und für Suchmaschinen."),
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "image",
                    help_text=_(
                        "Querformat, mindestens 1200 Pixel breit. Den Bildausschnitt "
                        "(Fokuspunkt) legen Sie beim Bild selbst fest."
                    ),
                ),
                FieldPanel("image_alt"),
            ],
            heading=_("Bild"),
        ),
        FieldPanel(
            "description",
            help_text=_(
                "Der Haupttext: Worum geht es, für wen ist der Kurs, wie läuft er ab? "
                "Bausteine fügen Sie mit dem Plus-Zeichen ein."
            ),
        ),
        FieldPanel("learning_objectives", help_text=_("Was können die Teilnehmenden danach?")),
        FieldPanel("prerequisites", help_text=_("Leer lassen, wenn es keine gibt.")),
        FieldPanel("what_to_bring"),
        MultiFieldPanel(
            [
                FieldPanel(
                    "topics",
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Mindestens ein Thema; danach filtert der Katalog."),
                ),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("trades", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Einordnung"),
        ),
        FieldPanel(
            "trainers",
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "Trainerinnen und Trainer mit Benutzerkonto sehen die Teilnehmerlisten "
                "dieses Kurses."
            ),
        ),
    ]
    dates_panels = [CourseDatesPanel(heading=_("Termine"))]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("format"),
                FieldPanel("is_information_event"),
                FieldRowPanel([FieldPanel("duration_hours"), FieldPanel("teaching_units")]),
                FieldRowPanel([FieldPanel("price"), FieldPanel("member_price")]),
                FieldRowPanel([FieldPanel("early_price"), FieldPanel("early_price_until")]),
                FieldPanel("vat_treatment"),
                FieldPanel("funding_notes"),
                FieldPanel("certificate"),
                FieldPanel("flyer", help_text=_("Optional: ein PDF zum Herunterladen.")),
            ],
            heading=_("Rahmen"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("qualification"),
                FieldRowPanel([FieldPanel("schedule"), FieldPanel("planned_months")]),
                FieldRowPanel(
                    [FieldPanel("azav_course_number"), FieldPanel("azav_course_valid_until")]
                ),
            ],
            heading=_("Förderung"),
            help_text=_(
                "Daraus ermittelt die Website, welche Förderprogramme für den Kurs in Frage "
                "kommen (Kurskatalog → Förderprogramme). Dauer und Unterrichtseinheiten "
                "stehen unter „Rahmen“."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Ansprechperson"),
        ),
        MultiFieldPanel(
            [*Page.promote_panels, FieldPanel("meta_description")],
            heading=_("Adresse und Suchmaschinen"),
        ),
        *Page.settings_panels,
    ]
    promote_panels = []
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Inhalt")),
            ObjectList(dates_panels, heading=_("Termine")),
            ObjectList(settings_panels, heading=_("Einstellungen")),
        ],
    )
    # Wagtail's copy form, with the choice to copy the dates (without their bookings)
    copy_form_class = CourseCopyForm

    class Meta:
        verbose_name = _("Kurs")
        verbose_name_plural = _("Kurse")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_COURSE_SLUGS:
            raise ValidationError(
                {"slug": _("Diese Adresse ist für den Kalender des Katalogs reserviert.")}
            )
        if self.image_id and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Bitte beschreiben Sie das Bild in einem Alternativtext.")}
            )
        from .pricing import price_errors

        errors = price_errors(
            price=self.price,
            member=self.member_price,
            early=self.early_price,
            early_until=self.early_price_until,
            fields=("price", "member_price", "early_price", "early_price_until"),
        )
        if errors:
            raise ValidationError(errors)

    def get_meta_description(self):
        return super().get_meta_description() or self.teaser

    def get_social_image(self):
        if self.image_id:
            self.trainer_list  # noqa: B018 – the page's images are read together
        return self.image

    @cached_property
    def trainer_list(self) -> list["Trainer"]:
        """The trainers with photo and organisation; the renditions of their photos and
        of the course image in one query (read when a fragment shows one of them)."""
        trainers = list(self.trainers.select_related("partner", "photo"))
        prefetch_renditions([self.image, *(trainer.photo for trainer in trainers)])
        return trainers

    def get_social_image_alt(self):
        return self.image_alt

    def upcoming_dates(self, request=None, now=None) -> list["CourseDate"]:
        """Dates that have not started yet, cancelled ones included, soonest first."""
        if not self.pk:  # the preview of a course not saved yet
            return []
        return list(CourseDate.objects.filter(course=self).upcoming(now).order_by("start", "pk"))

    @cached_property
    def _taxonomy(self) -> dict:
        """The course's topics, target groups and trades, each in its order: one query
        (a union of the three) instead of one per kind."""
        kinds = (("topics", Topic), ("target_groups", TargetGroup), ("trades", Trade))
        parts = [
            model.objects.filter(courses=self)
            .order_by()
            .annotate(
                kind=models.Value(position),
                extra_colour=models.Value("") if model is not Topic else models.F("colour"),
                extra_icon=models.Value("") if model is not Topic else models.F("icon"),
            )
            .values_list("kind", "sort_order", "name", "pk", "slug", "extra_colour", "extra_icon")
            for position, (_name, model) in enumerate(kinds)
        ]
        rows = parts[0].union(*parts[1:], all=True).order_by("kind", "sort_order", "name")
        found = {name: [] for name, _model in kinds}
        for kind, order, name, pk, slug, colour, icon in rows:
            field, model = kinds[kind]
            extra = {"colour": colour, "icon": icon} if model is Topic else {}
            found[field].append(model(pk=pk, name=name, slug=slug, sort_order=order, **extra))
        return found

    def taxonomy(self, request=None) -> dict:
        if not self.pk or getattr(request, "is_preview", False):
            # a preview shows the choices of the draft, which the database does not hold
            return {
                "topics": list(self.topics.all()),
                "target_groups": list(self.target_groups.all()),
                "trades": list(self.trades.all()),
            }
        return self._taxonomy

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page_url = self.get_url(request) or ""
        dates = self.upcoming_dates(request)
        for date in dates:
            date.course = self
            if date.pk:
                date.calendar_url = page_url + self.reverse_subpage("date_calendar", args=[date.pk])
        # Read only when a template fragment is rendered, not when it comes from the
        # cache (the dates above are always read: they show seats).
        context.update(
            dates=dates,
            # what the structured data says of each date (its availability)
            # (and the day: an early-booking price ends with it)
            dates_state=(
                timezone.localdate(),
                *(
                    (d.pk, d.status, d.capacity, d.seats_confirmed, d.is_open_for_enrolment)
                    for d in dates
                ),
            ),
            next_date=next((d for d in dates if d.is_open_for_enrolment), None),
            topic_list=SimpleLazyObject(lambda: self.taxonomy(request)["topics"]),
            target_group_list=SimpleLazyObject(lambda: self.taxonomy(request)["target_groups"]),
            trade_list=SimpleLazyObject(lambda: self.taxonomy(request)["trades"]),
            trainer_list=SimpleLazyObject(lambda: self.trainer_list),
        )
        return context

    @path("termin/<int:date_id>/kalender/", name="date_calendar")
    def date_calendar(self, request, date_id):
        """One date as an .ics file ("In meinen Kalender")."""
        from .ical import course_date_response

        date = get_object_or_404(CourseDate.objects.filter(course=self), pk=date_id)
        date.course = self
        return course_date_response(date, request)

    @path("kosten/", name="cost_calculator")
    def cost_calculator(self, request):
        """ "Was kostet mich der Kurs?" – a GET form; its answer is bookmarkable."""
        from .funding import cost_calculator_response

        return cost_calculator_response(self, request)

    def cost_calculator_url(self, request=None) -> str:
        return (self.get_url(request) or "") + self.reverse_subpage("cost_calculator")


class CourseDateQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Rows updated; a change of the booking state or the capacity (what a page
        shows as free seats) is announced with ``booking_changed``."""
        rows = super().update(**kwargs)
        if rows and not {*CourseDate.BOOKING_FIELDS, "capacity"}.isdisjoint(kwargs):
            booking_changed.send(sender=CourseDate)
        return rows

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


class SessionBlock(blocks.StructBlock):
    """One day of a course that spans several days."""

    date = blocks.DateBlock(label=_("Datum"))
    start_time = blocks.TimeBlock(label=_("Beginn"))
    end_time = blocks.TimeBlock(label=_("Ende"))
    note = blocks.CharBlock(
        label=_("Hinweis"), required=False, max_length=120, help_text=_("z. B. Praxistag")
    )

    class Meta:
        icon = "date"
        label = _("Einzeltermin")

    def clean(self, value):
        value = super().clean(value)
        if value["end_time"] <= value["start_time"]:
            raise blocks.StructBlockValidationError(
                {"end_time": ValidationError(_("Das Ende muss nach dem Beginn liegen."))}
            )
        return value


# "Rostocker Straße 1, 01587 Riesa": street, then a German postcode and the city
POSTAL_ADDRESS = re.compile(r"^(?P<street>.+?)[,\s]+(?P<postcode>\d{5})\s+(?P<city>\S.*)$")
POSTCODE_CITY = re.compile(r"^(?P<postcode>\d{5})\s+(?P<city>\S.*)$")


class CourseDate(models.Model):
    """A "Termin": one run of a course with its own seats.

    Content (times, place, capacity, price) is edited by staff in the "Termine"
    listing; the booking state (``seats_confirmed``, ``status``,
    ``cancellation_reason``) belongs to ``enrolment.services`` and is never written
    by ``save()`` of an existing date.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        CANCELLED = "cancelled", _("abgesagt")

    # Written only by enrolment.services (queryset updates under the row lock).
    BOOKING_FIELDS = ("seats_confirmed", "status", "cancellation_reason")

    course = models.ForeignKey(
        CoursePage, verbose_name=_("Kurs"), on_delete=models.CASCADE, related_name="dates"
    )
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    venue_name = models.CharField(
        _("Ort"), max_length=160, blank=True, help_text=_("z. B. Qualifizierungszentrum Riesa")
    )
    venue_address = models.CharField(_("Adresse"), max_length=250, blank=True)
    city = models.CharField(_("Stadt"), max_length=80, blank=True)
    is_online = models.BooleanField(_("Online-Termin"), default=False)
    latitude = models.DecimalField(
        _("Breitengrad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Optional, z. B. 51.306400: Kalender-Apps zeigen den Ort dann auf der Karte."),
    )
    longitude = models.DecimalField(
        _("Längengrad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Optional, z. B. 13.293300."),
    )
    capacity = models.PositiveIntegerField(_("Plätze"), default=12)
    seats_confirmed = models.PositiveIntegerField(
        _("Belegte Plätze"),
        default=0,
        editable=False,
        help_text=_(
            "Angemeldete und Teilnehmende; wird von der Anmeldung gezählt und kann nicht "
            "bearbeitet werden."
        ),
    )
    min_participants = models.PositiveIntegerField(
        _("Mindestteilnehmerzahl"), null=True, blank=True
    )
    registration_deadline = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True)
    price_override = models.DecimalField(
        _("Abweichender Preis in Euro"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    member_price_override = models.DecimalField(
        _("Abweichender Mitgliedspreis in Euro"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    early_price_override = models.DecimalField(
        _("Abweichender Frühbucherpreis in Euro"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    early_price_until_override = models.DateField(
        _("Abweichend: Frühbucherpreis bis"), null=True, blank=True
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PLANNED,
        editable=False,
    )
    cancellation_reason = models.CharField(
        _("Grund der Absage"), max_length=300, blank=True, editable=False
    )
    sessions = StreamField(
        [("session", SessionBlock())],
        verbose_name=_("Einzeltermine"),
        blank=True,
        help_text=_("Nur für Kurse über mehrere Tage: jeder Kurstag mit seinen Uhrzeiten."),
    )

    objects = CourseDateQuerySet.as_manager()

    base_form_class = CourseDateForm
    panels = [
        FieldPanel("course"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("is_online"),
        FieldRowPanel([FieldPanel("venue_name"), FieldPanel("city")]),
        FieldPanel("venue_address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("min_participants")]),
        FieldRowPanel([FieldPanel("price_override"), FieldPanel("member_price_override")]),
        FieldRowPanel(
            [FieldPanel("early_price_override"), FieldPanel("early_price_until_override")]
        ),
        FieldPanel("registration_deadline"),
        FieldPanel("sessions"),
    ]

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["start", "pk"]
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

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk and kwargs.get("update_fields") is None:
            # An existing date: every column but the booking state, whatever copy of
            # it this instance holds (an editor's form may be minutes old).
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.BOOKING_FIELDS
            ]
        super().save(*args, **kwargs)

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
        taken = self.stored_seats()
        if self.capacity is not None and self.capacity < taken:
            errors["capacity"] = self.capacity_error(taken)
        if self.registration_deadline and self.start and self.registration_deadline > self.start:
            errors["registration_deadline"] = _("Der Anmeldeschluss muss vor dem Beginn liegen.")
        if self.course_id:
            from .pricing import date_prices, price_errors

            prices = date_prices(self)
            errors.update(
                price_errors(
                    price=prices.regular,
                    member=prices.member,
                    early=prices.early,
                    early_until=prices.early_until,
                    fields=(
                        "price_override",
                        "member_price_override",
                        "early_price_override",
                        "early_price_until_override",
                    ),
                )
            )
        if errors:
            raise ValidationError(errors)

    def stored_seats(self) -> int:
        """The seats held as stored now (this instance's copy may be older)."""
        if self.pk is None:
            return 0
        stored = (
            type(self)
            ._default_manager.filter(pk=self.pk)
            .values_list("seats_confirmed", flat=True)
            .first()
        )
        return self.seats_confirmed if stored is None else stored

    @classmethod
    def capacity_error_exception(cls, taken: int) -> ValidationError:
        return ValidationError(cls.capacity_error(taken), code="below_seats_held")

    @staticmethod
    def capacity_error(taken: int) -> str:
        return _(
            "Es sind schon %(taken)d Plätze vergeben. Die Platzzahl kann nicht unter "
            "diese Zahl gesenkt werden."
        ) % {"taken": taken}

    def session_spans(self) -> list[tuple]:
        """(start, end, note) of each session (Kurstag), in local time; a date without
        listed sessions is one session from its start to its end."""
        import datetime

        berlin = timezone.get_default_timezone()
        spans = []
        for block in self.sessions:
            value = block.value
            spans.append(
                (
                    datetime.datetime.combine(value["date"], value["start_time"], tzinfo=berlin),
                    datetime.datetime.combine(value["date"], value["end_time"], tzinfo=berlin),
                    value.get("note") or "",
                )
            )
        spans.sort(key=lambda span: span[0])
        return spans or [(timezone.localtime(self.start), timezone.localtime(self.end), "")]

    def has_started(self, now=None) -> bool:
        return self.start <= (now or timezone.now())

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @cached_property
    def _now(self):
        return timezone.now()

    @property
    def registration_closed(self) -> bool:
        now = self._now
        return self.start <= now or (
            self.registration_deadline is not None and self.registration_deadline < now
        )

    @property
    def is_open_for_enrolment(self) -> bool:
        """Planned, not started, deadline not passed (full dates take a waiting list)."""
        return not self.is_cancelled and not self.registration_closed

    @property
    def seat_status(self) -> str:
        """A short code for styling: open, few, waitlist, closed or cancelled."""
        if self.is_cancelled:
            return "cancelled"
        if self.registration_closed:
            return "closed"
        if self.free_seats <= 0:
            return "waitlist"
        if self.free_seats <= 3:
            return "few"
        return "open"

    @property
    def seat_status_text(self) -> str:
        """The wording shown to visitors, e.g. "noch 3 Plätze"."""
        status = self.seat_status
        if status == "cancelled":
            return str(_("abgesagt"))
        if status == "closed":
            return str(_("Anmeldeschluss vorbei"))
        if status == "waitlist":
            return str(_("ausgebucht – Warteliste"))
        return ngettext("noch %(count)d Platz", "noch %(count)d Plätze", self.free_seats) % {
            "count": self.free_seats
        }

    @property
    def location_text(self) -> str:
        if self.is_online:
            return str(_("Online"))
        return ", ".join(part for part in (self.venue_name, self.city) if part)

    def address_parts(self) -> tuple[str, str, str]:
        """(street, postcode, city) of the venue, read from its address ("Rostocker
        Straße 1, 01587 Riesa"); the city field fills in what the address leaves out."""
        street, postcode, city = self.venue_address.strip(), "", ""
        match = POSTAL_ADDRESS.match(street)
        if match:
            street, postcode, city = match.group("street", "postcode", "city")
        else:
            found = POSTCODE_CITY.match(street)
            if found:  # only "01587 Riesa"
                street, postcode, city = "", found.group("postcode"), found.group("city")
        return street.strip(" ,"), postcode, (city or self.city).strip()

    @property
    def is_multi_day(self) -> bool:
        return timezone.localtime(self.start).date() != timezone.localtime(self.end).date()


@register_setting(icon="group")
class ProviderSettings(BaseSiteSetting):
    """The academy as an education provider: numbers and approvals that course
    databases and funding programmes ask for."""

    provider_name = models.CharField(
        _("Name des Bildungsträgers"),
        max_length=200,
        blank=True,
        help_text=_("Leer lassen, um den Namen aus den Website-Einstellungen zu nehmen."),
    )
    kursnet_provider_number = models.CharField(
        _("Bildungsanbieter-Nummer (KURSNET)"),
        max_length=40,
        blank=True,
        help_text=_("Die Nummer, die die Bundesagentur für Arbeit für KURSNET vergeben hat."),
    )
    contact_name = models.CharField(_("Ansprechperson für Kursdaten"), max_length=120, blank=True)
    contact_email = models.EmailField(_("E-Mail für Kursdaten"), blank=True)
    contact_phone = models.CharField(_("Telefon für Kursdaten"), max_length=40, blank=True)
    azav_certified = models.BooleanField(
        _("Träger nach AZAV zugelassen"),
        default=False,
        help_text=_("Voraussetzung für eine Förderung nach § 82 SGB III (Bildungsgutschein)."),
    )
    azav_certifier = models.CharField(_("Fachkundige Stelle (AZAV)"), max_length=160, blank=True)
    azav_valid_until = models.DateField(_("Trägerzulassung gültig bis"), null=True, blank=True)
    quality_certificate = models.CharField(
        _("Qualitätszertifikat"),
        max_length=200,
        blank=True,
        help_text=_("z. B. DIN EN ISO 9001 oder „anerkannter Bildungsträger der Handwerkskammer“"),
    )

    panels = [
        FieldPanel("provider_name"),
        MultiFieldPanel(
            [
                FieldPanel("kursnet_provider_number"),
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading=_("KURSNET"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("azav_certified"),
                FieldPanel("azav_certifier"),
                FieldPanel("azav_valid_until"),
                FieldPanel("quality_certificate"),
            ],
            heading=_("Zulassungen"),
        ),
    ]

    class Meta:
        verbose_name = _("Bildungsträger")
        verbose_name_plural = _("Bildungsträger")
