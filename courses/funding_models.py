"""Funding programmes ("Förderprogramme") as data that staff keep up to date.

The rules of a programme change (thresholds, shares, whether applications are taken
at all), so they are fields that ``courses/funding.py`` evaluates, each programme
with its sources and the day its facts were checked ("Stand"). A course states the
facts those rules need (teaching units, the exam it prepares for, full or part time,
its planned months and its AZAV approval) in its "Förderung" panel.

Imported by ``courses.models``; imports nothing of this app.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Qualification(models.TextChoices):
    """The exam a course prepares for, by level of the German upgrading training."""

    NONE = "", _("keine (kein Fortbildungsabschluss)")
    LEVEL_1 = "level_1", _("Geprüfte/r Berufsspezialist/in (Fortbildungsstufe 1)")
    LEVEL_2 = (
        "level_2",
        _("Meisterprüfung HwO Teil I–IV, Bachelor Professional, Fachwirt/in (Stufe 2)"),
    )
    LEVEL_3 = "level_3", _("Betriebswirt/in HwO, Master Professional (Stufe 3)")
    OTHER = "other", _("anderer Abschluss")


#: the levels a programme may name as qualifying (not "none")
QUALIFYING_CHOICES = [choice for choice in Qualification.choices if choice[0]]


class Schedule(models.TextChoices):
    NONE = "", _("nicht angegeben")
    FULL_TIME = "full_time", _("Vollzeit")
    PART_TIME = "part_time", _("Teilzeit (berufsbegleitend)")


class FundingRule(models.TextChoices):
    AFBG = "afbg", _("Aufstiegs-BAföG (AFBG)")
    SGB3_82 = "sgb3_82", _("§ 82 SGB III (Beschäftigte, Agentur für Arbeit)")
    STATE = "state", _("Landesprogramm (allgemein)")


class FundingStatus(models.TextChoices):
    ACTIVE = "active", _("aktiv")
    SUSPENDED = "suspended", _("derzeit ausgesetzt")
    ENDED = "ended", _("beendet")


def _percent(verbose_name, help_text=""):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=help_text,
    )


class FundingProgrammeForm(WagtailAdminModelForm):
    """The qualifying exams as ticks (stored as a list of codes)."""

    qualifications = forms.MultipleChoiceField(
        label=_("Diese Abschlüsse sind förderfähig"),
        choices=QUALIFYING_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Nichts angekreuzt: jeder Kurs, gleich ob mit Prüfung oder ohne."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["qualifications"] = self.instance.qualification_list

    def clean_qualifications(self):
        return " ".join(self.cleaned_data.get("qualifications") or [])

    def clean(self):
        cleaned = super().clean()
        grant = cleaned.get("grant_share") or Decimal("0")
        loan = cleaned.get("loan_share") or Decimal("0")
        if grant + loan > 100:
            self.add_error(
                "loan_share",
                _("Zuschuss und Darlehen zusammen dürfen 100 Prozent nicht übersteigen."),
            )
        return cleaned


class FundingProgramme(ClusterableModel):
    """A "Förderprogramm" with the rules the site evaluates for every course."""

    name = models.CharField(_("Name"), max_length=160, unique=True)
    short_name = models.CharField(
        _("Kurzname"),
        max_length=60,
        help_text=_("Für die Hinweise auf der Kursseite, z. B. „Aufstiegs-BAföG“."),
    )
    audience = models.TextField(
        _("Für wen"),
        max_length=600,
        blank=True,
        help_text=_("In einfachen Worten: wer die Förderung beantragen kann."),
    )
    rule = models.CharField(
        _("Art der Regel"),
        max_length=20,
        choices=FundingRule.choices,
        default=FundingRule.STATE,
        help_text=_(
            "Bestimmt, wie der Kostenrechner rechnet: Aufstiegs-BAföG mit Zuschuss und "
            "Darlehen, § 82 SGB III mit dem Anteil des Betriebs, Landesprogramm mit "
            "einem Zuschuss."
        ),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=FundingStatus.choices, default=FundingStatus.ACTIVE
    )
    status_note = models.CharField(
        _("Hinweis zum Status"),
        max_length=300,
        blank=True,
        help_text=_("z. B. „Anträge seit 18.11.2024 nicht mehr möglich“."),
    )

    # what a course must meet (empty: not checked)
    min_teaching_units = models.PositiveSmallIntegerField(
        _("Mindestens Unterrichtseinheiten"),
        null=True,
        blank=True,
        help_text=_(
            "Aufstiegs-BAföG: 400 (§ 2 Abs. 3 AFBG, "
            "https://www.gesetze-im-internet.de/afbg/__2.html)."
        ),
    )
    min_teaching_units_first_level = models.PositiveSmallIntegerField(
        _("Mindestens Unterrichtseinheiten auf Fortbildungsstufe 1"),
        null=True,
        blank=True,
        help_text=_("Für Kurse zur/zum Geprüften Berufsspezialist/in."),
    )
    hours_more_than = models.DecimalField(
        _("Mehr als … Stunden"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_(
            "Der Kurs muss länger dauern (Zeitstunden; ohne Angabe zählen die "
            "Unterrichtseinheiten zu 45 Minuten). § 82 SGB III: 120 "
            "(https://www.gesetze-im-internet.de/sgb_3/__82.html)."
        ),
    )
    qualifications = models.CharField(
        _("Förderfähige Abschlüsse"), max_length=200, blank=True, editable=True
    )
    full_time_min_units_per_week = models.PositiveSmallIntegerField(
        _("Vollzeit: mindestens UE je Woche"), null=True, blank=True
    )
    full_time_max_months = models.PositiveSmallIntegerField(
        _("Vollzeit: höchstens Monate"), null=True, blank=True
    )
    part_time_min_units_per_month = models.PositiveSmallIntegerField(
        _("Teilzeit: mindestens UE je Monat (Durchschnitt)"), null=True, blank=True
    )
    part_time_max_months = models.PositiveSmallIntegerField(
        _("Teilzeit: höchstens Monate"), null=True, blank=True
    )
    requires_certified_provider = models.BooleanField(
        _("Anbieter muss anerkannt oder zertifiziert sein"),
        default=False,
        help_text=_(
            "Erfüllt, wenn in „Bildungsträger“ ein Qualitätszertifikat eingetragen oder die "
            "AZAV-Trägerzulassung gültig ist."
        ),
    )
    requires_azav = models.BooleanField(
        _("Träger und Kurs müssen nach AZAV zugelassen sein"), default=False
    )

    # what the calculator counts
    grant_share = _percent(_("Zuschuss in Prozent der Gebühren"))
    loan_share = _percent(_("Darlehen in Prozent der Gebühren"))
    loan_waiver_exam = _percent(_("Erlass bei bestandener Prüfung (Prozent des Restdarlehens)"))
    loan_waiver_founding = _percent(
        _("Erlass bei Gründung oder Übernahme eines Betriebs (Prozent des Restdarlehens)")
    )
    max_fees = models.DecimalField(
        _("Höchstens geförderte Gebühren in Euro"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )
    material_max = models.DecimalField(
        _("Meisterstück: Material bis Euro"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )

    sources = models.TextField(
        _("Quellen"),
        max_length=2000,
        help_text=_("Eine Internetadresse je Zeile: das Gesetz, die Seite der Förderstelle."),
    )
    as_of = models.DateField(_("Stand"), help_text=_("Wann die Angaben zuletzt geprüft wurden."))
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("short_name"),
                FieldPanel("audience"),
                FieldPanel("rule"),
                FieldRowPanel([FieldPanel("status"), FieldPanel("status_note")]),
            ],
            heading=_("Programm"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("min_teaching_units"),
                        FieldPanel("min_teaching_units_first_level"),
                    ]
                ),
                FieldPanel("hours_more_than"),
                FieldPanel("qualifications"),
                FieldRowPanel(
                    [
                        FieldPanel("full_time_min_units_per_week"),
                        FieldPanel("full_time_max_months"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("part_time_min_units_per_month"),
                        FieldPanel("part_time_max_months"),
                    ]
                ),
                FieldPanel("requires_certified_provider"),
                FieldPanel("requires_azav"),
            ],
            heading=_("Voraussetzungen für den Kurs"),
            help_text=_("Leere Felder prüft die Website nicht."),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("grant_share"), FieldPanel("loan_share")]),
                FieldRowPanel([FieldPanel("loan_waiver_exam"), FieldPanel("loan_waiver_founding")]),
                FieldRowPanel([FieldPanel("max_fees"), FieldPanel("material_max")]),
            ],
            heading=_("Höhe der Förderung"),
        ),
        InlinePanel(
            "size_bands",
            heading=_("Anteil des Betriebs nach Betriebsgröße"),
            label=_("Größenklasse"),
            help_text=_(
                "Nur für § 82 SGB III: welchen Anteil der Lehrgangskosten der Betrieb trägt."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("sources"), FieldPanel("as_of"), FieldPanel("sort_order")],
            heading=_("Quellen und Stand"),
        ),
    ]

    base_form_class = FundingProgrammeForm

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")

    def __str__(self):
        return self.name

    @property
    def qualification_list(self) -> list[str]:
        return self.qualifications.split()

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    @property
    def is_active(self) -> bool:
        return self.status == FundingStatus.ACTIVE

    @property
    def is_suspended(self) -> bool:
        return self.status == FundingStatus.SUSPENDED


class FundingSizeBand(Orderable):
    """A company-size band of § 82 SGB III and the employer's share in it."""

    programme = ParentalKey(FundingProgramme, on_delete=models.CASCADE, related_name="size_bands")
    min_staff = models.PositiveIntegerField(_("ab Beschäftigten"), default=0)
    max_staff = models.PositiveIntegerField(
        _("bis Beschäftigte"), null=True, blank=True, help_text=_("Leer: ohne Obergrenze.")
    )
    employer_share = models.DecimalField(
        _("Anteil des Betriebs in Prozent"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    no_share_from_45 = models.BooleanField(
        _("Kein Anteil für Beschäftigte ab 45 Jahren oder mit Schwerbehinderung"),
        default=False,
    )

    panels = [
        FieldRowPanel([FieldPanel("min_staff"), FieldPanel("max_staff")]),
        FieldPanel("employer_share"),
        FieldPanel("no_share_from_45"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Größenklasse")
        verbose_name_plural = _("Größenklassen")

    def __str__(self):
        upper = "∞" if self.max_staff is None else self.max_staff
        return f"{self.min_staff}–{upper}: {self.employer_share} %"

    def clean(self):
        super().clean()
        if self.max_staff is not None and self.max_staff < self.min_staff:
            raise ValidationError(
                {"max_staff": _("Die Obergrenze muss mindestens so groß sein wie die Untergrenze.")}
            )

    def covers(self, staff: int) -> bool:
        return self.min_staff <= staff and (self.max_staff is None or staff <= self.max_staff)
