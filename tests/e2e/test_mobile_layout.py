"""The public site on a phone: a compact header with a menu button (also without
JavaScript), the catalogue's filters behind "Filter (n)", a course's facts and its
"Anmelden" on the first screen, nothing wider than a 320 px screen whatever was typed,
and a signed-in learner booking a second course in one step. axe-core checks every page
visited."""

import re

import pytest
from django.core import mail

from home.demo import ensure_home_page, ensure_pages, ensure_site_settings
from tests.e2e.conftest import _open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
LONG = "a" * 300


@pytest.fixture
def site(live_server, settings):
    from wagtail.models import Site

    from courses.models import CourseIndexPage
    from tests.enrolment.builders import course_date, course_page
    from tests.factories import NewsIndexPageFactory, TrainerFactory, build_news

    settings.SITE_URL = live_server.url
    home = ensure_home_page()
    pages = ensure_pages(home)
    ensure_site_settings(Site.objects.get(is_default_site=True), pages)
    (article,) = build_news(
        NewsIndexPageFactory(parent=home, show_in_menus=True),
        1,
        title="Handwerkskammerdigitalisierungsförderprogrammabschlussveranstaltung in Riesa",
    )
    course = course_page(
        title="Betriebsnachfolge rechtzeitig planen",
        teaching_units=8,
        duration_hours=6,
        price=120,
        funding_notes="Kostenfrei für Mitgliedsbetriebe der Innungen.",
    )
    CourseIndexPage.objects.update(show_in_menus=True)
    course.trainers.add(
        TrainerFactory(
            name="Sabine Richter",
            external_organisation="Kreishandwerkerschaftsqualifizierungszentrumsgesellschaft",
        )
    )
    course.save_revision().publish()
    date = course_date(course, days=10, city="Meißen", capacity=10)
    course_date(course, days=40)
    other = course_page(title="Digitale Zeiterfassung einführen")
    other_date = course_date(other, days=20)
    return {
        "course": course,
        "date": date,
        "other": other,
        "other_date": other_date,
        "article": article,
    }


def header_height(page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


def in_viewport(locator, viewport=PHONE) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] + box["width"] <= viewport["width"]
    )


def no_horizontal_scrolling(page, width) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_header_takes_at_most_a_fifth_of_a_phone_screen(small_phone_page, site):
    page = small_phone_page
    for path in ("/", "/kurse/", site["course"].url, site["article"].url):
        page.goto(path)
        assert header_height(page) <= 0.2 * PHONE["height"], path
        # the menu's links wait behind the button
        assert not page.get_by_role("navigation", name="Hauptnavigation").is_visible()
        assert page.locator("summary", has_text="Menü").is_visible()


def test_menu_button_opens_the_menu_and_escape_closes_it(small_phone_page, site):
    from playwright.sync_api import expect

    page = small_phone_page
    page.goto("/")
    button = page.locator("summary", has_text="Menü")
    assert button.get_attribute("aria-expanded") == "false"

    button.click()
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    nav.wait_for()
    expect(button).to_have_attribute("aria-expanded", "true")
    assert nav.get_by_role("link", name="Startseite").is_visible()
    assert page.get_by_role("link", name="Mein Lernbereich").is_visible()
    assert page.get_by_role("search", name="Website durchsuchen").is_visible()
    page.assert_accessible()

    nav.get_by_role("link", name="Das Bündnis").focus()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    assert button.evaluate("el => el === document.activeElement")

    # the keyboard opens it too, and its links lead on
    page.keyboard.press("Enter")
    nav.get_by_role("link", name="Kurse").click()
    page.wait_for_url("**/kurse/")
    page.assert_accessible()


def test_menu_works_without_javascript(browser, live_server, site):
    # axe needs JavaScript: these pages are checked by the tests above
    context, accessible = _open_page(
        browser, live_server, viewport=PHONE, is_mobile=True, java_script_enabled=False
    )
    page = accessible.page
    try:
        page.goto(live_server.url + site["article"].url)
        assert header_height(page) <= 0.2 * PHONE["height"]
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        assert not nav.is_visible()
        page.locator("summary", has_text="Menü").click()
        assert nav.is_visible()
        nav.get_by_role("link", name="Kurse").click()
        page.wait_for_url("**/kurse/")
        # the filters, too, open without JavaScript
        page.locator("summary", has_text="Filter (0)").click()
        assert page.locator(".catalogue-filter").get_by_label("Suchbegriff").is_visible()
    finally:
        context.close()


def test_on_a_wide_screen_menu_and_filters_show_without_a_button(browser_page, site):
    page = browser_page
    page.goto("/kurse/")
    assert (
        page.get_by_role("navigation", name="Hauptnavigation")
        .get_by_role("link", name="Kurse")
        .is_visible()
    )
    assert not page.locator("summary", has_text="Menü").is_visible()
    assert not page.locator("summary", has_text="Filter").is_visible()
    assert page.get_by_role("button", name="Kurse anzeigen").is_visible()


def test_catalogue_shows_the_first_course_on_the_first_screen(small_phone_page, site):
    page = small_phone_page
    page.goto("/kurse/")
    toggle = page.locator("summary", has_text="Filter (0)")
    assert toggle.is_visible()
    assert not page.get_by_role("button", name="Kurse anzeigen").is_visible()
    first_card = page.locator("article.course-card").first
    assert first_card.bounding_box()["y"] < PHONE["height"]
    assert first_card.bounding_box()["y"] > toggle.bounding_box()["y"]

    toggle.click()
    page.get_by_label(re.compile(r"^Digitalisierung")).check()
    page.get_by_role("button", name="Kurse anzeigen").click()
    page.wait_for_url("**/kurse/?*thema=digitalisierung*")
    page.assert_accessible()
    assert page.locator("summary", has_text="Filter (1)").is_visible()
    assert page.get_by_role("link", name="Filter entfernen: Digitalisierung").is_visible()
    assert page.locator("article.course-card").first.bounding_box()["y"] < PHONE["height"]


def test_course_facts_and_enrol_button_are_on_the_first_screen(small_phone_page, site):
    page = small_phone_page
    page.goto(site["course"].url)
    glance = page.get_by_role("region", name="Auf einen Blick")
    assert in_viewport(glance)
    text = glance.inner_text()
    for fact in ("120 €", "6 Stunden", "8 UE", "Präsenz", "Mitgliedsbetriebe", "Meißen"):
        assert fact in text
    assert "noch 10 Plätze" in text
    enrol = page.get_by_role("link", name=re.compile("^Anmelden"))
    assert enrol.count() == 1 + 2  # the bar's and one per date in the list
    bar_link = page.locator(".enrol-bar").get_by_role("link", name=re.compile("^Anmelden"))
    assert in_viewport(bar_link)

    # it stays within reach further down the page, and leads to the next date's form
    page.get_by_role("heading", name="Sabine Richter").scroll_into_view_if_needed()
    assert in_viewport(bar_link)
    bar_link.click()
    page.wait_for_url(f"**/anmeldung/termin/{site['date'].pk}/")
    page.assert_accessible()


def test_enrol_bar_says_waitlist_when_full_and_is_gone_without_a_date(small_phone_page, site):
    from courses.models import CourseDate

    page = small_phone_page
    CourseDate.objects.filter(pk=site["other_date"].pk).update(seats_confirmed=10)
    page.goto(site["other"].url)
    bar = page.locator(".enrol-bar")
    assert bar.get_by_role("link", name=re.compile(r"^Anmelden \(Warteliste\)")).is_visible()
    assert "ausgebucht" in bar.inner_text()

    CourseDate.objects.filter(pk=site["other_date"].pk).update(status=CourseDate.Status.CANCELLED)
    page.goto(site["other"].url)
    assert page.locator(".enrol-bar").count() == 0
    assert page.get_by_role("link", name=re.compile("^Anmelden")).count() == 0
    assert (
        "kein buchbarer Termin" in page.get_by_role("region", name="Auf einen Blick").inner_text()
    )


def test_nothing_is_wider_than_a_320_px_screen(browser, live_server, site):
    context, page = _open_page(
        browser, live_server, viewport={"width": 320, "height": 640}, is_mobile=True
    )
    try:
        for path in (
            f"/suche/?q={LONG}",
            f"/kurse/?q={LONG}",
            f"/zertifikat/?nummer={LONG}",
            site["article"].url,
            site["course"].url,
        ):
            page.goto(path)
            assert no_horizontal_scrolling(page, 320), path
        assert "a" * 40 in page.goto(f"/suche/?q={LONG}").text()  # the query is shown

        page.goto(f"/anmeldung/termin/{site['date'].pk}/")
        page.get_by_label("Vorname").fill(LONG)
        page.get_by_label("Nachname").fill(LONG)
        page.get_by_label("E-Mail-Adresse").fill(LONG + "@")
        page.get_by_role("button", name="Verbindlich anmelden").click()
        page.get_by_role("heading", name="Bitte prüfen Sie Ihre Angaben").wait_for()
        page.assert_accessible()
        assert no_horizontal_scrolling(page, 320)

        page.goto("/lernen/anmelden/")
        page.get_by_label("Ihre E-Mail-Adresse").fill(LONG + "@x")
        page.get_by_role("button", name="Anmeldelink schicken").click()
        page.wait_for_load_state()
        page.assert_accessible()
        assert no_horizontal_scrolling(page, 320)
    finally:
        context.close()


def test_signed_in_learner_books_a_second_course_in_one_step(small_phone_page, site, live_server):
    from enrolment.models import Enrolment
    from learning import learner
    from tests.enrolment.builders import person

    first = Enrolment.objects.create(
        course_date=site["other_date"],
        status=Enrolment.Status.CONFIRMED,
        privacy_version="1",
        **person(first_name="Lena", last_name="Weiß", email="lena@example.org"),
    )
    learner.link_user(first)

    page = small_phone_page
    page.goto("/lernen/anmelden/")
    page.get_by_label("Ihre E-Mail-Adresse").fill("lena@example.org")
    page.get_by_role("button", name="Anmeldelink schicken").click()
    page.wait_for_url("**/lernen/anmelden/gesendet/")
    link = re.search(rf"{re.escape(live_server.url)}(/lernen/link/[^/\s]+/)", mail.outbox[-1].body)
    page.goto(link[1])
    page.get_by_role("button", name="Jetzt anmelden").click()
    page.get_by_role("heading", name="Mein Lernbereich", exact=True).wait_for()
    sent = len(mail.outbox)

    page.goto(site["course"].url)
    page.locator(".enrol-bar").get_by_role("link", name=re.compile("^Anmelden")).click()
    page.wait_for_url(f"**/anmeldung/termin/{site['date'].pk}/")
    page.assert_accessible()
    assert page.get_by_label("Vorname").input_value() == "Lena"
    assert page.get_by_label("E-Mail-Adresse").input_value() == "lena@example.org"
    page.get_by_label(re.compile("Datenschutzhinweis")).check()
    page.get_by_label("über den Betrieb").check()  # a priced course asks who pays
    page.get_by_role("button", name="Verbindlich anmelden").click()
    page.get_by_role("heading", name="Sie sind angemeldet").wait_for()
    page.assert_accessible()
    assert not any("bestätigen" in message.subject for message in mail.outbox[sent:])

    booked = Enrolment.objects.get(course_date=site["date"], email="lena@example.org")
    assert booked.status == Enrolment.Status.CONFIRMED

    page.goto("/lernen/")
    upcoming = page.get_by_role("region", name="Meine nächsten Termine")
    assert upcoming.get_by_role("heading", name="Betriebsnachfolge rechtzeitig planen").is_visible()
    assert upcoming.get_by_role("heading", name="Digitale Zeiterfassung einführen").is_visible()
    page.assert_accessible()
