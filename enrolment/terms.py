"""Booking terms as data, and the fee a cancellation costs.

The academy's terms are the site setting "Buchungsbedingungen"; a course may have
its own ("Abweichende Buchungsbedingungen"), which then apply as a whole. Days
"before the start" are calendar days in Europe/Berlin between the local day of the
cancellation and the local first day of the course, whatever the clock change does
to the hours in between.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

BERLIN = ZoneInfo("Europe/Berlin")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Terms:
    free_until_days: int = 31
    #: (days before the start, percent), any order
    stages: tuple[tuple[int, int], ...] = ((30, 25), (14, 50), (7, 100))
    substitute_allowed: bool = True
    decision_days: int = 14
    academy_cancellation_text: str = ""
    version: str = ""
    course_specific: bool = field(default=False, compare=False)

    def percent(self, days_before: int) -> int:
        """The share of the price due when cancelling ``days_before`` calendar days
        before the first day (0 = on the first day; negative = after it)."""
        if days_before >= self.free_until_days:
            return 0
        due = [percent for days, percent in self.stages if days_before <= days]
        return max(due, default=0)

    def lines(self) -> list[str]:
        """The terms in plain German, one rule a line (pages and mails)."""
        lines = [
            ngettext(
                "Kostenfreie Stornierung bis %(days)d Tag vor Beginn.",
                "Kostenfreie Stornierung bis %(days)d Tage vor Beginn.",
                self.free_until_days,
            )
            % {"days": self.free_until_days}
        ]
        for days, percent in sorted(self.stages, reverse=True):
            if days >= self.free_until_days:
                continue
            lines.append(
                ngettext(
                    "Ab %(days)d Tag vor Beginn: %(percent)d %% des Preises.",
                    "Ab %(days)d Tagen vor Beginn: %(percent)d %% des Preises.",
                    days,
                )
                % {"days": days, "percent": percent}
            )
        if self.substitute_allowed:
            lines.append(
                _(
                    "Statt zu stornieren, können Sie bis zum Beginn kostenfrei eine "
                    "Ersatzperson schicken."
                )
            )
        if self.academy_cancellation_text:
            lines.append(self.academy_cancellation_text)
        return lines


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(BERLIN).date()


def days_before(start: datetime.datetime, cancelled_at: datetime.datetime) -> int:
    """Calendar days in Berlin from the day of cancelling to the first course day."""
    return (local_day(start) - local_day(cancelled_at)).days


def fee(
    price: Decimal,
    start: datetime.datetime,
    cancelled_at: datetime.datetime,
    terms: Terms = Terms(),
) -> Decimal:
    """What cancelling one participant at ``cancelled_at`` costs under ``terms``."""
    price = Decimal(price or 0)
    if price <= 0:
        return Decimal("0.00")
    share = Decimal(terms.percent(days_before(start, cancelled_at)))
    return (price * share / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def from_model(obj, *, course_specific=False) -> Terms:
    stages = tuple(
        (int(block.value["days"]), int(block.value["percent"]))
        for block in obj.fee_stages
        if block.block_type == "stage"
        and block.value.get("days") is not None
        and block.value.get("percent") is not None
    )
    return Terms(
        free_until_days=obj.free_until_days,
        stages=stages,
        substitute_allowed=obj.substitute_allowed,
        decision_days=obj.decision_days,
        academy_cancellation_text=obj.academy_cancellation_text,
        version=obj.version,
        course_specific=course_specific,
    )


def academy_terms() -> Terms:
    from wagtail.models import Site

    from .models import BookingTerms

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return Terms()
    return from_model(BookingTerms.for_site(site))


def for_course(course) -> Terms:
    """The terms that apply to bookings of ``course`` (a CoursePage)."""
    from .models import CourseBookingTerms

    own = CourseBookingTerms.objects.filter(course_id=course.pk).first()
    if own is not None:
        return from_model(own, course_specific=True)
    return academy_terms()


def for_date(course_date) -> Terms:
    return for_course(course_date.course)
