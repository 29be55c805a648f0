"""A course page's funding box and the cost calculator, on a phone: badge, "Warum nicht
…?", the form without JavaScript help, an error next to its field, and the result."""

from decimal import Decimal

import pytest

from courses.funding_data import AFBG, SAXONY, SGB3_82, SGB3_82_BANDS, ensure_programme
from courses.funding_models import Qualification, Schedule
from courses.models import ProviderSettings
from tests.courses.conftest import in_days
from tests.factories import (
    CourseDateFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    TopicFactory,
    build_site,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course(live_server):
    from wagtail.models import Site

    home = build_site()
    catalogue = CourseIndexPageFactory(parent=home, show_in_menus=True)
    provider = ProviderSettings.for_site(Site.objects.get(is_default_site=True))
    provider.quality_certificate = "DIN EN ISO 9001"
    provider.save()
    ensure_programme(AFBG)
    ensure_programme(SGB3_82, SGB3_82_BANDS)
    ensure_programme(SAXONY)
    course = CoursePageFactory(
        parent=catalogue,
        title="Meistervorbereitung Teil III und IV",
        slug="meistervorbereitung",
        teaser="Berufsbegleitend zur Meisterprüfung.",
        topics=[TopicFactory(name="Betriebsnachfolge", slug="betriebsnachfolge")],
        price=Decimal("3490"),
        member_price=Decimal("3190"),
        teaching_units=480,
        duration_hours=Decimal("360"),
        qualification=Qualification.LEVEL_2,
        schedule=Schedule.PART_TIME,
        planned_months=14,
    )
    course.save_revision().publish()
    CourseDateFactory(course=course, start=in_days(30, 17), end=in_days(450, 21))
    return course


def test_funding_box_and_calculator_on_a_phone(course, phone_page):
    page = phone_page
    page.goto(course.url)
    assert page.get_by_text("Aufstiegs-BAföG möglich").is_visible()
    assert page.get_by_text(
        "Weiterbildungsförderung Sachsen (SAB): derzeit ausgesetzt"
    ).is_visible()
    why = page.get_by_text("Warum nicht Förderung durch die Agentur für Arbeit?")
    why.click()
    assert page.get_by_text("Kurs nicht nach AZAV zugelassen").is_visible()
    page.assert_accessible()

    page.get_by_role("link", name="Was kostet mich der Kurs?").click()
    page.wait_for_url("**/kosten/")
    page.assert_accessible()

    # employed, but the company size left out: a message next to the field
    page.get_by_label("Ja, ich bin in einem Betrieb angestellt").check()
    page.get_by_role("button", name="Kosten berechnen").click()
    page.wait_for_url("**/kosten/?*")
    assert page.get_by_text(
        "Bitte wählen Sie, wie viele Beschäftigte Ihr Betrieb hat."
    ).first.is_visible()
    page.assert_accessible()

    page.get_by_label("Nein (selbstständig, Inhaber/in oder nicht beschäftigt)").check()
    page.get_by_label("Mein Betrieb ist Mitglied einer Innung").check()
    page.get_by_label("Ich will die Prüfung ablegen (z. B. die Meisterprüfung)").check()
    page.get_by_role("button", name="Kosten berechnen").click()
    page.wait_for_url("**pruefung=on*")
    assert page.get_by_role("heading", name="Ihr Anteil: 1.595,00 €").is_visible()
    assert page.get_by_text("Keine Rechtsberatung").first.is_visible()
    page.assert_accessible()
    # the answer is bookmarkable: the same address gives the same result
    page.goto(page.url.removeprefix(page.base_url))
    assert page.get_by_role("heading", name="Ihr Anteil: 1.595,00 €").is_visible()
