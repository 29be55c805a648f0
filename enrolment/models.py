"""People on course dates, and the mail sent to them.

Seats are allocated in ``enrolment.services`` only; nothing here changes
``CourseDate.seats_confirmed``. Which statuses hold a seat, and which fields are
personal data, is said once here and used everywhere else.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Enrolment.ACTIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=Enrolment.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Enrolment.Status.WAITLISTED).order_by("waitlist_position")

    def for_email(self, email: str):
        return self.filter(email=normalise_email(email))

    def holding_seats(self):
        return self.filter(status__in=Enrolment.SEAT_STATUSES)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def new_link_key() -> str:
    """The random part of the links in an enrolment's mails (enrolment.tokens)."""
    import secrets

    return secrets.token_urlsafe(18)


def pending_lifetime() -> timedelta:
    return timedelta(hours=settings.ENROLMENT_PENDING_HOURS)


class Guild(models.Model):
    """An Innung of the Kreishandwerkerschaft: its member businesses pay the member price."""

    name = models.CharField(
        _("Name"),
        max_length=160,
        unique=True,
        help_text=_(
            "Die Liste pflegt die Redaktion: Angelegt sind die Innungen der "
            "Kreishandwerkerschaft Region Meißen. Wer bucht, wählt hier seine Innung "
            "und zahlt den Mitgliedspreis."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Innung")
        verbose_name_plural = _("Innungen")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class BookingQuerySet(models.QuerySet):
    def for_email(self, email: str):
        return self.filter(email=normalise_email(email))

    def open(self):
        return self.exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.EXPIRED])


class Booking(models.Model):
    """One order for one CourseDate: the booker (a business, a guild office or a private
    person) and its participants (``enrolments``). The invoice goes to the booker.

    Every enrolment that costs money belongs to exactly one booking; the single-person
    form makes a booking with one participant. The price per participant is fixed when
    the booking is made (``courses.pricing.quote``) and stored on each enrolment too.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("unbestätigt")
        CONFIRMED = "confirmed", _("bestätigt")
        CANCELLED = "cancelled", _("storniert")
        EXPIRED = "expired", _("verfallen")

    class PriceKind(models.TextChoices):
        FREE = "free", _("kostenfrei")
        REGULAR = "regular", _("Preis")
        MEMBER = "member", _("Preis für Innungsmitglieder")
        EARLY = "early", _("Frühbucherpreis")

    class Source(models.TextChoices):
        WEB = "web", _("Website")
        STAFF = "staff", _("Redaktion (z. B. telefonisch)")

    course_date = models.ForeignKey(
        "courses.CourseDate",
        verbose_name=_("Termin"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )

    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    email = models.EmailField(_("E-Mail-Adresse"), max_length=254)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    company = models.CharField(_("Betrieb"), max_length=160, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=160, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    vat_id = models.CharField(_("USt-IdNr."), max_length=20, blank=True)
    order_reference = models.CharField(_("Bestellzeichen"), max_length=60, blank=True)
    guild = models.ForeignKey(
        Guild,
        verbose_name=_("Innung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    is_consumer = models.BooleanField(
        _("Privatbuchung (Verbraucher/in)"),
        default=False,
        help_text=_("Bucht als Privatperson, nicht für einen Betrieb."),
    )

    unit_price = models.DecimalField(
        _("Preis je Person"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    price_kind = models.CharField(
        _("Preisart"), max_length=10, choices=PriceKind.choices, default=PriceKind.FREE
    )
    vat_rate = models.DecimalField(
        _("Umsatzsteuersatz in Prozent"), max_digits=4, decimal_places=2, default=Decimal("0")
    )

    keep_together = models.BooleanField(
        _("Nur gemeinsam nachrücken"),
        default=False,
        help_text=_(
            "Die buchende Person wollte alle zusammen auf die Warteliste: sie rücken nur "
            "gemeinsam nach, wenn für alle Platz ist."
        ),
    )
    privacy_version = models.CharField(_("Version des Datenschutzhinweises"), max_length=40)
    terms_version = models.CharField(
        _("Version der Buchungsbedingungen"), max_length=40, blank=True
    )
    withdrawal_consent_at = models.DateTimeField(
        _("Zustimmung zum Beginn vor Ende der Widerrufsfrist am"), null=True, blank=True
    )
    withdrawal_consent_version = models.CharField(
        _("Fassung der Zustimmungserklärung"), max_length=40, blank=True
    )
    source = models.CharField(
        _("Quelle"), max_length=10, choices=Source.choices, default=Source.WEB
    )

    created_at = models.DateTimeField(_("Gebucht am"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("Storniert am"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("Anonymisiert am"), null=True, blank=True)
    link_key = models.CharField(
        _("Schlüssel der Links in E-Mails"),
        max_length=32,
        unique=True,
        default=new_link_key,
        editable=False,
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Buchung")
        verbose_name_plural = _("Buchungen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["course_date", "status"])]

    def __str__(self):
        if self.anonymised_at:
            return str(_("Anonymisierte Buchung %(pk)s") % {"pk": self.pk})
        who = self.company or f"{self.first_name} {self.last_name}"
        return f"{who} – {self.course_date}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def booker_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def address_lines(self) -> list[str]:
        """The billing address as printed on an invoice."""
        lines = [self.company, self.booker_name, self.street, f"{self.postcode} {self.city}"]
        return [line.strip() for line in lines if line and line.strip()]

    @property
    def is_member(self) -> bool:
        return self.guild_id is not None

    def seat_holders(self):
        return self.enrolments.filter(status__in=Enrolment.SEAT_STATUSES)

    def amount_total(self) -> Decimal:
        """What the seats held now cost (waitlisted and cancelled people pay nothing)."""
        total = Decimal("0.00")
        for enrolment in self.seat_holders():
            total += enrolment.price if enrolment.price is not None else self.unit_price
        return total


class Enrolment(models.Model):
    """One person on one CourseDate."""

    class Status(models.TextChoices):
        PENDING = "pending", _("unbestätigt")
        CONFIRMED = "confirmed", _("angemeldet")
        WAITLISTED = "waitlisted", _("Warteliste")
        CANCELLED = "cancelled", _("abgemeldet")
        EXPIRED = "expired", _("verfallen")
        PARTIAL = "partial", _("teilweise teilgenommen")
        ATTENDED = "attended", _("teilgenommen")
        NO_SHOW = "no_show", _("nicht erschienen")

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)
    # Hold a seat (counted by CourseDate.seats_confirmed) and see the course material.
    # A no-show is only ever recorded once the date has ended, and frees the seat then.
    SEAT_STATUSES = (Status.CONFIRMED, Status.PARTIAL, Status.ATTENDED)

    class Salutation(models.TextChoices):
        FRAU = "frau", _("Frau")
        HERR = "herr", _("Herr")
        DIVERS = "divers", _("divers")

    class Role(models.TextChoices):
        APPRENTICE = "apprentice", _("Auszubildende/r")
        JOURNEYMAN = "journeyman", _("Geselle/Gesellin")
        MASTER = "master", _("Meister/in")
        OWNER = "owner", _("Inhaber/in")
        SUCCESSOR = "successor", _("Nachfolger/in")
        OTHER = "other", _("sonstige")

    class Billing(models.TextChoices):
        PRIVATE = "private", _("privat")
        COMPANY = "company", _("über den Betrieb")

    class Source(models.TextChoices):
        WEB = "web", _("Website")
        STAFF = "staff", _("Redaktion (z. B. telefonisch)")

    class CancelledBy(models.TextChoices):
        PARTICIPANT = "participant", _("Teilnehmer/in")
        STAFF = "staff", _("Redaktion")
        DATE_CANCELLED = "date_cancelled", _("Terminabsage")
        WAITLIST_CLOSED = "waitlist_closed", _("Warteliste geschlossen (Termin begonnen)")
        SUBSTITUTED = "substituted", _("durch Ersatzperson ersetzt")

    course_date = models.ForeignKey(
        "courses.CourseDate",
        verbose_name=_("Termin"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    waitlist_position = models.PositiveIntegerField(
        _("Platz auf der Warteliste"), null=True, blank=True
    )

    salutation = models.CharField(
        _("Anrede"), max_length=10, choices=Salutation.choices, blank=True
    )
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    email = models.EmailField(
        _("E-Mail-Adresse"),
        max_length=254,
        blank=True,
        help_text=_("Leer bei Teilnehmenden einer Buchung ohne eigene Adresse."),
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    role = models.CharField(_("Rolle im Betrieb"), max_length=20, choices=Role.choices)
    company = models.CharField(_("Betrieb"), max_length=160, blank=True)
    trade = models.CharField(_("Gewerk"), max_length=120, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=5)
    remarks = models.TextField(_("Anmerkungen"), max_length=2000, blank=True)
    billing = models.CharField(_("Rechnung"), max_length=10, choices=Billing.choices, blank=True)
    privacy_version = models.CharField(_("Version des Datenschutzhinweises"), max_length=40)
    source = models.CharField(
        _("Quelle"), max_length=10, choices=Source.choices, default=Source.WEB
    )

    created_at = models.DateTimeField(_("Angemeldet am"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    seat_confirmed_at = models.DateTimeField(_("Platz bestätigt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("Abgemeldet am"), null=True, blank=True)
    cancelled_by = models.CharField(
        _("Abgemeldet durch"), max_length=20, choices=CancelledBy.choices, blank=True
    )
    reminder_sent_at = models.DateTimeField(_("Erinnerung verschickt am"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("Anonymisiert am"), null=True, blank=True)
    link_key = models.CharField(
        _("Schlüssel der Links in E-Mails"),
        max_length=32,
        unique=True,
        default=new_link_key,
        editable=False,
    )
    booking = models.ForeignKey(
        Booking,
        verbose_name=_("Buchung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    price = models.DecimalField(
        _("Preis"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Der Preis, der bei der Buchung für diese Person galt."),
    )
    cancellation_fee = models.DecimalField(
        _("Stornogebühr"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("Ersetzt durch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "course_date",
                condition=Q(status__in=["pending", "confirmed", "waitlisted"])
                & Q(anonymised_at__isnull=True)
                & ~Q(email=""),
                name="enrolment_one_active_per_email_and_date",
                violation_error_message=_(
                    "Diese E-Mail-Adresse ist für den Termin schon angemeldet."
                ),
            ),
        ]
        indexes = [models.Index(fields=["course_date", "status"])]

    def __str__(self):
        if self.anonymised_at:
            return str(_("Anonymisierte Anmeldung %(pk)s") % {"pk": self.pk})
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        parts = [
            self.get_salutation_display() if self.salutation else "",
            self.first_name,
            self.last_name,
        ]
        return " ".join(p for p in parts if p)

    @property
    def expires_at(self):
        return self.created_at + pending_lifetime()

    def is_expired(self, now=None) -> bool:
        return self.status == self.Status.PENDING and (now or timezone.now()) >= self.expires_at

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def holds_seat(self) -> bool:
        return self.status in self.SEAT_STATUSES


def cancellation_deadline(course_date):
    """Until when a participant may cancel through their link (mails and pages say it)."""
    return course_date.start - timedelta(hours=settings.ENROLMENT_CANCELLATION_DEADLINE_HOURS)


# The person's details, in the order forms, staff views and exports show them.
PERSON_FIELDS = (
    "salutation",
    "first_name",
    "last_name",
    "email",
    "phone",
    "role",
    "company",
    "trade",
    "postcode",
    "remarks",
    "billing",
)
# Of those, the personal data: blanked when an enrolment is anonymised or erased
# (the postcode keeps its first two digits for the statistics; role and trade stay).
PERSONAL_FIELDS = tuple(name for name in PERSON_FIELDS if name not in ("role", "trade"))


def anonymised_value(name: str, value: str) -> str:
    return (value or "")[:2] if name == "postcode" else ""


def person_display(enrolment: Enrolment) -> list[tuple[str, str, str]]:
    """(field name, German label, shown value) of every person field."""
    rows = []
    for name in PERSON_FIELDS:
        field = Enrolment._meta.get_field(name)
        value = getattr(enrolment, name)
        if field.choices and value:
            value = getattr(enrolment, f"get_{name}_display")()
        rows.append((name, str(field.verbose_name), "" if value is None else str(value)))
    return rows


# What each kind of mail in the outbox is about, as staff read it.
MAIL_KINDS = {
    "confirm_request": _("Bitte um Bestätigung der Anmeldung"),
    "already_enrolled": _("Hinweis: bereits angemeldet"),
    "confirmed": _("Anmeldebestätigung"),
    "waitlisted": _("Platz auf der Warteliste"),
    "promoted": _("Nachgerückt von der Warteliste"),
    "cancelled": _("Bestätigung der Abmeldung"),
    "date_cancelled": _("Absage des Termins"),
    "reminder": _("Erinnerung an den Termin"),
    "waitlist_closed": _("Kein Platz frei geworden"),
    "learner_signin": _("Anmeldelink für den Lernbereich"),
    "booking_confirm_request": _("Bitte um Bestätigung der Buchung"),
    "booking_confirmed": _("Buchungsbestätigung"),
    "booking_changed": _("Änderung der Buchung"),
    "booking_cancelled": _("Stornierung (Buchung)"),
}


class OutgoingMail(models.Model):
    """The outbox: every mail is stored here first and sent after commit."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")

    kind = models.CharField(_("Art"), max_length=30)
    to = models.EmailField(_("An"), max_length=254)
    subject = models.CharField(_("Betreff"), max_length=250)
    text = models.TextField(_("Text"))
    html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(_("Anhänge"), default=list, blank=True)
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("Anmeldung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mails",
    )
    booking = models.ForeignKey(
        Booking,
        verbose_name=_("Buchung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mails",
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("Nächster Versuch"), default=timezone.now)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("Erstellt"), default=timezone.now)
    sent_at = models.DateTimeField(_("Gesendet"), null=True, blank=True)

    class Meta:
        verbose_name = _("E-Mail")
        verbose_name_plural = _("E-Mails (Postausgang)")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return self.subject

    def get_kind_display(self) -> str:
        return str(MAIL_KINDS.get(self.kind, self.kind))


# Booking terms ("Buchungsbedingungen"): the academy's defaults in a site setting,
# a course's own terms in a snippet that points to the course (courses knows nothing
# of them). enrolment.terms reads them and computes fees.


def _fee_stage_block():
    return blocks.StructBlock(
        [
            (
                "days",
                blocks.IntegerBlock(
                    label=_("ab … Tagen vor Beginn"),
                    min_value=0,
                    max_value=365,
                    help_text=_("z. B. 14: gilt ab dem 14. Kalendertag vor dem ersten Kurstag"),
                ),
            ),
            (
                "percent",
                blocks.IntegerBlock(
                    label=_("Gebühr in Prozent des Preises"), min_value=0, max_value=100
                ),
            ),
        ],
        label=_("Stufe"),
        icon="time",
    )


def default_fee_stages():
    """30 / 14 / 7 days before the start: 25 / 50 / 100 %. A stream value, so that the
    editor's empty form shows the rows too."""
    stream = blocks.StreamBlock([("stage", _fee_stage_block())])
    return stream.to_python(
        [
            {"type": "stage", "value": {"days": days, "percent": percent}}
            for days, percent in ((30, 25), (14, 50), (7, 100))
        ]
    )


class TermsFields(models.Model):
    """The rules both the academy's terms and a course's own terms consist of."""

    free_until_days = models.PositiveSmallIntegerField(
        _("Kostenfrei stornieren bis … Tage vor Beginn"),
        default=31,
        help_text=_(
            "Gezählt in Kalendertagen vor dem ersten Kurstag. Wer so viele Tage vorher "
            "oder früher storniert, zahlt nichts."
        ),
    )
    fee_stages = StreamField(
        [("stage", _fee_stage_block())],
        verbose_name=_("Stornogebühren"),
        default=default_fee_stages,
        blank=True,
        help_text=_(
            "Je Stufe: ab wie vielen Kalendertagen vor Beginn welcher Anteil des Preises "
            "fällig wird. Es gilt die höchste erreichte Stufe."
        ),
    )
    substitute_allowed = models.BooleanField(
        _("Ersatzperson bis zum Beginn ohne Gebühr"),
        default=True,
        help_text=_("Statt zu stornieren, darf jemand anderes den Platz übernehmen."),
    )
    decision_days = models.PositiveSmallIntegerField(
        _("Entscheidung über die Mindestteilnehmerzahl … Tage vor Beginn"),
        default=14,
        help_text=_(
            "Bis zu diesem Tag entscheidet die Akademie, ob ein Termin mit zu wenigen "
            "Anmeldungen stattfindet. Die Übersicht „Mindestteilnehmerzahl“ zeigt die "
            "Termine, deren Entscheidung ansteht."
        ),
    )
    academy_cancellation_text = models.TextField(
        _("Wenn die Akademie absagt"),
        default=_(
            "Sagt die Akademie einen Termin ab (z. B. wegen zu weniger Anmeldungen oder "
            "Krankheit der Lehrkraft), entstehen Ihnen keine Kosten; bereits gezahlte "
            "Beträge erstatten wir vollständig. Weitere Ansprüche bestehen nicht."
        ),
        max_length=2000,
    )
    version = models.CharField(
        _("Fassung"),
        max_length=40,
        default="2027-01",
        help_text=_("Wird mit jeder Buchung gespeichert; bei jeder Änderung neu setzen."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        days = [block.value.get("days") for block in self.fee_stages or []]
        days = [d for d in days if d is not None]
        if days and max(days) >= self.free_until_days:
            raise ValidationError(
                {
                    "free_until_days": _(
                        "Die kostenfreie Frist muss früher enden, als die erste "
                        "Gebührenstufe beginnt (mehr Tage vor Beginn)."
                    )
                }
            )


@register_setting(icon="doc-full")
class BookingTerms(BaseSiteSetting, TermsFields):
    """The academy's booking terms (site setting "Buchungsbedingungen")."""

    class Meta:
        verbose_name = _("Buchungsbedingungen")
        verbose_name_plural = _("Buchungsbedingungen")


class CourseBookingTerms(TermsFields):
    """A course's own booking terms: they replace the academy's as a whole."""

    course = models.OneToOneField(
        "courses.CoursePage",
        verbose_name=_("Kurs"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Abweichende Buchungsbedingungen")
        verbose_name_plural = _("Abweichende Buchungsbedingungen")

    def __str__(self):
        return str(_("Buchungsbedingungen: %(course)s") % {"course": self.course.title})


# Invoices for bookings live in a module of their own (``enrolment.invoicing`` makes them).
from .invoice_models import (  # noqa: E402, F401
    ImmutableInvoiceError,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceSettings,
)
