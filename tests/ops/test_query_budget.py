"""Query budgets of the public pages: small, and independent of how much is shown.

Every public page type is requested with 5 items and again with 50 (courses,
dates, trainers, articles, partners, search hits). Counted twice each time:
for the first visitor with every cache empty (after a publish, a deploy or a
restart of the cache, every cached fragment of public content has ended) and
for every visitor after that. The page cache for anonymous visitors is off in
the tests, so these are the uncached figures.

The budget holds for both: the first visitor must be served fast without any
cache (caches multiply speed, they do not hide slow code).
"""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.public_content import Content

pytestmark = pytest.mark.django_db

#: queries per public page, navigation, footer and site settings included
BUDGET = 12


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _empty_caches():
    """Every cache alias emptied: cached fragments, the content version that names them
    (a new one starts, so no process finds its own copy of an old fragment either),
    Wagtail's site root paths and rendition look-ups."""
    for alias in settings.CACHES:
        caches[alias].clear()


def _first_and_later(client, url):
    client.get(url)  # renditions exist from here on, as after a deploy
    _empty_caches()
    first = _count(client, url)
    return first, _count(client, url)


def _counts(client, urls):
    """Queries of the first visitor with empty caches, and of the visitors after."""
    return {name: _first_and_later(client, url) for name, url in urls.items()}


def test_public_pages_stay_within_budget_whatever_they_show(client, home_page, site):
    content = Content(home_page, site)
    content.grow(5)
    few = _counts(client, content.urls())
    content.grow(50)
    many = _counts(client, content.urls())

    for name in few:
        after_publish, later = many[name]
        message = f"{name}: {few[name]} queries for 5 items, {many[name]} for 50"
        # search hits not in the cache are described with one query per page type
        # shown (courses, news, pages): that depends on the mix of types on the first
        # page of results (which differs by database), not on the number of hits
        slack = 4 if name == "search" else 0
        assert abs(later - few[name][1]) <= slack, message
        assert abs(after_publish - few[name][0]) <= slack, message
        assert later <= BUDGET, f"{name}: {later} queries (budget {BUDGET})"
        assert later <= after_publish, f"{name}: a warm cache costs queries ({message})"


#: queries of the first visitor with every cache empty, where they exceed the budget,
#: as measured (the same with 5 and 50 items; the highest of SQLite and PostgreSQL).
#: The test fails when a page gets worse than this, and when it fits the budget (then
#: remove its entry here).
COLD_OVER_BUDGET = {
    "home": 13,
    # courses and bookable dates in two small queries, not one slow join (courses/finder.py)
    "catalogue": 18,
    # +1 since articles name courses: the newest articles naming the course, read in
    # one query on every request (no fragment could be ended by an article's publish)
    "course_page": 19,
    "news_index": 15,
    # +1 since articles name courses: the next dates of the courses named, read in one
    # query on every request (they show free seats, which no fragment may hold)
    "news_article": 20,
    "search": 16,
}
COLD_PAGES = ["home", "catalogue", "course_page", "news_index", "news_article", "search"]


@pytest.mark.parametrize("name", COLD_PAGES)
def test_first_visitor_with_empty_caches(client, home_page, site, name):
    content = Content(home_page, site)
    content.grow(5)
    first, _later = _first_and_later(client, content.urls()[name])
    known = COLD_OVER_BUDGET.get(name)
    if known is None:
        assert first <= BUDGET, f"{name}: {first} queries with empty caches (budget {BUDGET})"
        return
    assert first <= known, f"{name}: {first} queries with empty caches, was {known}"
    assert first > BUDGET, f"{name}: {first} queries now fit the budget: remove it from the list"


def test_fifty_items_are_really_shown(client, home_page, site):
    """The budget counts pages that show what they should, not empty ones."""
    content = Content(home_page, site)
    content.grow(50)
    course = client.get(content.courses[0].url).content.decode()
    assert course.count("Qualifizierungszentrum Riesa") >= 50
    assert all(trainer.name in course for trainer in content.trainers)
    catalogue = client.get("/kurse/?page=2").content.decode()
    assert "Werkstattkurs 012" in catalogue or "Werkstattkurs 037" in catalogue
    footer = client.get("/").content.decode()
    assert footer.count("Partner ") >= 50
    article = client.get(content.articles[0].url).content.decode()
    assert "Schlagwort 49" in article
    # the first article names every course, each shown with its next dates (the first
    # course has fifty, of which the article shows three)
    assert article.count('class="related-course') == 50 and "Werkstattkurs 049" in article
    assert article.count('class="date-item date-item--open"') == 49 + 3
    # the course page lists the newest three of the fifty articles naming it
    news = course.split('id="course-news-heading"', 1)[1].split("</section>", 1)[0]
    assert news.count("<li") == 3 and content.articles[0].title in news
