"""The funding programmes as published by their bodies, for the demo and the tests.

Staff keep them up to date in the admin (Kurskatalog → Förderprogramme); these are
the facts as checked on ``AS_OF`` against the sources named in each record.
"""

import datetime
from decimal import Decimal

from .funding_models import FundingProgramme, FundingRule, FundingSizeBand, FundingStatus

AS_OF = datetime.date(2026, 12, 2)

AFBG = {
    "name": "Aufstiegs-BAföG (Aufstiegsfortbildungsförderungsgesetz)",
    "short_name": "Aufstiegs-BAföG",
    "audience": (
        "Für alle, die sich auf eine Prüfung nach Handwerksordnung oder Berufsbildungsgesetz "
        "vorbereiten – Meisterin und Meister, Fachwirt/in, Betriebswirt/in (HwO), "
        "Berufsspezialist/in –, ohne Altersgrenze und unabhängig vom Einkommen."
    ),
    "rule": FundingRule.AFBG,
    "status": FundingStatus.ACTIVE,
    "min_teaching_units": 400,
    "min_teaching_units_first_level": 200,
    "qualifications": "level_1 level_2 level_3",
    "full_time_min_units_per_week": 25,
    "full_time_max_months": 36,
    "part_time_min_units_per_month": 18,
    "part_time_max_months": 48,
    "requires_certified_provider": True,
    "grant_share": Decimal("50"),
    "loan_share": Decimal("50"),
    "loan_waiver_exam": Decimal("50"),
    "loan_waiver_founding": Decimal("100"),
    "max_fees": Decimal("15000"),
    "material_max": Decimal("2000"),
    "sources": "\n".join(
        [
            "https://www.aufstiegs-bafoeg.de",
            "https://www.gesetze-im-internet.de/afbg/__2.html",
        ]
    ),
    "sort_order": 10,
}

SGB3_82 = {
    "name": "Weiterbildung Beschäftigter nach § 82 SGB III (Qualifizierungschancengesetz)",
    "short_name": "Förderung durch die Agentur für Arbeit",
    "audience": (
        "Für Beschäftigte, deren Berufsabschluss in der Regel mindestens zwei Jahre "
        "zurückliegt: die Agentur für Arbeit übernimmt Lehrgangskosten ganz oder zum Teil, "
        "der Betrieb trägt je nach Größe einen Anteil."
    ),
    "rule": FundingRule.SGB3_82,
    "status": FundingStatus.ACTIVE,
    "hours_more_than": Decimal("120"),
    "requires_azav": True,
    "sources": "https://www.gesetze-im-internet.de/sgb_3/__82.html",
    "sort_order": 20,
}

SGB3_82_BANDS = [
    # (from, to, employer share %, no share from 45 or severely disabled)
    (0, 49, Decimal("0"), False),
    (50, 499, Decimal("50"), True),
    (500, None, Decimal("75"), False),
]

SAXONY = {
    "name": "Berufliche Weiterbildung Sachsen (ESF Plus, Sächsische Aufbaubank)",
    "short_name": "Weiterbildungsförderung Sachsen (SAB)",
    "audience": (
        "Für Beschäftigte und Betriebe in Sachsen: ein Zuschuss zu den Kosten einer "
        "beruflichen Weiterbildung, je nach Personenkreis 50 bis 80 Prozent."
    ),
    "rule": FundingRule.STATE,
    "status": FundingStatus.SUSPENDED,
    "status_note": (
        "Anträge waren bis 18.11.2024 möglich; im Doppelhaushalt 2025/2026 stehen keine "
        "Mittel bereit."
    ),
    "grant_share": Decimal("50"),
    "sources": "\n".join(
        [
            "https://www.sab.sachsen.de/berufliche-weiterbildung-individuell-berufsbezogene-weiterbildung",
            "https://www.sab.sachsen.de/berufliche-weiterbildung-betriebliche-weiterbildung",
        ]
    ),
    "sort_order": 30,
}


def ensure_programme(data: dict, bands=()) -> FundingProgramme:
    """The programme named in ``data``, created with its facts if missing (a programme
    staff have edited since is left as it is)."""
    programme = FundingProgramme.objects.filter(name=data["name"]).first()
    if programme is not None:
        return programme
    programme = FundingProgramme(**{"as_of": AS_OF, **data})
    programme.size_bands = [
        FundingSizeBand(
            min_staff=low, max_staff=high, employer_share=share, no_share_from_45=from_45
        )
        for low, high, share, from_45 in bands
    ]
    programme.save()
    return programme


def ensure_programmes() -> list[FundingProgramme]:
    return [
        ensure_programme(AFBG),
        ensure_programme(SGB3_82, SGB3_82_BANDS),
        ensure_programme(SAXONY),
    ]
