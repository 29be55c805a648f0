import pytest

from home.demo import ensure_home_page, ensure_pages, ensure_partners, ensure_site_settings

pytestmark = [
    pytest.mark.browser,
    # no serialized rollback: after another browser test's flush on the same worker, its
    # restore collides with the content types post_migrate made again (the roots come
    # back through the _wagtail_roots fixture, as for every other browser test)
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo_site(live_server):
    from wagtail.models import Site

    home = ensure_home_page()
    ensure_partners()
    pages = ensure_pages(home)
    ensure_site_settings(Site.objects.get(is_default_site=True), pages)
    return pages


def test_home_page_navigation_and_footer_are_accessible(browser_page, demo_site):
    browser_page.goto("/")
    assert browser_page.locator("h1").inner_text().startswith("Weiterbildung")

    browser_page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Das Bündnis"
    ).click()
    browser_page.wait_for_url("**/buendnis/")
    browser_page.assert_accessible()
    assert browser_page.locator("h1").inner_text() == "Das Bündnis"

    browser_page.get_by_role("link", name="Impressum").click()
    browser_page.wait_for_url("**/impressum/")
    browser_page.assert_accessible()


def test_skip_link_moves_focus_to_main_content(browser_page, demo_site):
    browser_page.goto("/")
    browser_page.keyboard.press("Tab")
    skip = browser_page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.evaluate("el => el === document.activeElement")
    browser_page.keyboard.press("Enter")
    assert browser_page.evaluate("document.activeElement.id") == "inhalt"


def test_phone_viewport_has_no_horizontal_scrolling(phone_page, demo_site):
    phone_page.goto("/buendnis/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
