"""Enrol, confirm through the mail, cancel through the mail: in a real browser,
with axe-core on every page."""

import re

import pytest
from django.core import mail

from home.demo import ensure_home_page, ensure_pages, ensure_partners, ensure_site_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course_date(live_server, settings):
    from wagtail.models import Site

    from tests.enrolment.builders import course_date as build_date

    settings.SITE_URL = live_server.url
    home = ensure_home_page()
    ensure_partners()
    pages = ensure_pages(home)
    date = build_date(capacity=1)
    ensure_site_settings(Site.objects.get(is_default_site=True), pages)
    return date


def mail_link(message, name, base):
    return re.search(rf"{re.escape(base)}(/anmeldung/{name}/[^/\s]+/)", message.body)[1]


def test_enrol_confirm_and_cancel_through_the_mail(browser_page, course_date, live_server):
    page = browser_page
    page.goto(course_date.course.url)
    page.get_by_role("link", name=re.compile("^Anmelden")).first.click()
    page.wait_for_url("**/anmeldung/termin/*/")
    page.assert_accessible()

    # Sending the empty form shows an accessible error summary.
    page.get_by_role("button", name="Verbindlich anmelden").click()
    page.assert_accessible()
    assert page.get_by_role("heading", name="Bitte prüfen Sie Ihre Angaben").is_visible()
    assert page.get_by_label("Vorname").get_attribute("aria-invalid") == "true"

    page.get_by_label("Vorname").fill("Erika")
    page.get_by_label("Nachname").fill("Mustermann")
    page.get_by_label("E-Mail-Adresse").fill("Erika@Example.org")
    page.get_by_label("Postleitzahl").fill("01662")
    page.get_by_label("Meister/in").check()
    page.get_by_label(re.compile("Datenschutzhinweis")).check()
    page.get_by_role("button", name="Verbindlich anmelden").click()
    page.wait_for_url("**/gesendet/")
    page.assert_accessible()
    assert page.get_by_role("heading", name="Bitte prüfen Sie Ihr Postfach").is_visible()

    confirmation = mail.outbox[-1]
    assert confirmation.to == ["erika@example.org"]
    page.goto(mail_link(confirmation, "bestaetigen", live_server.url))
    page.get_by_role("button", name="Anmeldung jetzt bestätigen").click()
    page.get_by_role("heading", name="Sie sind angemeldet").wait_for()
    page.assert_accessible()
    assert "Laptop oder Tablet" in page.content()

    seat_mail = mail.outbox[-1]
    assert seat_mail.subject.startswith("Sie sind angemeldet")
    page.goto(mail_link(seat_mail, "abmelden", live_server.url))
    page.get_by_role("button", name="Ja, Teilnahme absagen").click()
    page.get_by_role("heading", name="Ihre Teilnahme ist abgesagt").wait_for()
    page.assert_accessible()

    course_date.refresh_from_db()
    assert course_date.seats_confirmed == 0


def test_form_on_a_phone_has_no_horizontal_scrolling(phone_page, course_date):
    phone_page.goto(f"/anmeldung/termin/{course_date.pk}/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
