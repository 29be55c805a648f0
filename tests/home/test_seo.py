import datetime
import json
import re
from html.parser import HTMLParser

import pytest

from home.images import get_or_create_image
from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    PartnerFactory,
    StandardPageFactory,
)

BERLIN = datetime.timezone(datetime.timedelta(hours=2))


class HeadParser(HTMLParser):
    """Meta tags, links and JSON-LD blocks of a page."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.json_ld = {}, [], []
        self._in_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_endtag(self, tag):
        self._in_ld = False if tag == "script" else self._in_ld

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))

    def ld(self, kind):
        return [block for block in self.json_ld if block["@type"] == kind]


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return HeadParser(response.content.decode())


@pytest.fixture
def article(home_page):
    index = NewsIndexPageFactory(parent=home_page)
    return NewsPageFactory(
        parent=index,
        title="Innovationskonferenz in Riesa",
        teaser="Handwerk trifft Wissenschaft.",
        date=datetime.datetime(2018, 5, 31, 9, 0, tzinfo=BERLIN),
        author_name="Rita Redlich",
        author_partner=PartnerFactory(name="Kreatives Sachsen", website="https://example.org/ks"),
        lead_image=get_or_create_image("Konferenz"),
        lead_image_alt="Publikum im Saal",
    )


@pytest.mark.django_db
def test_home_page_has_default_description_canonical_and_social_tags(client, home_page):
    page = head(client, "/")

    assert page.meta["description"].startswith("Kurse zu Digitalisierung, Betriebsnachfolge")
    canonical = [link for link in page.links if link.get("rel") == "canonical"]
    assert canonical == [{"rel": "canonical", "href": "http://localhost/"}]
    assert page.meta["og:url"] == "http://localhost/"
    assert page.meta["og:type"] == "website"
    assert page.meta["og:title"] == "Startseite"
    assert page.meta["og:locale"] == "de_DE"
    assert page.meta["twitter:card"] == "summary"  # no image on this home page
    assert "og:image" not in page.meta


@pytest.mark.django_db
def test_editor_text_wins_over_defaults(client, home_page):
    about = StandardPageFactory(
        parent=home_page, title="Bündnis", seo_title="Das WIR!-Bündnis", teaser="Anreißer."
    )
    described = StandardPageFactory(
        parent=home_page, title="Kontakt", teaser="Anreißer.", meta_description="Eigene Worte."
    )

    assert head(client, about.url).meta["description"] == "Anreißer."
    assert head(client, about.url).meta["og:title"] == "Das WIR!-Bündnis"
    assert head(client, described.url).meta["description"] == "Eigene Worte."


@pytest.mark.django_db
def test_article_shares_its_lead_image(client, article):
    page = head(client, article.url)

    assert page.meta["og:type"] == "article"
    assert re.match(
        r"^http://testserver/media/images/.+fill-1200x630.*\.(png|jpg|webp)$", page.meta["og:image"]
    )
    assert page.meta["og:image:width"] == "1200" and page.meta["og:image:height"] == "630"
    assert page.meta["og:image:alt"] == "Publikum im Saal"
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["twitter:image"] == page.meta["og:image"]


@pytest.mark.django_db
def test_course_page_gets_a_social_image_through_the_mixin(client, home_page):
    course = CoursePageFactory(
        parent=CourseIndexPageFactory(parent=home_page),
        image=get_or_create_image("Kursbild"),
        image_alt="Tablet auf der Baustelle",
    )
    page = head(client, course.url)
    assert "fill-1200x630" in page.meta["og:image"]
    assert page.meta["og:image:alt"] == "Tablet auf der Baustelle"


@pytest.mark.django_db
def test_article_has_news_article_json_ld(client, article):
    (data,) = head(client, article.url).ld("NewsArticle")

    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Innovationskonferenz in Riesa"
    assert data["description"] == "Handwerk trifft Wissenschaft."
    assert datetime.datetime.fromisoformat(data["datePublished"]) == article.date
    assert data["mainEntityOfPage"] == article.full_url
    assert data["author"] == [
        {"@type": "Person", "name": "Rita Redlich"},
        {"@type": "Organization", "name": "Kreatives Sachsen", "url": "https://example.org/ks"},
    ]
    assert data["image"][0].startswith("http://testserver/media/images/")
    assert data["publisher"]["name"] == "Innovationsakademie Handwerk"


@pytest.mark.django_db
def test_breadcrumbs_are_a_breadcrumb_list(client, article):
    (data,) = head(client, article.url).ld("BreadcrumbList")

    assert [(item["position"], item["name"], item["item"]) for item in data["itemListElement"]] == [
        (1, "Startseite", "http://localhost/"),
        (2, "Aktuelles", "http://localhost/aktuelles/"),
        (3, "Innovationskonferenz in Riesa", article.full_url),
    ]


@pytest.mark.django_db
def test_json_ld_cannot_break_out_of_its_script(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    evil = NewsPageFactory(parent=index, title="</script><script>alert(1)</script> & Co")

    html = client.get(evil.url).content.decode()
    page = HeadParser(html)

    assert "<script>alert(1)" not in html
    assert page.ld("NewsArticle")[0]["headline"] == "</script><script>alert(1)</script> & Co"


@pytest.mark.django_db
def test_only_json_ld_scripts_are_inline(client, article):
    html = client.get(article.url).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'type="application/ld+json"' in tag or " src=" in tag, tag


@pytest.mark.django_db
def test_sitemap_lists_news_and_courses(client, article, home_page):
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), title="Kurs A")

    xml = client.get("/sitemap.xml").content.decode()

    assert article.full_url in xml
    assert "http://localhost/aktuelles/" in xml
    assert course.full_url in xml
