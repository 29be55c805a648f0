import json

import pytest

from home.demo import ensure_home_page, ensure_pages, ensure_partners, ensure_site_settings
from news.demo import ensure_news

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def news_site(live_server):
    from wagtail.models import Site

    home = ensure_home_page()
    ensure_partners()
    pages = ensure_pages(home)
    ensure_site_settings(Site.objects.get(is_default_site=True), pages)
    return ensure_news(home)


def test_reader_goes_from_news_to_article_to_search(browser_page, news_site):
    browser_page.goto("/aktuelles/")
    assert browser_page.locator("h1").inner_text() == "Aktuelles"
    assert browser_page.get_by_role("heading", name="Im Fokus").is_visible()

    filters = browser_page.get_by_role("complementary", name="Meldungen filtern")
    filters.get_by_role("navigation", name="Kategorien").get_by_role(
        "link", name="Veranstaltung"
    ).click()
    browser_page.wait_for_url("**/aktuelles/?kategorie=veranstaltung")
    browser_page.assert_accessible()
    assert "Kategorie: Veranstaltung" in browser_page.get_by_role("status").inner_text()

    browser_page.get_by_role("link", name="Innovationskonferenz in Riesa").click()
    browser_page.wait_for_url("**/aktuelles/innovationskonferenz-riesa-2018/")
    browser_page.assert_accessible()
    assert "31. Mai 2018" in browser_page.locator("article header").inner_text()

    search = browser_page.get_by_role("search", name="Website durchsuchen")
    search.get_by_label("Suchbegriff").fill("Nachfolge")
    search.get_by_role("button", name="Suchen").click()
    browser_page.wait_for_url("**/suche/?q=Nachfolge")
    browser_page.assert_accessible()
    browser_page.get_by_role(
        "link", name="Abend zur Betriebsnachfolge: Wer übernimmt meinen Betrieb?"
    ).click()
    browser_page.wait_for_url("**/aktuelles/abend-zur-betriebsnachfolge/")
    browser_page.assert_accessible()


def test_empty_search_and_paging_are_accessible(browser_page, news_site):
    browser_page.goto("/suche/")
    browser_page.goto("/suche/?q=Zeppelinwerft")
    assert "Leider nichts gefunden" in browser_page.locator("main").inner_text()
    browser_page.goto("/aktuelles/?page=abc")


def test_video_loads_only_after_the_click(browser_page, news_site):
    article = news_site.get_children().first().specific
    article.body = json.dumps(
        [
            {
                "type": "video",
                "value": {
                    "url": "https://www.youtube.com/watch?v=abcDEF12345",
                    "title": "Rückblick auf die Konferenz",
                    "caption": "",
                },
            }
        ]
    )
    article.save_revision().publish()
    # The provider is never reached in tests: requests to it are recorded and aborted.
    browser_page.route("https://www.youtube-nocookie.com/**", lambda route: route.abort())

    browser_page.goto(article.url)
    assert browser_page.locator("iframe").count() == 0
    button = browser_page.get_by_role(
        "link", name="Video laden – dabei werden Daten an YouTube übertragen"
    )
    assert button.get_attribute("href") == "https://www.youtube.com/watch?v=abcDEF12345"

    button.click()
    iframe = browser_page.locator("iframe[title='Rückblick auf die Konferenz']")
    iframe.wait_for(state="attached")
    assert iframe.get_attribute("src").startswith(
        "https://www.youtube-nocookie.com/embed/abcDEF12345"
    )
    assert browser_page.url.endswith(article.url)  # the link was not followed
    assert all(
        url.startswith("https://www.youtube-nocookie.com/")
        for url in browser_page.external_requests
    )
    browser_page.external_requests.clear()


def test_news_on_a_phone_has_no_horizontal_scrolling(phone_page, news_site):
    phone_page.goto("/aktuelles/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


@pytest.mark.parametrize("viewport", ["browser_page", "phone_page"])
def test_reader_goes_from_an_article_to_its_course_and_back(request, news_site, viewport):
    from courses.models import CourseDate
    from news.models import NewsPage, NewsRelatedCourse
    from tests.courses.conftest import in_days
    from tests.factories import CourseDateFactory, CourseIndexPageFactory, CoursePageFactory

    page = request.getfixturevalue(viewport)
    catalogue = CourseIndexPageFactory(parent=news_site.get_parent(), show_in_menus=True)
    course = CoursePageFactory(
        parent=catalogue,
        title="Betriebsnachfolge rechtzeitig planen",
        teaser="Den Betrieb Schritt für Schritt übergeben.",
    )
    date = CourseDateFactory(course=course, start=in_days(12), end=in_days(12, 16), capacity=10)
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=8)
    article = NewsPage.objects.get(slug="abend-zur-betriebsnachfolge")
    article.related_courses = [NewsRelatedCourse(course=course, sort_order=0)]
    article.save_revision().publish()

    page.goto(article.url)
    courses = page.locator("section.related-courses")
    assert "noch 2 Plätze" in courses.inner_text()
    page.assert_accessible()
    courses.get_by_role("link", name="Betriebsnachfolge rechtzeitig planen").click()
    page.wait_for_url(f"**{course.url}")
    news = page.get_by_role("region", name="Aktuelles zum Kurs")
    news.get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**{article.url}")
    page.go_back()
    page.assert_accessible()
