"""Catalogue → filter by topic → course → calendar download, on desktop and phone."""

import pytest
from icalendar import Calendar

from courses.models import CourseDate
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
def catalogue(live_server):
    home = build_site()
    catalogue = CourseIndexPageFactory(parent=home, show_in_menus=True)
    digital = TopicFactory(name="Digitalisierung", slug="digitalisierung")
    succession = TopicFactory(name="Betriebsnachfolge", slug="betriebsnachfolge")
    course = CoursePageFactory(
        parent=catalogue,
        title="Digitale Zeiterfassung einführen",
        slug="digitale-zeiterfassung",
        teaser="Arbeitszeiten per App erfassen.",
        topics=[digital],
    )
    date = CourseDateFactory(course=course, start=in_days(12), end=in_days(12, 16), capacity=10)
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=7)
    CourseDateFactory(
        course=course,
        start=in_days(20),
        end=in_days(20, 16),
        status=CourseDate.Status.CANCELLED,
        cancellation_reason="Zu wenige Anmeldungen",
    )
    other = CoursePageFactory(
        parent=catalogue, title="Betriebsnachfolge rechtzeitig planen", topics=[succession]
    )
    CourseDateFactory(course=other, start=in_days(15), end=in_days(15, 16), city="Meißen")
    CoursePageFactory(parent=catalogue, title="Design Thinking", topics=[succession])
    return catalogue


@pytest.mark.parametrize("viewport", ["browser_page", "phone_page"])
def test_catalogue_filter_course_and_calendar_download(request, catalogue, viewport):
    page = request.getfixturevalue(viewport)

    page.goto("/kurse/")
    assert page.get_by_role("heading", level=2, name="3 Kurse gefunden").is_visible()
    assert page.get_by_text("neue Termine in Planung").is_visible()

    page.get_by_label("Digitalisierung").check()
    page.get_by_role("button", name="Kurse anzeigen").click()
    page.wait_for_url("**/kurse/?*thema=digitalisierung*")
    page.assert_accessible()
    assert page.get_by_role("heading", level=2, name="1 Kurs gefunden").is_visible()
    assert page.get_by_role("heading", level=3).all_inner_texts() == [
        "Digitale Zeiterfassung einführen"
    ]

    page.get_by_role("link", name="Digitale Zeiterfassung einführen").click()
    page.wait_for_url("**/kurse/digitale-zeiterfassung/")
    page.assert_accessible()
    assert page.get_by_text("noch 3 Plätze").is_visible()
    assert page.get_by_text("Zu wenige Anmeldungen").is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="In meinen Kalender").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    with open(download.path(), "rb") as handle:
        calendar = Calendar.from_ical(handle.read())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Digitale Zeiterfassung einführen"
    assert str(event["STATUS"]) == "CONFIRMED"

    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_home_page_leads_into_the_catalogue_by_topic(browser_page, catalogue):
    browser_page.goto("/")
    section = browser_page.get_by_role("region", name="Nächste Termine mit freien Plätzen")
    assert section.get_by_text("noch 3 Plätze").is_visible()
    section.locator('a.topic-entry[href$="thema=betriebsnachfolge"]').click()
    browser_page.wait_for_url("**/kurse/?thema=betriebsnachfolge")
    browser_page.assert_accessible()
    assert browser_page.get_by_role("heading", level=3).all_inner_texts() == [
        "Betriebsnachfolge rechtzeitig planen",
        "Design Thinking",
    ]
