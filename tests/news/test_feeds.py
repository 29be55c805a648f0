import calendar
import datetime
import re

import feedparser
import pytest
from django.utils import timezone

from tests.factories import NewsIndexPageFactory, NewsPageFactory, PartnerFactory

BERLIN = datetime.timezone(datetime.timedelta(hours=2))


@pytest.fixture
def articles(home_page):
    index = NewsIndexPageFactory(parent=home_page)
    conference = NewsPageFactory(
        parent=index,
        title="Innovationskonferenz in Riesa",
        teaser="Handwerk trifft Wissenschaft & Kreative <am> Elbufer.",
        category="veranstaltung",
        date=datetime.datetime(2018, 5, 31, 9, 0, tzinfo=BERLIN),
        author_partner=PartnerFactory(name="Berufsakademie Sachsen"),
    )
    conference.tags.add("Riesa")
    conference.save_revision().publish()
    start = NewsPageFactory(
        parent=index,
        title="Projektstart",
        category="projekt",
        date=datetime.datetime(2018, 4, 1, 10, 0, tzinfo=BERLIN),
    )
    return {"index": index, "conference": conference, "start": start}


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def _utc(struct):
    return datetime.datetime.fromtimestamp(calendar.timegm(struct), tz=datetime.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "version", "content_type"),
    [
        ("/feeds/aktuelles.rss", "rss20", "application/rss+xml"),
        ("/feeds/aktuelles.atom", "atom10", "application/atom+xml"),
    ],
)
def test_feeds_are_valid_with_dates_and_absolute_links(
    client, articles, url, version, content_type
):
    response, feed = _parse(client, url)

    assert response["Content-Type"].startswith(content_type)
    assert feed.version == version
    assert feed.feed.title.startswith("Innovationsakademie Handwerk")
    assert [entry.title for entry in feed.entries] == [
        "Innovationskonferenz in Riesa",
        "Projektstart",
    ]
    conference, start = feed.entries
    assert _utc(conference.published_parsed) == articles["conference"].date
    assert _utc(start.published_parsed) == articles["start"].date
    assert conference.link == articles["conference"].full_url
    assert re.match(r"^https?://[^/]+/aktuelles/", conference.link)
    # the summary is HTML: the plain-text teaser comes back escaped, not as markup
    assert conference.summary == "Handwerk trifft Wissenschaft &amp; Kreative &lt;am&gt; Elbufer."
    assert {tag.term for tag in conference.tags} == {"Veranstaltung", "Riesa"}
    assert conference.author == "Berufsakademie Sachsen"


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_category_feed_holds_only_that_category(client, articles, suffix):
    _response, feed = _parse(client, f"/feeds/aktuelles/veranstaltung.{suffix}")

    assert [entry.title for entry in feed.entries] == ["Innovationskonferenz in Riesa"]
    assert "Veranstaltung" in feed.feed.title


@pytest.mark.django_db
def test_unknown_category_feed_is_not_found(client, articles):
    assert client.get("/feeds/aktuelles/gibtsnicht.rss").status_code == 404


@pytest.mark.django_db
def test_feed_without_news_section_is_not_found(client, home_page):
    assert client.get("/feeds/aktuelles.rss").status_code == 404


@pytest.mark.django_db
def test_drafts_stay_out_of_the_feed(client, articles):
    NewsPageFactory(parent=articles["index"], title="Entwurf", live=False, date=timezone.now())

    _response, feed = _parse(client, "/feeds/aktuelles.rss")

    assert "Entwurf" not in [entry.title for entry in feed.entries]


@pytest.mark.django_db
def test_pages_announce_the_feeds(client, articles):
    home_html = client.get("/").content.decode()
    filtered_html = client.get("/aktuelles/?kategorie=presse").content.decode()

    assert '<link rel="alternate" type="application/rss+xml"' in home_html
    assert (
        'href="/feeds/aktuelles.rss"' in home_html and 'href="/feeds/aktuelles.atom"' in home_html
    )
    assert 'href="/feeds/aktuelles/presse.rss"' in filtered_html
    assert "Alle Meldungen als RSS-Feed" in filtered_html  # a visible link to subscribe
