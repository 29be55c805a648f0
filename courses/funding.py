"""Which funding programmes a course meets, and what it costs a person in the end.

The programmes are data (``FundingProgramme``, kept by staff with sources and a
"Stand" date); this module evaluates them:

- :func:`evaluate` – does a course meet a programme's rules? With the reasons in
  German when it does not (the course page shows them under "Warum nicht …?");
- :func:`calculate` – a pure function: price → member or early-booking price →
  employer and Agentur für Arbeit (§ 82 SGB III) or Aufstiegs-BAföG (grant, loan,
  waiver) or a state grant → the person's own share, each step explained;
- :func:`calculate_for_booking` – the same for a course date as staff see it in
  the admin (used by the enrolment admin, which lies above this app).

Nothing here decides anything for the funding bodies: every answer carries the
note that they alone decide.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Subquery
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .funding_models import FundingProgramme, FundingRule, FundingStatus, Qualification, Schedule
from .pricing import ZERO, quote

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
#: an Unterrichtsstunde (UStd, "UE" in the catalogue) lasts 45 minutes
UNIT_HOURS = Decimal("0.75")
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


def _disclaimer() -> str:
    return _(
        "Keine Rechtsberatung – verbindlich entscheiden die Förderstellen (Agentur für "
        "Arbeit, Aufstiegs-BAföG-Amt, Sächsische Aufbaubank …)."
    )


def _euro(amount: Decimal) -> str:
    return formats.number_format(amount, 2, use_l10n=True, force_grouping=True) + " €"


def _cents(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def _share(amount: Decimal, percent) -> Decimal:
    return _cents(Decimal(amount) * Decimal(percent or 0) / HUNDRED)


def _number(value) -> str:
    return formats.number_format(value, decimal_pos=None, use_l10n=True)


# --- the provider ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderFacts:
    """What funding rules ask of the academy as a provider ("Bildungsträger")."""

    quality_certificate: str = ""
    azav_certified: bool = False
    azav_valid_until: datetime.date | None = None

    def azav_valid(self, today: datetime.date) -> bool:
        return self.azav_certified and (
            self.azav_valid_until is None or self.azav_valid_until >= today
        )

    def certified(self, today: datetime.date) -> bool:
        return bool(self.quality_certificate.strip()) or self.azav_valid(today)


def provider_facts_for(settings) -> ProviderFacts:
    if settings is None:
        return ProviderFacts()
    return ProviderFacts(
        quality_certificate=settings.quality_certificate or "",
        azav_certified=bool(settings.azav_certified),
        azav_valid_until=settings.azav_valid_until,
    )


# --- rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """Whether a course meets a programme's rules, and why not."""

    programme: FundingProgramme
    rules_met: bool
    reasons: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        """The rules are met and the programme takes applications."""
        return self.rules_met and self.programme.is_active

    @property
    def suspended(self) -> bool:
        """The course would qualify, but the programme is suspended for now."""
        return self.rules_met and self.programme.is_suspended

    @property
    def why_not(self) -> tuple[str, ...]:
        """Every reason, the programme's status first."""
        status = ()
        if self.programme.status == FundingStatus.SUSPENDED:
            status = (_("Programm derzeit ausgesetzt"),)
        elif self.programme.status == FundingStatus.ENDED:
            status = (_("Programm beendet"),)
        return status + self.reasons


def course_hours(course) -> Decimal | None:
    """The course's length in hours: as stated, else its teaching units at 45 minutes."""
    if course.duration_hours is not None:
        return Decimal(course.duration_hours)
    if course.teaching_units is not None:
        return Decimal(course.teaching_units) * UNIT_HOURS
    return None


def _unit_reasons(programme, course) -> list[str]:
    required = programme.min_teaching_units
    if course.qualification == Qualification.LEVEL_1 and (
        programme.min_teaching_units_first_level is not None
    ):
        required = programme.min_teaching_units_first_level
    if required is None:
        return []
    units = course.teaching_units
    if units is None:
        return [_("Unterrichtsstunden nicht angegeben")]
    if units < required:
        return [
            _("unter %(required)s UStd (der Kurs hat %(units)s)")
            % {"required": required, "units": units}
        ]
    return []


def _hour_reasons(programme, course) -> list[str]:
    limit = programme.hours_more_than
    if limit is None:
        return []
    hours = course_hours(course)
    if hours is None:
        return [_("Dauer in Stunden nicht angegeben")]
    if hours <= limit:
        return [
            _("nicht mehr als %(limit)s Stunden (der Kurs hat %(hours)s)")
            % {"limit": _number(limit.normalize()), "hours": _number(hours.normalize())}
        ]
    return []


def _density_reasons(programme, course) -> list[str]:
    full = (programme.full_time_min_units_per_week, programme.full_time_max_months)
    part = (programme.part_time_min_units_per_month, programme.part_time_max_months)
    if all(value is None for value in (*full, *part)):
        return []
    if course.schedule not in (Schedule.FULL_TIME, Schedule.PART_TIME):
        return [_("Vollzeit oder Teilzeit nicht angegeben")]
    months = course.planned_months
    if not months:
        return [_("geplante Dauer in Monaten nicht angegeben")]
    units = Decimal(course.teaching_units or 0)
    reasons = []
    if course.schedule == Schedule.FULL_TIME:
        per_week, max_months = full
        if max_months is not None and months > max_months:
            reasons.append(_("in Vollzeit länger als %(months)s Monate") % {"months": max_months})
        if per_week is not None and units / (months * WEEKS_PER_MONTH) < per_week:
            reasons.append(
                _("in Vollzeit weniger als %(units)s UStd je Woche") % {"units": per_week}
            )
    else:
        per_month, max_months = part
        if max_months is not None and months > max_months:
            reasons.append(_("in Teilzeit länger als %(months)s Monate") % {"months": max_months})
        if per_month is not None and units / months < per_month:
            reasons.append(
                _("in Teilzeit im Durchschnitt weniger als %(units)s UStd je Monat")
                % {"units": per_month}
            )
    return reasons


def _provider_reasons(programme, course, provider: ProviderFacts, today) -> list[str]:
    reasons = []
    if programme.requires_certified_provider and not provider.certified(today):
        reasons.append(_("Anbieter nicht anerkannt oder zertifiziert"))
    if programme.requires_azav:
        if not provider.azav_valid(today):
            reasons.append(_("Anbieter nicht nach AZAV zugelassen"))
        if not course.azav_course_number.strip():
            reasons.append(_("Kurs nicht nach AZAV zugelassen"))
        elif course.azav_course_valid_until is not None and course.azav_course_valid_until < today:
            reasons.append(_("AZAV-Zulassung des Kurses abgelaufen"))
    return reasons


def evaluate(
    programme: FundingProgramme,
    course,
    today: datetime.date | None = None,
    provider: ProviderFacts | None = None,
) -> Eligibility:
    """Whether ``course`` meets the rules of ``programme`` (its status aside)."""
    today = today or timezone.localdate()
    provider = provider or ProviderFacts()
    reasons = []
    qualifying = programme.qualification_list
    if qualifying and course.qualification not in qualifying:
        reasons.append(_("bereitet nicht auf einen förderfähigen Fortbildungsabschluss vor"))
    reasons += _unit_reasons(programme, course)
    reasons += _hour_reasons(programme, course)
    reasons += _density_reasons(programme, course)
    reasons += _provider_reasons(programme, course, provider, today)
    return Eligibility(programme, not reasons, tuple(reasons))


# --- reading the programmes -----------------------------------------------------------

_PROVIDER_FIELDS = ("quality_certificate", "azav_certified", "azav_valid_until")


def load_programmes(site=None, *, with_bands=False) -> tuple[list, ProviderFacts]:
    """The programmes (ended ones left out) and the provider's facts for ``site``: one
    query (the provider's fields ride along on every row), one more for size bands."""
    from .models import ProviderSettings

    queryset = FundingProgramme.objects.exclude(status=FundingStatus.ENDED)
    if site is not None:
        settings = ProviderSettings.objects.filter(site_id=site.pk).order_by()
        queryset = queryset.annotate(
            **{f"provider_{name}": Subquery(settings.values(name)[:1]) for name in _PROVIDER_FIELDS}
        )
    if with_bands:
        queryset = queryset.prefetch_related("size_bands")
    programmes = list(queryset)
    provider = ProviderFacts()
    if programmes and site is not None:
        first = programmes[0]
        provider = ProviderFacts(
            quality_certificate=first.provider_quality_certificate or "",
            azav_certified=bool(first.provider_azav_certified),
            azav_valid_until=_as_date(first.provider_azav_valid_until),
        )
    return programmes, provider


def _as_date(value):
    if isinstance(value, str):  # a subquery's date, as some databases hand it back
        return datetime.date.fromisoformat(value[:10])
    return value


def cached_programmes(site) -> tuple[list, ProviderFacts]:
    """:func:`load_programmes` under the content version (home/cache.py): saving a
    programme or the provider settings ends it, so a course published meanwhile
    costs no query for them."""
    from home.cache import _cache, content_version

    version = content_version()
    key = f"funding:programmes:{getattr(site, 'pk', 0)}:{version}"
    if version:
        try:
            found = _cache().get(key)
        except Exception:
            found = None
        if found is not None:
            return found
    found = load_programmes(site)
    if version:
        try:
            _cache().set(key, found, 24 * 3600)
        except Exception:  # the cache is down: read again next time
            logger.warning("cache unavailable, funding programmes not kept", exc_info=True)
    return found


def course_is_priced(course) -> bool:
    return Decimal(course.price or 0) > ZERO


def course_funding(course, site, today=None) -> dict:
    """What the course page shows: the programmes the course meets (badges), those it
    would meet but which are suspended, and the others with their reasons."""
    if not course_is_priced(course):
        return {"eligible": [], "suspended": [], "others": []}
    today = today or timezone.localdate()
    programmes, provider = cached_programmes(site)
    results = [evaluate(programme, course, today, provider) for programme in programmes]
    return {
        "eligible": [result for result in results if result.eligible],
        "suspended": [result for result in results if result.suspended],
        "others": [result for result in results if not result.rules_met],
    }


# --- the calculation ------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One line of the calculation: what happens, by how much, and what is left."""

    text: str
    amount: Decimal
    remaining: Decimal
    kind: str = "change"  # "price", "change", "loan" or "note"


@dataclass
class Calculation:
    price: object  # pricing.PriceQuote
    steps: list[Step] = field(default_factory=list)
    own_share: Decimal = ZERO
    loan: Decimal = ZERO
    after_exam: Decimal | None = None
    programmes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def disclaimer(self) -> str:
        return _disclaimer()


#: the company sizes a person may choose (the lower bound of each band stands for it)
SIZE_CHOICES = (("1", 1), ("50", 50), ("500", 500))


def _band_for(programme, staff: int):
    for band in programme.size_bands.all():
        if band.covers(staff):
            return band
    return None


def employer_share_percent(programme, staff: int, aged_45_or_disabled: bool) -> Decimal:
    """The employer's share of the fees under § 82 SGB III for a company of ``staff``."""
    band = _band_for(programme, staff)
    if band is None:
        return ZERO
    if aged_45_or_disabled and band.no_share_from_45:
        return ZERO
    return Decimal(band.employer_share)


def _first(results, rule):
    return next((r for r in results if r.programme.rule == rule), None)


def calculate(
    course_date,
    *,
    results: list[Eligibility],
    today: datetime.date,
    member: bool = False,
    employed: bool = False,
    company_size: int | None = None,
    aged_45_or_disabled: bool = False,
    toward_exam: bool = False,
) -> Calculation:
    """What ``course_date`` (an unsaved one stands for the course's own prices) costs a
    person, given the programmes' evaluations for its course. Pure: reads nothing."""
    price = quote(course_date, member=member, on=today)
    calculation = Calculation(price=price, own_share=price.amount)
    steps = calculation.steps
    steps.append(Step(_("Kurspreis"), price.regular, price.regular, "price"))
    if price.kind == "member":
        steps.append(
            Step(
                _("Preis für Innungsmitglieder"),
                price.amount - price.regular,
                price.amount,
            )
        )
    elif price.kind == "early":
        steps.append(Step(_("Frühbucherpreis"), price.amount - price.regular, price.amount))
    elif member and price.kind != "free":
        calculation.notes.append(_("Für diesen Kurs gibt es keinen eigenen Mitgliedspreis."))
    remaining = price.amount
    if remaining == ZERO:
        calculation.notes.append(_("Der Kurs ist kostenfrei."))
        return calculation

    sgb = _first([r for r in results if r.eligible], FundingRule.SGB3_82)
    afbg = _first([r for r in results if r.eligible], FundingRule.AFBG)
    state = _first([r for r in results if r.eligible], FundingRule.STATE)
    for result in results:
        if result.suspended:
            calculation.notes.append(
                _("%(name)s: derzeit ausgesetzt.") % {"name": result.programme.short_name}
                + (f" {result.programme.status_note}" if result.programme.status_note else "")
            )

    if employed and sgb is not None and company_size is not None:
        programme = sgb.programme
        percent = employer_share_percent(programme, company_size, aged_45_or_disabled)
        employer = _share(remaining, percent)
        if employer:
            remaining -= employer
            steps.append(
                Step(
                    _("Anteil Ihres Betriebs: %(percent)s %% (%(size)s)")
                    % {"percent": _number(percent.normalize()), "size": size_text(company_size)},
                    -employer,
                    remaining,
                )
            )
        else:
            steps.append(
                Step(
                    _("Anteil Ihres Betriebs: keiner (%(why)s)")
                    % {"why": _no_share_reason(company_size, aged_45_or_disabled)},
                    ZERO,
                    remaining,
                    "note",
                )
            )
        agency = remaining
        remaining = ZERO
        steps.append(
            Step(
                _("Die Agentur für Arbeit kann die übrigen Lehrgangskosten übernehmen (%(name)s)")
                % {"name": programme.short_name},
                -agency,
                remaining,
            )
        )
        calculation.programmes.append(programme.short_name)
        calculation.notes.append(
            _(
                "Die Förderung nach § 82 SGB III ist eine Ermessensleistung: Lassen Sie sich "
                "vor Kursbeginn von der Agentur für Arbeit beraten; Ihr Betrieb stellt den "
                "Antrag mit Ihnen."
            )
        )
    elif toward_exam and afbg is not None:
        programme = afbg.programme
        eligible_fees = remaining
        if programme.max_fees is not None:
            eligible_fees = min(remaining, Decimal(programme.max_fees))
        grant = _share(eligible_fees, programme.grant_share)
        loan = _share(eligible_fees, programme.loan_share)
        remaining -= grant
        steps.append(
            Step(
                _("Zuschuss %(name)s: %(percent)s %% (müssen Sie nicht zurückzahlen)")
                % {
                    "name": programme.short_name,
                    "percent": _number(Decimal(programme.grant_share or 0).normalize()),
                },
                -grant,
                remaining,
            )
        )
        calculation.programmes.append(programme.short_name)
        if loan:
            calculation.loan = loan
            steps.append(
                Step(
                    _(
                        "Darlehen der KfW: %(percent)s %% – bezahlt den Rest, müssen Sie aber "
                        "zurückzahlen"
                    )
                    % {"percent": _number(Decimal(programme.loan_share or 0).normalize())},
                    loan,
                    remaining,
                    "loan",
                )
            )
            waiver = _share(loan, programme.loan_waiver_exam)
            if waiver:
                calculation.after_exam = remaining - waiver
                steps.append(
                    Step(
                        _("Bei bestandener Prüfung erlassen: %(percent)s %% des Restdarlehens")
                        % {"percent": _number(Decimal(programme.loan_waiver_exam).normalize())},
                        -waiver,
                        calculation.after_exam,
                    )
                )
            if programme.loan_waiver_founding:
                calculation.notes.append(
                    _(
                        "Gründen oder übernehmen Sie danach einen Betrieb, kann das "
                        "Restdarlehen zu %(percent)s %% erlassen werden."
                    )
                    % {"percent": _number(Decimal(programme.loan_waiver_founding).normalize())}
                )
        if programme.max_fees is not None and price.amount > programme.max_fees:
            calculation.notes.append(
                _("Gefördert werden Gebühren bis %(max)s.") % {"max": _euro(programme.max_fees)}
            )
        if programme.material_max and course_date.course.qualification == Qualification.LEVEL_2:
            calculation.notes.append(
                _("Das Material für das Meisterstück wird zusätzlich mit bis zu %(max)s gefördert.")
                % {"max": _euro(programme.material_max)}
            )
    elif state is not None and state.programme.grant_share:
        programme = state.programme
        grant = _share(remaining, programme.grant_share)
        remaining -= grant
        steps.append(
            Step(
                _("Zuschuss %(name)s: %(percent)s %%")
                % {
                    "name": programme.short_name,
                    "percent": _number(Decimal(programme.grant_share).normalize()),
                },
                -grant,
                remaining,
            )
        )
        calculation.programmes.append(programme.short_name)
    else:
        calculation.notes += _why_no_funding(
            results, employed=employed, company_size=company_size, toward_exam=toward_exam
        )
    calculation.own_share = remaining
    return calculation


def size_text(staff: int) -> str:
    if staff >= 500:
        return _("Betrieb mit 500 und mehr Beschäftigten")
    if staff >= 50:
        return _("Betrieb mit 50 bis 499 Beschäftigten")
    return _("Betrieb mit weniger als 50 Beschäftigten")


def _no_share_reason(staff: int, aged_45_or_disabled: bool) -> str:
    if staff < 50:
        return _("Betrieb mit weniger als 50 Beschäftigten")
    return _("ab 45 Jahren oder mit Schwerbehinderung, Betrieb unter 500 Beschäftigten")


def _why_no_funding(results, *, employed, company_size, toward_exam) -> list[str]:
    notes = []
    sgb = _first(results, FundingRule.SGB3_82)
    afbg = _first(results, FundingRule.AFBG)
    if sgb is not None and sgb.eligible and not employed:
        notes.append(
            _("%(name)s fördert nur Beschäftigte: Sie haben angegeben, nicht angestellt zu sein.")
            % {"name": sgb.programme.short_name}
        )
    if afbg is not None and afbg.eligible and not toward_exam:
        notes.append(
            _("%(name)s gibt es nur, wenn Sie die Prüfung ablegen wollen.")
            % {"name": afbg.programme.short_name}
        )
    if not notes:
        notes.append(_("Für diesen Kurs und Ihre Angaben fanden wir keine Förderung."))
    return notes


def calculate_for_booking(
    course_date,
    *,
    member: bool = False,
    employed: bool = False,
    company_size: int | None = None,
    aged_45_or_disabled: bool = False,
    toward_exam: bool = False,
    today: datetime.date | None = None,
) -> Calculation:
    """The calculation for a booked date, for staff (enrolment admin): reads the
    programmes and the provider settings of the course's site (three queries)."""
    today = today or timezone.localdate()
    course = course_date.course
    programmes, provider = load_programmes(course.get_site(), with_bands=True)
    results = [evaluate(programme, course, today, provider) for programme in programmes]
    return calculate(
        course_date,
        results=results,
        today=today,
        member=member,
        employed=employed,
        company_size=company_size,
        aged_45_or_disabled=aged_45_or_disabled,
        toward_exam=toward_exam,
    )


# --- the calculator page --------------------------------------------------------------


def cost_calculator_response(course, request):
    """The calculator below a course page (``<course>/kosten/``): a GET form, so that
    the answer can be bookmarked. Answers to filled-in forms are marked private: the
    page cache keeps the empty form, not one copy per combination of answers."""
    from wagtail.models import Site

    from .forms import CostCalculatorForm
    from .models import CourseDate

    today = timezone.localdate()
    dates = list(
        CourseDate.objects.filter(course=course).open_for_enrolment().order_by("start", "pk")
    )
    for date in dates:
        date.course = course
    form = CostCalculatorForm(request.GET or None, dates=dates, course=course)
    calculation = None
    if form.is_bound and form.is_valid():
        programmes, provider = load_programmes(Site.find_for_request(request), with_bands=True)
        results = [evaluate(programme, course, today, provider) for programme in programmes]
        data = form.cleaned_data
        calculation = calculate(
            data["termin"] or CourseDate(course=course),
            results=results,
            today=today,
            member=data["innung"],
            employed=data["beschaeftigt"] == "ja",
            company_size=data["betrieb"],
            aged_45_or_disabled=data["ab45"],
            toward_exam=data["pruefung"],
        )
    response = course.render(
        request,
        template="courses/course_cost.html",
        context_overrides={
            "form": form,
            "calculation": calculation,
            "calculator_url": course.cost_calculator_url(request),
            "priced": course_is_priced(course) or any(d.price_override for d in dates),
            "disclaimer": _disclaimer(),
        },
    )
    if request.GET:
        patch_cache_control(response, private=True)
    return response
