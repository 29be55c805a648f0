"""Funding programmes as data: their rules per course, the course page's funding box,
and the cost calculator ("Was kostet mich der Kurs?")."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.funding import ProviderFacts, calculate, employer_share_percent, evaluate
from courses.funding_data import AFBG, SAXONY, SGB3_82, SGB3_82_BANDS, ensure_programme
from courses.funding_models import FundingProgramme, FundingStatus, Qualification, Schedule
from courses.models import CourseDate, CoursePage, ProviderSettings
from tests.factories import CourseDateFactory, CoursePageFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)
CERTIFIED = ProviderFacts(quality_certificate="DIN EN ISO 9001")
AZAV = ProviderFacts(azav_certified=True, azav_valid_until=datetime.date(2028, 1, 1))


def master_course(**fields) -> CoursePage:
    """An unsaved course meeting the Aufstiegs-BAföG: 480 UStd part time over 14 months."""
    values = {
        "title": "Meistervorbereitung",
        "teaser": "Berufsbegleitend zur Meisterprüfung.",
        "price": Decimal("3490"),
        "member_price": Decimal("3190"),
        "teaching_units": 480,
        "qualification": Qualification.LEVEL_2,
        "schedule": Schedule.PART_TIME,
        "planned_months": 14,
        **fields,
    }
    return CoursePage(**values)


def azav_course(**fields) -> CoursePage:
    values = {
        "title": "Zertifikatslehrgang",
        "price": Decimal("2480"),
        "duration_hours": Decimal("160"),
        "azav_course_number": "AZAV-1",
        "azav_course_valid_until": datetime.date(2028, 1, 1),
        **fields,
    }
    return CoursePage(**values)


@pytest.fixture
def afbg():
    return ensure_programme(AFBG)


@pytest.fixture
def sgb():
    return ensure_programme(SGB3_82, SGB3_82_BANDS)


@pytest.fixture
def saxony():
    return ensure_programme(SAXONY)


# --- rules: Aufstiegs-BAföG -------------------------------------------------------------


def test_afbg_met_by_a_part_time_master_course(afbg):
    result = evaluate(afbg, master_course(), TODAY, CERTIFIED)
    assert result.eligible and result.reasons == ()


@pytest.mark.parametrize(("units", "met"), [(399, False), (400, True)])
def test_afbg_needs_400_teaching_units(afbg, units, met):
    result = evaluate(afbg, master_course(teaching_units=units), TODAY, CERTIFIED)
    assert result.rules_met is met
    if not met:
        assert result.reasons == ("unter 400 UStd (der Kurs hat 399)",)


@pytest.mark.parametrize(("units", "met"), [(199, False), (200, True)])
def test_afbg_needs_200_teaching_units_at_the_first_level(afbg, units, met):
    course = master_course(
        teaching_units=units, qualification=Qualification.LEVEL_1, planned_months=10
    )
    result = evaluate(afbg, course, TODAY, CERTIFIED)
    assert result.rules_met is met
    if not met:
        assert "unter 200 UStd (der Kurs hat 199)" in result.reasons


def test_afbg_needs_an_exam_and_a_certified_provider(afbg):
    result = evaluate(afbg, master_course(qualification=""), TODAY, ProviderFacts())
    assert not result.rules_met
    assert result.reasons == (
        "bereitet nicht auf einen förderfähigen Fortbildungsabschluss vor",
        "Anbieter nicht anerkannt oder zertifiziert",
    )
    # an AZAV approval counts as certified, an expired one does not
    assert evaluate(afbg, master_course(), TODAY, AZAV).rules_met
    expired = ProviderFacts(azav_certified=True, azav_valid_until=TODAY - datetime.timedelta(1))
    assert not evaluate(afbg, master_course(), TODAY, expired).rules_met


def test_afbg_density_part_and_full_time(afbg):
    # part time: 18 UStd a month on average, 48 months at most
    thin = master_course(teaching_units=400, planned_months=23)  # 17.4 a month
    assert evaluate(afbg, thin, TODAY, CERTIFIED).reasons == (
        "in Teilzeit im Durchschnitt weniger als 18 UStd je Monat",
    )
    long = evaluate(afbg, master_course(teaching_units=900, planned_months=49), TODAY, CERTIFIED)
    assert long.reasons == ("in Teilzeit länger als 48 Monate",)
    # full time: 25 UStd a week; 480 UStd in 4 months is 27.7 a week, in 5 months 22.2
    full = master_course(schedule=Schedule.FULL_TIME, planned_months=4)
    assert evaluate(afbg, full, TODAY, CERTIFIED).rules_met
    slow = master_course(schedule=Schedule.FULL_TIME, planned_months=5)
    assert evaluate(afbg, slow, TODAY, CERTIFIED).reasons == (
        "in Vollzeit weniger als 25 UStd je Woche",
    )
    unknown = master_course(schedule="", planned_months=None)
    assert evaluate(afbg, unknown, TODAY, CERTIFIED).reasons == (
        "Vollzeit oder Teilzeit nicht angegeben",
    )


# --- rules: § 82 SGB III ----------------------------------------------------------------


@pytest.mark.parametrize(("hours", "met"), [("120", False), ("120.5", True), ("121", True)])
def test_sgb_82_needs_more_than_120_hours(sgb, hours, met):
    course = azav_course(duration_hours=Decimal(hours))
    result = evaluate(sgb, course, TODAY, AZAV)
    assert result.rules_met is met
    if not met:
        assert result.reasons == ("nicht mehr als 120 Stunden (der Kurs hat 120)",)


def test_sgb_82_counts_teaching_units_when_hours_are_missing(sgb):
    # 161 UE × 45 min = 120.75 h; 160 UE = 120 h
    assert evaluate(
        sgb, azav_course(duration_hours=None, teaching_units=161), TODAY, AZAV
    ).rules_met
    result = evaluate(sgb, azav_course(duration_hours=None, teaching_units=160), TODAY, AZAV)
    assert not result.rules_met


def test_sgb_82_needs_azav_for_provider_and_course(sgb):
    result = evaluate(sgb, azav_course(azav_course_number=""), TODAY, CERTIFIED)
    assert result.reasons == (
        "Anbieter nicht nach AZAV zugelassen",
        "Kurs nicht nach AZAV zugelassen",
    )
    expired = azav_course(azav_course_valid_until=TODAY - datetime.timedelta(days=1))
    assert evaluate(sgb, expired, TODAY, AZAV).reasons == ("AZAV-Zulassung des Kurses abgelaufen",)


@pytest.mark.parametrize(
    ("staff", "aged_45", "share"),
    [
        (49, False, "0"),
        (50, False, "50"),
        (499, False, "50"),
        (500, False, "75"),
        (49, True, "0"),
        (499, True, "0"),  # below 500 staff: no share for those aged 45+
        (500, True, "75"),  # from 500: the share stays
    ],
)
def test_sgb_82_employer_share_by_company_size(sgb, staff, aged_45, share):
    assert employer_share_percent(sgb, staff, aged_45) == Decimal(share)


# --- rules: a suspended programme -------------------------------------------------------


def test_a_suspended_programme_is_met_but_not_available(saxony):
    result = evaluate(saxony, azav_course(), TODAY, ProviderFacts())
    assert result.rules_met and result.suspended and not result.eligible
    assert result.why_not == ("Programm derzeit ausgesetzt",)


# --- calculation ----------------------------------------------------------------------


def _results(course, *programmes, provider=CERTIFIED):
    return [evaluate(programme, course, TODAY, provider) for programme in programmes]


def test_calculation_afbg_with_member_price(afbg, sgb, saxony):
    course = master_course()
    date = CourseDate(course=course)
    result = calculate(
        date,
        results=_results(course, afbg, sgb, saxony),
        today=TODAY,
        member=True,
        toward_exam=True,
    )
    texts = [step.text for step in result.steps]
    assert texts[0] == "Kurspreis" and result.steps[0].amount == Decimal("3490")
    assert texts[1] == "Preis für Innungsmitglieder"
    assert result.steps[1].remaining == Decimal("3190")
    assert texts[2] == "Zuschuss Aufstiegs-BAföG: 50 % (müssen Sie nicht zurückzahlen)"
    assert result.steps[2].amount == Decimal("-1595.00")
    assert result.own_share == Decimal("1595.00")
    assert result.loan == Decimal("1595.00")
    assert result.after_exam == Decimal("797.50")
    assert any("derzeit ausgesetzt" in note for note in result.notes)
    assert "Keine Rechtsberatung" in result.disclaimer


def test_calculation_sgb_82_employer_and_agency(sgb):
    course = azav_course()
    results = _results(course, sgb, provider=AZAV)
    date = CourseDate(course=course)
    mid = calculate(date, results=results, today=TODAY, employed=True, company_size=50)
    assert mid.steps[1].text.startswith("Anteil Ihres Betriebs: 50 %")
    assert mid.steps[1].amount == Decimal("-1240.00")
    assert "Agentur für Arbeit" in mid.steps[2].text
    assert mid.own_share == Decimal("0")

    small = calculate(date, results=results, today=TODAY, employed=True, company_size=1)
    assert small.steps[1].kind == "note" and small.steps[2].amount == Decimal("-2480")

    not_employed = calculate(date, results=results, today=TODAY, employed=False)
    assert not_employed.own_share == Decimal("2480")
    assert any("nur Beschäftigte" in note for note in not_employed.notes)


def test_calculation_without_exam_leaves_the_price(afbg):
    course = master_course()
    result = calculate(
        CourseDate(course=course), results=_results(course, afbg), today=TODAY, toward_exam=False
    )
    assert result.own_share == Decimal("3490")
    assert result.notes == ["Aufstiegs-BAföG gibt es nur, wenn Sie die Prüfung ablegen wollen."]


# --- the course page --------------------------------------------------------------------


@pytest.fixture
def provider(site):
    settings = ProviderSettings.for_site(site)
    settings.quality_certificate = "DIN EN ISO 9001"
    settings.azav_certified = True
    settings.save()
    return settings


def _publish(page):
    page.save_revision().publish()
    return page


@pytest.fixture
def master_page(catalogue, provider):
    page = master_course(slug="meister")
    catalogue.add_child(instance=page)
    _publish(page)
    CourseDateFactory(course=page)
    return page


def test_course_page_shows_badges_suspended_and_why_not(client, master_page, afbg, sgb, saxony):
    html = client.get(master_page.url).content.decode()
    assert "Aufstiegs-BAföG möglich" in html
    assert "Weiterbildungsförderung Sachsen (SAB): derzeit ausgesetzt" in html
    assert "Anträge waren bis 18.11.2024 möglich" in html
    assert "Warum nicht Förderung durch die Agentur für Arbeit?" in html
    assert "Kurs nicht nach AZAV zugelassen" in html
    assert master_page.url + "kosten/" in html


def test_suspending_a_programme_shows_at_once(client, master_page, afbg):
    assert "Aufstiegs-BAföG möglich" in client.get(master_page.url).content.decode()
    afbg.status = FundingStatus.SUSPENDED
    afbg.save()
    html = client.get(master_page.url).content.decode()
    assert "Aufstiegs-BAföG möglich" not in html
    assert "Aufstiegs-BAföG: derzeit ausgesetzt" in html


def test_free_courses_show_no_funding_box(client, catalogue, afbg):
    page = CoursePageFactory(parent=catalogue, price=0, slug="frei")
    html = client.get(page.url).content.decode()
    assert "funding-box" not in html


def test_funding_box_reads_programmes_once_and_keeps_them(client, master_page, afbg, sgb):
    client.get(master_page.url)
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(master_page.url)
    programme_reads = [q for q in cold.captured_queries if "fundingprogramme" in q["sql"]]
    assert len(programme_reads) == 1
    # after a publish of the course the programmes come from the content-version cache
    _publish(CoursePage.objects.get(pk=master_page.pk))
    with CaptureQueriesContext(connection) as after_publish:
        html = client.get(master_page.url).content.decode()
    assert "Aufstiegs-BAföG möglich" in html
    assert not [q for q in after_publish.captured_queries if "fundingprogramme" in q["sql"]]


# --- the calculator -----------------------------------------------------------------


def test_calculator_form_and_result(client, master_page, afbg, sgb, saxony):
    url = master_page.url + "kosten/"
    empty = client.get(url)
    assert empty.status_code == 200
    assert "Was kostet mich der Kurs?" in empty.content.decode()
    assert "Ihr Anteil" not in empty.content.decode()

    response = client.get(url, {"beschaeftigt": "nein", "innung": "on", "pruefung": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ihr Anteil: 1.595,00 €" in html
    assert "Preis für Innungsmitglieder" in html
    assert "Bei bestandener Prüfung erlassen" in html
    assert "Keine Rechtsberatung – verbindlich entscheiden die Förderstellen" in html
    assert "private" in response["Cache-Control"]


def test_calculator_with_a_date_price(client, master_page, afbg):
    date = CourseDateFactory(course=master_page, price_override=Decimal("3000"))
    html = client.get(
        master_page.url + "kosten/", {"termin": str(date.pk), "beschaeftigt": "nein"}
    ).content.decode()
    assert "Ihr Anteil: 3.000,00 €" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"beschaeftigt": "ja"}, "Bitte wählen Sie, wie viele Beschäftigte Ihr Betrieb hat."),
        ({}, None),
        ({"beschaeftigt": "vielleicht"}, "gültige"),
        ({"beschaeftigt": "nein", "termin": "999999"}, "gültige"),
        ({"beschaeftigt": "nein", "termin": "x" * 5000}, "gültige"),
        ({"beschaeftigt": "ja", "betrieb": "7"}, "gültige"),
        ({"beschaeftigt": ["ja", "nein"], "betrieb": "viele"}, None),
    ],
)
def test_calculator_bad_input_gets_a_message(client, master_page, afbg, query, message):
    query = {"ab45": "on", **query} if query else {"ab45": "on"}
    response = client.get(master_page.url + "kosten/", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert "Ihr Anteil" not in html
    if message:
        assert message in html


def test_calculator_of_a_free_course(client, catalogue):
    page = CoursePageFactory(parent=catalogue, price=0, slug="frei")
    response = client.get(page.url + "kosten/", {"beschaeftigt": "nein"})
    assert response.status_code == 200
    assert "Dieser Kurs ist kostenfrei." in response.content.decode()


# --- admin --------------------------------------------------------------------------


def test_redaktion_edits_a_programme(client, saxony):
    user = UserFactory(username="redakteurin")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    url = reverse("wagtailsnippets_courses_fundingprogramme:edit", args=[saxony.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Diese Abschlüsse sind förderfähig" in page.content.decode()
    data = {
        "name": saxony.name,
        "short_name": saxony.short_name,
        "audience": saxony.audience,
        "rule": "state",
        "status": "active",
        "status_note": "",
        "qualifications": ["level_2", "level_3"],
        "grant_share": "60",
        "loan_share": "",
        "sources": saxony.sources,
        "as_of": "2027-01-15",
        "sort_order": "30",
        "size_bands-TOTAL_FORMS": "0",
        "size_bands-INITIAL_FORMS": "0",
        "size_bands-MIN_NUM_FORMS": "0",
        "size_bands-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saxony.refresh_from_db()
    assert saxony.status == "active" and saxony.grant_share == Decimal("60")
    assert saxony.qualification_list == ["level_2", "level_3"]
    assert saxony.as_of == datetime.date(2027, 1, 15)

    # grant and loan over 100 % are refused with a message
    response = client.post(url, {**data, "grant_share": "60", "loan_share": "50"})
    assert response.status_code == 200
    assert "100 Prozent" in response.content.decode()


def test_trainers_cannot_edit_programmes(client, saxony):
    user = UserFactory(username="trainerin")
    user.groups.add(Group.objects.get(name="Trainer"))
    client.force_login(user)
    url = reverse("wagtailsnippets_courses_fundingprogramme:edit", args=[saxony.pk])
    assert client.get(url).status_code in (302, 403)
    assert FundingProgramme.objects.get(pk=saxony.pk).status == "suspended"


def test_demo_courses_show_each_programme(client):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    master = CoursePage.objects.get(slug="meistervorbereitung-teil-iii-und-iv")
    html = client.get(master.url).content.decode()
    assert "Aufstiegs-BAföG möglich" in html
    assert "Weiterbildungsförderung Sachsen (SAB): derzeit ausgesetzt" in html
    azav = CoursePage.objects.get(slug="digitale-betriebsfuehrung-zertifikatslehrgang")
    html = client.get(azav.url).content.decode()
    assert "Förderung durch die Agentur für Arbeit möglich" in html
    assert "Warum nicht Aufstiegs-BAföG?" in html
    assert FundingProgramme.objects.count() == 3
