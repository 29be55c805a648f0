"""A business books three apprentices (one without an address) on a phone, confirms
once through the mail, receives the invoice, names a substitute and cancels one
person after seeing the fee: in a real browser, with axe-core on every page."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from home.demo import ensure_home_page, ensure_pages, ensure_partners, ensure_site_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course_date(live_server, settings):
    from wagtail.models import Site

    from tests.enrolment.builders import course_date as build_date
    from tests.enrolment.builders import course_page

    settings.SITE_URL = live_server.url
    home = ensure_home_page()
    ensure_partners()
    pages = ensure_pages(home)
    course = course_page(price=Decimal("200.00"), member_price=Decimal("150.00"))
    date = build_date(course, capacity=6, days=10)  # 10 days before: 50 % fee
    ensure_site_settings(Site.objects.get(is_default_site=True), pages)
    return date


def assert_no_sideways_scrolling(page):
    overflow = page.evaluate(
        "[document.documentElement.scrollWidth - document.documentElement.clientWidth,"
        " [...document.querySelectorAll('body *')].filter("
        "e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)]"
    )
    assert overflow[0] <= 0, overflow[1]


def mail_link(message, path, base):
    return re.search(rf"{re.escape(base)}(/anmeldung/{path}[^\s]*/)", message.body)[1]


def test_a_business_books_three_apprentices_on_a_phone(phone_page, course_date, live_server):
    from enrolment.models import Booking, Guild

    guild = Guild.objects.get_or_create(name="Tischler-Innung Region Meißen")[0]
    page = phone_page
    page.goto(course_date.course.url)
    page.get_by_role(
        "link", name=re.compile(r"^Betrieb\/Innung bucht mehrere Personen")
    ).first.click()
    page.wait_for_url("**/gruppe/")
    page.assert_accessible()
    assert_no_sideways_scrolling(page)

    # an empty form: an accessible error summary, nothing stored
    page.get_by_role("button", name="Buchung absenden").click()
    page.get_by_role("heading", name="Bitte prüfen Sie Ihre Angaben").wait_for()
    page.assert_accessible()
    assert not Booking.objects.exists()

    page.locator("#id_company").fill("Tischlerei Meister GmbH")
    page.locator("#id_guild").select_option(str(guild.pk))
    page.locator("#id_first_name").fill("Karl")
    page.locator("#id_last_name").fill("Meister")
    page.locator("#id_email").fill("buero@tischlerei-meister.de")
    page.locator("#id_street").fill("Elbstraße 3")
    page.locator("#id_postcode").fill("01662")
    page.locator("#id_city").fill("Meißen")
    apprentices = [("Finn", "Albrecht", "finn@example.org"), ("Mia", "Baumann", "mia@example.org")]
    apprentices.append(("Ben", "Seidel", ""))  # no address of his own
    for i, (first, last, email) in enumerate(apprentices):
        page.locator(f"#id_p-{i}-first_name").fill(first)
        page.locator(f"#id_p-{i}-last_name").fill(last)
        page.locator(f"#id_p-{i}-email").fill(email)
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Buchung absenden").click()
    page.wait_for_url("**/gruppe/gesendet/")
    page.assert_accessible()

    request = mail.outbox[-1]
    assert request.to == ["buero@tischlerei-meister.de"]
    page.goto(mail_link(request, "buchung/bestaetigen/", live_server.url))
    assert "450,00" in page.content()  # the member price for three, before confirming
    page.get_by_role("button", name="Buchung jetzt bestätigen").click()
    page.get_by_role("heading", name="Ihre Buchung ist bestätigt").wait_for()
    page.assert_accessible()
    assert_no_sideways_scrolling(page)
    booking = Booking.objects.get()
    assert booking.enrolments.filter(status="confirmed").count() == 3

    invoices = [m for m in mail.outbox if m.subject.startswith("Ihre Rechnung")]
    assert [m.to for m in invoices] == [["buero@tischlerei-meister.de"]]
    (name, content, mimetype) = invoices[0].attachments[0]
    assert mimetype == "application/pdf" and content[:5] == b"%PDF-"

    page.get_by_role("link", name="Buchung ansehen und ändern").click()
    page.get_by_role("heading", name="Ihre Buchung").wait_for()
    page.assert_accessible()

    # Ben cannot come: Lea goes instead, without a fee
    page.get_by_role("link", name="Ersatzperson nennen – Ben Seidel").click()
    page.get_by_role("heading", name="Ersatzperson nennen").wait_for()
    page.assert_accessible()
    page.get_by_label("Vorname").fill("Lea")
    page.get_by_label("Nachname").fill("Vogel")
    page.get_by_role("button", name="Ersatzperson buchen").click()
    page.get_by_text("Die Ersatzperson ist gebucht.").wait_for()
    page.assert_accessible()
    assert "Lea Vogel" in page.content()

    # Mia is cancelled: the fee is shown before anything happens
    page.get_by_label("Mia Baumann stornieren").check()
    page.get_by_role("button", name="Ausgewählte stornieren …").click()
    page.get_by_role("heading", name="Stornieren").wait_for()
    page.assert_accessible()
    assert page.locator(".cancel-fee-total").inner_text() == "75,00 €"
    assert booking.enrolments.filter(status="confirmed").count() == 3
    page.get_by_role("button", name="Kostenpflichtig stornieren (75,00 €)").click()
    page.get_by_text("Die Stornierung ist gespeichert.").wait_for()
    page.assert_accessible()

    mia = booking.enrolments.get(first_name="Mia")
    assert mia.status == "cancelled" and mia.cancellation_fee == Decimal("75.00")
    course_date.refresh_from_db()
    assert course_date.seats_confirmed == 2
    assert_no_sideways_scrolling(page)
