"""Sign in by link → lesson → done → certificate, in a real browser with axe-core
on every page; signed out, the lesson sends you to the sign-in page."""

import re

import pytest
from django.core import mail

from home.demo import ensure_home_page, ensure_pages, ensure_site_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def attended(live_server, settings):
    from wagtail.models import Site

    from enrolment.models import Enrolment
    from learning import attendance, learner
    from tests.enrolment.builders import course_date, course_page, person
    from tests.factories import build_material

    settings.SITE_URL = live_server.url
    home = ensure_home_page()
    pages = ensure_pages(home)
    ensure_site_settings(Site.objects.get(is_default_site=True), pages)
    course = course_page(title="Betriebsnachfolge rechtzeitig planen", teaching_units=8)
    _material, lessons = build_material(course, lessons=("Der Fahrplan", "Wer kommt in Frage?"))
    date = course_date(course, days=-3, seats_confirmed=1)
    enrolment = Enrolment.objects.create(
        course_date=date,
        status=Enrolment.Status.CONFIRMED,
        privacy_version="1",
        **person(1, first_name="Lena", last_name="Weiß", email="lena@example.org"),
    )
    learner.link_user(enrolment)
    attendance.record(date, {(enrolment.pk, 0): True})
    return lessons


def test_sign_in_lesson_done_certificate(browser_page, attended, live_server):
    page = browser_page
    lesson_path = attended[0].url
    page.goto(lesson_path)
    page.wait_for_url("**/lernen/anmelden/**")
    page.assert_accessible()
    assert "Geheimer Inhalt" not in page.content()

    page.get_by_label("Ihre E-Mail-Adresse").fill("Lena@Example.org")
    page.get_by_role("button", name="Anmeldelink schicken").click()
    page.wait_for_url("**/lernen/anmelden/gesendet/")
    page.assert_accessible()

    link = re.search(rf"{re.escape(live_server.url)}(/lernen/link/[^/\s]+/)", mail.outbox[-1].body)
    page.goto(link[1])
    page.assert_accessible()
    page.get_by_role("button", name="Jetzt anmelden").click()
    page.get_by_role("heading", name="Mein Lernbereich", exact=True).wait_for()
    page.assert_accessible()
    assert "0 von 2 Lektionen erledigt" in page.content()

    page.get_by_role("link", name=re.compile("Zum Kursmaterial")).first.click()
    page.get_by_role("link", name="Der Fahrplan").click()
    page.get_by_role("heading", name="Der Fahrplan").wait_for()
    page.assert_accessible()
    page.get_by_role("button", name="Als erledigt markieren").click()
    page.get_by_text("Diese Lektion haben Sie erledigt.").wait_for()
    page.assert_accessible()
    assert "1 von 2 Lektionen erledigt" in page.content()

    page.goto("/lernen/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Teilnahmebescheinigung")).click()
    assert download.value.suggested_filename.startswith("teilnahmebescheinigung-")
    number = download.value.suggested_filename.removeprefix("teilnahmebescheinigung-")[:-4]
    page.goto(f"/zertifikat/{number}/")
    page.assert_accessible()
    assert "echt und gültig" in page.content()

    page.goto("/lernen/")
    page.get_by_role("button", name="Abmelden", exact=True).click()
    page.wait_for_url("**/lernen/abgemeldet/")
    page.assert_accessible()
    page.goto(lesson_path)
    page.wait_for_url("**/lernen/anmelden/**")
