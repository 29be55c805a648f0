"""The cold path: queries of the first request after a publish, for the six pages
visitors open most (home, catalogue, a course, news, an article, search), with 5 and
with 50 items shown (courses, dates, trainers, articles, tags, partners).

A publish ends the page cache for every page (home/cache.py, layer 1), so after it
every page is rendered once more. What else has ended depends on what the page
shows: its own fragments end when it is itself published, a list when one of its
items is, and everything when the content version moves (a snippet, setting, image
or document saved). Each of these is counted here; none may grow with the number of
items shown.

Of the 12 queries, Wagtail's own serving takes 4 for the home page and 2 more per
level below it: the site, the site's root page, each level's page and its specific
row, and the page's view restrictions (ancestors, restrictions). A course page
(depth 3) therefore starts at 8.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home import cache as content_cache
from tests.public_content import Content

pytestmark = pytest.mark.django_db

BUDGET = 12
PAGES = ("home", "catalogue", "course_page", "news_index", "news_article", "search")


class Site(Content):
    def url(self, name):
        return {
            "home": "/",
            "catalogue": "/kurse/",
            "course_page": self.courses[0].url,
            "news_index": "/aktuelles/",
            "news_article": self.articles[0].url,
            "search": "/suche/?q=Werkstatt",
        }[name]

    def shown(self, name):
        """A page the page shows (or the page itself): publishing it ends its fragments."""
        return {
            "home": self.home,
            "catalogue": self.courses[0],
            "course_page": self.courses[0],
            "news_index": self.articles[1],
            "news_article": self.articles[0],
            "search": self.courses[1],
        }[name]


@pytest.fixture
def pages(home_page, site):
    return Site(home_page, site)


def _first_after(client, url, change) -> int:
    client.get(url)  # everything this page keeps is kept
    change()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _publish(page):
    return lambda: page.specific.save_revision().publish()


def _counts(client, pages, change_for) -> dict:
    return {name: _first_after(client, pages.url(name), change_for(name)) for name in PAGES}


def _grown(client, pages, change_for) -> tuple[dict, dict]:
    """Counts with 5 and with 50 items shown, which must be the same – but for search,
    whose hits are read with one query per page type among the ten shown: that
    depends on the mix of types (courses, articles, pages), not on their number."""
    pages.grow(5)
    few = _counts(client, pages, change_for)
    pages.grow(50)
    many = _counts(client, pages, change_for)
    assert abs(few.pop("search") - many["search"]) <= 2
    few["search"] = many["search"]
    return few, many


def test_first_request_after_a_publish_elsewhere(client, pages):
    """An editor publishes a page this one does not show: only the page cache has ended."""
    few, many = _grown(client, pages, lambda name: _publish(pages.imprint))
    assert few == many
    assert all(count <= BUDGET for count in many.values()), many


def test_first_request_after_publishing_what_it_shows(client, pages):
    """The page itself, or an item it lists, was published: those fragments are rendered
    anew (the article, the card in the list, the page's own parts)."""
    few, many = _grown(client, pages, lambda name: _publish(pages.shown(name)))
    assert few == many
    over = {name: count for name, count in many.items() if count > BUDGET}
    # a course page shows the most of itself: image, trainers with photos, topics, target
    # groups and trades, on top of Wagtail's 8 – 14 after its own publish, and one more
    # for the articles naming it (read on every request); an article 12 and one
    # more for its courses' dates (free seats, never in a fragment). The catalogue reads
    # its courses and their bookable dates in two queries and, to render the cards, the
    # dates shown in full: one joined query instead took SQLite 200 ms on the benchmark's
    # 1,200 dates (courses/finder.py), these 10 ms.
    assert over == {"catalogue": 14, "course_page": 15, "news_article": 13} or not over, many


def test_first_request_after_the_content_version_moved(client, pages):
    """A snippet, setting, image or document was saved: every fragment is rendered anew,
    in a fixed number of queries whatever is shown."""
    few, many = _grown(client, pages, lambda name: content_cache.bump)
    assert few == many
    assert all(count <= 18 for count in many.values()), many


def test_with_every_cache_empty_nothing_grows_with_the_items(client, pages):
    """Wagtail's own caches (site root paths, renditions) emptied as well."""
    few, many = _grown(client, pages, lambda name: cache.clear)
    assert few == many


def test_the_items_are_really_shown(client, pages):
    """The counts are of pages that show what they should."""
    pages.grow(50)
    course = client.get(pages.url("course_page")).content.decode()
    assert course.count("Qualifizierungszentrum Riesa") >= 50
    assert all(trainer.name in course for trainer in pages.trainers)
    assert client.get("/").content.decode().count("Partner ") >= 50
    assert "Schlagwort 49" in client.get(pages.url("news_article")).content.decode()
    assert "Werkstattmeldung 001" in client.get("/aktuelles/").content.decode()
    assert "Werkstattkurs 000" in client.get("/kurse/").content.decode()
    assert "Treffer" in client.get(pages.url("search")).content.decode()
