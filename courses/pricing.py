"""What a course date costs a person: regular, member and early-booking prices.

A course sets its prices; a date may override each of them. Every price is a final
price (with VAT where the course is taxed). A person pays the lowest price that
applies to them on the day they book: the member price for businesses in one of
the guilds, the early-booking price until its date. Free courses stay free.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DatePrices:
    regular: Decimal
    member: Decimal | None
    early: Decimal | None
    early_until: datetime.date | None


@dataclass(frozen=True)
class PriceQuote:
    """The price that applies, and why."""

    amount: Decimal
    kind: str  # "free", "regular", "member" or "early"
    regular: Decimal

    @property
    def is_free(self) -> bool:
        return self.amount == ZERO

    @property
    def reduced(self) -> bool:
        return self.amount < self.regular

    @property
    def label(self) -> str:
        return {
            "free": _("kostenfrei"),
            "regular": _("Preis"),
            "member": _("Preis für Innungsmitglieder"),
            "early": _("Frühbucherpreis"),
        }[self.kind]


def _pick(override, default):
    return override if override is not None else default


def date_prices(course_date) -> DatePrices:
    """The prices of one date: its overrides, else the course's."""
    course = course_date.course
    return DatePrices(
        regular=_pick(course_date.price_override, course.price),
        member=_pick(course_date.member_price_override, course.member_price),
        early=_pick(course_date.early_price_override, course.early_price),
        early_until=_pick(course_date.early_price_until_override, course.early_price_until),
    )


def quote(course_date, *, member: bool = False, on: datetime.date | None = None) -> PriceQuote:
    """The price a person pays for ``course_date`` when booking on ``on`` (today)."""
    prices = date_prices(course_date)
    regular = Decimal(prices.regular)
    if regular == ZERO:
        return PriceQuote(ZERO, "free", ZERO)
    on = on or timezone.localdate()
    candidates = [(regular, "regular")]
    if member and prices.member is not None:
        candidates.append((Decimal(prices.member), "member"))
    if prices.early is not None and prices.early_until is not None and on <= prices.early_until:
        candidates.append((Decimal(prices.early), "early"))
    # the lowest applies; on a tie the plain price is named
    amount, kind = min(candidates, key=lambda c: (c[0], c[1] != "regular"))
    return PriceQuote(amount, kind, regular)


def early_until_text(course_date) -> str:
    until = date_prices(course_date).early_until
    return formats.date_format(until, "SHORT_DATE_FORMAT") if until else ""


def price_errors(*, price, member, early, early_until, fields) -> dict:
    """Editor checks for one set of prices; ``fields`` name (price, member, early, until)."""
    price_field, member_field, early_field, until_field = fields
    errors = {}
    if price is None:
        return errors
    if member is not None and member > price:
        errors[member_field] = _("Der Mitgliedspreis darf nicht über dem Preis liegen.")
    if early is not None and early > price:
        errors[early_field] = _("Der Frühbucherpreis darf nicht über dem Preis liegen.")
    if early is not None and early_until is None:
        errors[until_field] = _("Bitte geben Sie an, bis wann der Frühbucherpreis gilt.")
    if early_until is not None and early is None:
        errors[early_field] = _("Bitte geben Sie den Frühbucherpreis an.")
    if price == ZERO and (member or early):
        errors[price_field] = _("Ein kostenfreier Kurs hat keinen Mitglieds- oder Frühbucherpreis.")
    return errors


VAT_RATES = {"exempt_21": Decimal("0"), "exempt_22": Decimal("0"), "taxed_19": Decimal("19")}

VAT_NOTES = {
    "exempt_21": (
        "Umsatzsteuerfrei nach § 4 Nr. 21 Buchst. a UStG: unmittelbar dem Schul- und "
        "Bildungszweck dienende Leistung."
    ),
    "exempt_22": (
        "Umsatzsteuerfrei nach § 4 Nr. 22 Buchst. a UStG: Kurse und Vorträge belehrender "
        "Art einer Einrichtung, die dem Zweck eines Berufsverbandes dient."
    ),
    "taxed_19": "Im Preis sind 19 % Umsatzsteuer enthalten.",
}


def vat_rate(course) -> Decimal:
    """The VAT rate in percent for a course (0 when exempt)."""
    return VAT_RATES[course.vat_treatment]


def vat_note(course) -> str:
    """The wording for invoices and the booking page (German, legally fixed text)."""
    return VAT_NOTES[course.vat_treatment]


def split_gross(gross: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """Net and VAT contained in a final price, rounded to cents (net + vat == gross)."""
    gross = Decimal(gross).quantize(Decimal("0.01"))
    if not rate:
        return gross, ZERO
    net = (gross * 100 / (100 + rate)).quantize(Decimal("0.01"))
    return net, gross - net
