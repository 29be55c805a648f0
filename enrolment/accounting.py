"""Invoices of a period for the accounting, in DATEV's way of thinking.

One row per invoice and VAT rate: the gross amount (always positive) with a debit or
credit flag – an invoice is booked to the debtor ("S"), a credit note back ("H") –,
the revenue account of the billing settings for exempt or taxed courses, the rate
and DATEV's tax key (BU-Schlüssel 3 = 19 % USt; none for exempt revenue), the
invoice date, number and a booking text. Written in the project's CSV dialect
(``home.spreadsheets``: semicolons, UTF-8 with BOM, German decimal commas), which
DATEV's import of "Buchungsstapel" and any spreadsheet read.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from home.spreadsheets import csv_bytes

from .invoice_models import Invoice, InvoiceSettings

TAX_KEYS = {Decimal("19"): "3", Decimal("7"): "2"}


def headings() -> list[str]:
    return [
        _("Umsatz (Betrag)"),
        _("Soll/Haben-Kennzeichen"),
        _("WKZ Umsatz"),
        _("Konto"),
        _("Gegenkonto (Erlöskonto)"),
        _("BU-Schlüssel"),
        _("Steuersatz"),
        _("Belegdatum"),
        _("Belegfeld 1 (Belegnummer)"),
        _("Buchungstext"),
    ]


def rows(start, end, settings: InvoiceSettings):
    invoices = (
        Invoice.objects.filter(issue_date__gte=start, issue_date__lte=end)
        .select_related("corrects")
        .prefetch_related("lines")
        .order_by("issue_date", "number")
    )
    for invoice in invoices:
        by_rate: dict[Decimal, Decimal] = {}
        for line in invoice.lines.all():
            rate = Decimal(line.vat_rate).normalize()
            by_rate[rate] = by_rate.get(rate, Decimal("0.00")) + line.gross
        for rate, gross in sorted(by_rate.items()):
            if not gross:
                continue
            text = f"{invoice.recipient_display} {invoice.number}"
            if invoice.is_credit_note:
                text = _("Storno %(number)s zu %(original)s %(recipient)s") % {
                    "number": invoice.number,
                    "original": invoice.corrects.number,
                    "recipient": invoice.recipient_display,
                }
            yield [
                abs(gross),
                "S" if gross > 0 else "H",
                "EUR",
                settings.debtor_account,
                settings.revenue_account_taxed if rate else settings.revenue_account_exempt,
                TAX_KEYS.get(rate, ""),
                f"{rate:f}".replace(".", ",") + " %",
                invoice.issue_date,
                invoice.number,
                text[:60],
            ]


def export_csv(start, end, settings: InvoiceSettings) -> bytes:
    return csv_bytes(headings(), rows(start, end, settings))
