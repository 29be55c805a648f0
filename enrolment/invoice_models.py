"""Invoices for bookings: numbers, lines, credit notes, and the academy's billing data.

An issued invoice is a document that has left the house: its number, recipient,
lines and amounts never change. ``save()`` and the queryset refuse any change but
the few facts that happen *after* issuing (paid, reminded, cancelled by a credit
note), and refuse deletion; a mistake is corrected by a credit note
(``Stornorechnung``) that names the invoice it corrects. Services that make them
live in ``enrolment.invoicing``.

Invoices and credit notes share one gapless series per calendar year
(``R-2026-00001``, ``R-2026-00002``, …): ``InvoiceCounter`` has one row per year,
incremented under a row lock in the transaction that stores the invoice, so a
rolled-back issue gives its number back and two issues never share one.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

ZERO = Decimal("0.00")


class ImmutableInvoiceError(Exception):
    """An issued invoice (or one of its lines) was to be changed or deleted."""


def _iban_errors(value: str) -> None:
    iban = value.replace(" ", "").upper()
    if not iban:
        return
    valid = len(iban) >= 15 and iban[:2].isalpha() and iban[2:4].isdigit() and iban.isalnum()
    if valid:
        digits = "".join(str(int(char, 36)) for char in iban[4:] + iban[:4])
        valid = int(digits) % 97 == 1
    if not valid:
        raise ValidationError(_("Bitte prüfen Sie die IBAN: die Prüfziffer stimmt nicht."))


@register_setting(icon="doc-full")
class InvoiceSettings(BaseSiteSetting):
    """What every invoice needs about the academy besides its name and address
    (those come from the website settings)."""

    tax_number = models.CharField(
        _("Steuernummer"),
        max_length=40,
        blank=True,
        help_text=_("Steuernummer oder USt-IdNr. muss auf jeder Rechnung stehen (§ 14 UStG)."),
    )
    vat_id = models.CharField(_("USt-IdNr."), max_length=20, blank=True)
    bank_name = models.CharField(_("Bank"), max_length=120, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[_iban_errors])
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    payment_term_days = models.PositiveSmallIntegerField(_("Zahlungsziel in Tagen"), default=14)
    reminder_days = models.PositiveSmallIntegerField(
        _("Zahlungserinnerung nach Tagen"),
        default=10,
        help_text=_(
            "So viele Tage nach dem Fälligkeitsdatum geht eine Zahlungserinnerung an die "
            "buchende Person, nach der doppelten Zahl von Tagen eine zweite (je einmal)."
        ),
    )
    number_prefix = models.CharField(
        _("Präfix der Rechnungsnummer"),
        max_length=8,
        default="R-",
        blank=True,
        help_text=_("Die Nummer lautet dann z. B. R-2026-00001 (fortlaufend je Jahr)."),
    )
    debtor_account = models.CharField(
        _("Debitorenkonto (Sammelkonto)"), max_length=9, default="10000"
    )
    revenue_account_exempt = models.CharField(
        _("Erlöskonto steuerfreie Kurse"), max_length=9, default="8100"
    )
    revenue_account_taxed = models.CharField(
        _("Erlöskonto Kurse mit 19 % USt"), max_length=9, default="8400"
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("tax_number"), FieldPanel("vat_id")],
            heading=_("Steuer"),
        ),
        MultiFieldPanel(
            [FieldPanel("bank_name"), FieldPanel("iban"), FieldPanel("bic")],
            heading=_("Bankverbindung"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("payment_term_days"),
                FieldPanel("reminder_days"),
                FieldPanel("number_prefix"),
            ],
            heading=_("Rechnungen"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("debtor_account"),
                FieldPanel("revenue_account_exempt"),
                FieldPanel("revenue_account_taxed"),
            ],
            heading=_("Buchhaltung (Export)"),
        ),
    ]

    class Meta:
        verbose_name = _("Rechnungsstellung")
        verbose_name_plural = _("Rechnungsstellung")

    def clean(self):
        super().clean()
        self.iban = self.iban.replace(" ", "").upper()
        self.bic = self.bic.replace(" ", "").upper()


class InvoiceCounter(models.Model):
    """The last number given in one year (one row per year, changed under a lock)."""

    year = models.PositiveSmallIntegerField(_("Jahr"), unique=True)
    last = models.PositiveIntegerField(_("Letzte Nummer"), default=0)

    class Meta:
        verbose_name = _("Rechnungsnummernkreis")
        verbose_name_plural = _("Rechnungsnummernkreise")

    def __str__(self):
        return f"{self.year}: {self.last}"


class InvoiceQuerySet(models.QuerySet):
    def invoices(self):
        return self.filter(kind=Invoice.Kind.INVOICE)

    def credit_notes(self):
        return self.filter(kind=Invoice.Kind.CREDIT_NOTE)

    def open(self):
        return self.filter(state=Invoice.State.OPEN)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.invoices().open().filter(due_date__lt=today)

    def delete(self):
        raise ImmutableInvoiceError(_("Rechnungen werden nie gelöscht, nur storniert."))

    def update(self, **kwargs):
        if not set(kwargs) <= Invoice.MUTABLE_FIELDS:
            raise ImmutableInvoiceError(_("Eine ausgestellte Rechnung ändert sich nicht."))
        return super().update(**kwargs)


class Invoice(models.Model):
    """A Rechnung or a Stornorechnung (credit note), as issued."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Rechnung")
        CREDIT_NOTE = "credit_note", _("Stornorechnung")

    class State(models.TextChoices):
        OPEN = "open", _("offen")
        PAID = "paid", _("bezahlt")
        CANCELLED = "cancelled", _("storniert")

    #: What may change after issuing: facts that happen later, never the document.
    MUTABLE_FIELDS = frozenset({"state", "paid_at", "reminder_stage", "reminder_sent_at"})

    number = models.CharField(_("Nummer"), max_length=32, unique=True, editable=False)
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("Korrigiert Rechnung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    issue_date = models.DateField(_("Rechnungsdatum"))
    service_start = models.DateField(_("Leistungszeitraum von"))
    service_end = models.DateField(_("Leistungszeitraum bis"))
    course_date = models.ForeignKey(
        "courses.CourseDate",
        verbose_name=_("Termin"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    booking = models.ForeignKey(
        "enrolment.Booking",
        verbose_name=_("Buchung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )

    # The recipient as it was when the invoice was issued (a later change of the
    # booking, or its anonymisation, leaves the invoice as it was sent).
    recipient_name = models.CharField(_("Empfänger/in"), max_length=200)
    recipient_company = models.CharField(_("Betrieb"), max_length=160, blank=True)
    recipient_street = models.CharField(_("Straße und Hausnummer"), max_length=160, blank=True)
    recipient_postcode = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    recipient_city = models.CharField(_("Ort"), max_length=100, blank=True)
    recipient_country = models.CharField(_("Land"), max_length=2, default="DE")
    recipient_email = models.EmailField(_("E-Mail-Adresse"), max_length=254, blank=True)
    recipient_vat_id = models.CharField(_("USt-IdNr. des Empfängers"), max_length=20, blank=True)
    order_reference = models.CharField(_("Bestellzeichen"), max_length=60, blank=True)
    is_consumer = models.BooleanField(_("Privatperson"), default=False)
    #: The academy as it was when the invoice was issued: name, address, tax and bank data.
    issuer = models.JSONField(_("Rechnungssteller"), default=dict)

    net_total = models.DecimalField(_("Netto"), max_digits=10, decimal_places=2)
    vat_total = models.DecimalField(_("Umsatzsteuer"), max_digits=10, decimal_places=2)
    gross_total = models.DecimalField(_("Betrag"), max_digits=10, decimal_places=2)
    vat_note = models.TextField(_("Hinweis zur Umsatzsteuer"))
    due_date = models.DateField(_("Fällig am"))

    state = models.CharField(_("Status"), max_length=10, choices=State.choices, default=State.OPEN)
    paid_at = models.DateField(_("Bezahlt am"), null=True, blank=True)
    reminder_stage = models.PositiveSmallIntegerField(_("Erinnerungen verschickt"), default=0)
    reminder_sent_at = models.DateTimeField(_("Letzte Erinnerung am"), null=True, blank=True)
    created_at = models.DateTimeField(_("Erstellt"), default=timezone.now, editable=False)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rechnung")
        verbose_name_plural = _("Rechnungen")
        ordering = ["-issue_date", "-number"]
        indexes = [models.Index(fields=["state", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="invoice", corrects__isnull=True)
                | Q(kind="credit_note", corrects__isnull=False),
                name="invoice_credit_note_names_its_invoice",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.MUTABLE_FIELDS:
                raise ImmutableInvoiceError(
                    _("Eine ausgestellte Rechnung ändert sich nicht; bitte stornieren.")
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableInvoiceError(_("Rechnungen werden nie gelöscht, nur storniert."))

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE

    @property
    def recipient_lines(self) -> list[str]:
        lines = [
            self.recipient_company,
            self.recipient_name,
            self.recipient_street,
            f"{self.recipient_postcode} {self.recipient_city}".strip(),
        ]
        return [line for line in lines if line]

    @property
    def recipient_display(self) -> str:
        return self.recipient_company or self.recipient_name

    def vat_breakdown(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        """(rate, net, VAT) per VAT rate of the lines, lowest rate first."""
        rows = (
            self.lines.values("vat_rate")
            .annotate(net=Sum("net"), vat=Sum("vat"))
            .order_by("vat_rate")
        )
        cent = Decimal("0.01")
        return [
            (
                Decimal(row["vat_rate"]),
                Decimal(row["net"]).quantize(cent),
                Decimal(row["vat"]).quantize(cent),
            )
            for row in rows
        ]

    def credited(self) -> Decimal:
        """What the credit notes of this invoice give back (a positive amount)."""
        total = self.credit_notes.aggregate(total=Sum("gross_total"))["total"] or ZERO
        return -total

    def outstanding(self) -> Decimal:
        """What the recipient still owes for this invoice (0 once paid)."""
        if self.is_credit_note or self.state != self.State.OPEN:
            return ZERO
        return max(self.gross_total - self.credited(), ZERO)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_credit_note and self.state == self.State.OPEN and self.due_date < today


class InvoiceLineQuerySet(models.QuerySet):
    def delete(self):
        raise ImmutableInvoiceError(_("Rechnungen werden nie gelöscht, nur storniert."))

    def update(self, **kwargs):
        raise ImmutableInvoiceError(_("Eine ausgestellte Rechnung ändert sich nicht."))


class InvoiceLine(models.Model):
    """One position: a participant's seat, its reversal, or a cancellation fee. Amounts
    are signed (a credit note's reversal is negative); ``gross`` is what the price list
    says, ``net`` and ``vat`` are contained in it (``courses.pricing.split_gross``)."""

    class Kind(models.TextChoices):
        SEAT = "seat", _("Teilnahme")
        REVERSAL = "reversal", _("Storno")
        FEE = "fee", _("Stornogebühr")

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("Rechnung"), on_delete=models.PROTECT, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("Position"))
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.SEAT)
    description = models.CharField(_("Beschreibung"), max_length=400)
    quantity = models.DecimalField(_("Menge"), max_digits=8, decimal_places=2, default=1)
    unit_price = models.DecimalField(_("Einzelpreis"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("USt-Satz in Prozent"), max_digits=4, decimal_places=2)
    net = models.DecimalField(_("Netto"), max_digits=10, decimal_places=2)
    vat = models.DecimalField(_("Umsatzsteuer"), max_digits=10, decimal_places=2)
    gross = models.DecimalField(_("Brutto"), max_digits=10, decimal_places=2)
    enrolment = models.ForeignKey(
        "enrolment.Enrolment",
        verbose_name=_("Teilnehmer/in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice_lines",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("Storniert Position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rechnungsposition")
        verbose_name_plural = _("Rechnungspositionen")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="invoice_line_position_unique"
            ),
        ]

    def __str__(self):
        return self.description

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableInvoiceError(_("Eine ausgestellte Rechnung ändert sich nicht."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableInvoiceError(_("Rechnungen werden nie gelöscht, nur storniert."))
