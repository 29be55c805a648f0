"""The editor raises a full date's capacity in place on its participant list and is told
who moved up from the waitlist; the pages visited pass axe-core."""

import pytest
from django.contrib.auth.models import Group

from tests.e2e.test_editor_browser import PASSWORD, _run_migration_function, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def full_date(live_server, settings):
    from home.demo import ensure_home_page
    from tests.enrolment.builders import confirmed, course_date, course_page
    from tests.factories import UserFactory

    settings.SITE_URL = live_server.url
    _run_migration_function("0002_editor_roles", "create_roles")
    ensure_home_page()
    editor = UserFactory(username="redaktion")
    editor.set_password(PASSWORD)
    editor.save()
    editor.groups.add(Group.objects.get(name="Redaktion"))
    date = course_date(course_page(title="Digitale Werkstatt"), capacity=1)
    confirmed(date, 1)
    waiting = confirmed(date, 2)
    return date, waiting


def test_editor_raises_capacity_in_place_and_sees_who_moved_up(browser_page, full_date):
    from axe_playwright_python.sync_playwright import Axe
    from django.core import mail

    date, waiting = full_date
    page = browser_page
    sign_in(page, "redaktion")

    # The dashboard offers the same small form for the date, and the panel passes axe.
    panel = page.page.locator("#academy-upcoming-dates-section")
    panel.get_by_text("Plätze, Minimum, Anmeldeschluss ändern").click()
    assert panel.locator(f"#id_date{date.pk}_capacity").is_visible()
    results = Axe().run(page.page, context="#academy-upcoming-dates-section")
    assert results.violations_count == 0, results.generate_report()

    # On the participant list: full, and moving up by hand is not offered.
    page.goto(f"/admin/anmeldungen/termin/{date.pk}/")
    assert page.page.get_by_text("Plätze belegt: 1 von 1").is_visible()
    assert page.page.get_by_role("button", name="Nachrücken").is_disabled()
    assert page.page.get_by_text("Der Termin ist ausgebucht").first.is_visible()

    page.page.get_by_label("Plätze").fill("2")
    page.page.get_by_role("button", name="Termin speichern").click()
    page.page.wait_for_load_state()
    message = page.page.get_by_text("Von der Warteliste nachgerückt und per E-Mail benachrichtigt")
    assert message.is_visible()
    assert "Erika Muster-c (person2@example.org)" in message.inner_text()
    assert page.page.get_by_text("Plätze belegt: 2 von 2").is_visible()
    page.page.wait_for_timeout(1000)  # Wagtail's messages fade in: check them in full colour
    page.assert_accessible()

    waiting.refresh_from_db()
    date.refresh_from_db()
    assert waiting.status == "confirmed" and date.seats_confirmed == 2
    assert any(m.to == ["person2@example.org"] for m in mail.outbox)
