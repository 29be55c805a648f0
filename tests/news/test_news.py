import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.images import get_or_create_image
from home.models import HomePage
from news.models import NewsIndexPage, NewsPage, NewsRelatedArticle, NewsRelatedCourse
from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    PartnerFactory,
    build_news,
    build_site,
)

BERLIN = datetime.timezone(datetime.timedelta(hours=2))


class NewsTreeRulesTests(WagtailPageTestCase):
    def setUp(self):
        # a browser test on the same worker may have flushed Wagtail's root page
        from tests.factories import ensure_wagtail_roots

        ensure_wagtail_roots()

    def test_news_index_lives_below_the_home_page_once(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        home = build_site()
        NewsIndexPageFactory(parent=home)
        self.assertFalse(NewsIndexPage.can_create_at(home))

    def test_articles_are_leaves_of_the_index(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page)


def titles(html):
    return re.findall(r'class="card-title h5"><a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.django_db
def test_index_lists_newest_first_with_featured_article_on_top(client, news_index):
    NewsPageFactory(parent=news_index, title="Alt", date=timezone.now() - datetime.timedelta(3))
    NewsPageFactory(parent=news_index, title="Neu", date=timezone.now() - datetime.timedelta(1))
    NewsPageFactory(
        parent=news_index,
        title="Wichtig",
        featured=True,
        date=timezone.now() - datetime.timedelta(2),
    )

    html = client.get("/aktuelles/").content.decode()

    assert "Im Fokus" in html
    assert titles(html) == ["Wichtig", "Neu", "Alt"]  # featured once, then the list


@pytest.mark.django_db
def test_drafts_and_private_articles_stay_out_of_the_index(client, news_index):
    from wagtail.models import PageViewRestriction

    NewsPageFactory(parent=news_index, title="Öffentlich")
    NewsPageFactory(parent=news_index, title="Entwurf", live=False)
    private = NewsPageFactory(parent=news_index, title="Intern")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    html = client.get("/aktuelles/").content.decode()

    assert titles(html) == ["Öffentlich"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("param", "expected_page"),
    [
        ("", 1),
        ("page=2", 2),
        ("page=3", 3),
        ("page=0", 3),
        ("page=999", 3),
        ("page=abc", 1),
        ("page=-1", 3),
        ("page=", 1),
        ("page=1.5", 1),
    ],
)
def test_pagination_edges_give_a_clean_page(client, news_index, param, expected_page):
    build_news(news_index, 25)  # 10 per page: 3 pages

    response = client.get(f"/aktuelles/?{param}")
    html = response.content.decode()

    assert response.status_code == 200
    shown = titles(html)
    assert len(shown) == (5 if expected_page == 3 else 10)
    assert (
        f'aria-current="page"><span class="visually-hidden">Seite </span>{expected_page}<' in html
    )


@pytest.mark.django_db
def test_pagination_links_keep_the_filter(client, news_index):
    build_news(news_index, 12, category="presse")

    html = client.get("/aktuelles/?kategorie=presse").content.decode()

    assert 'href="?kategorie=presse&amp;page=2"' in html


@pytest.mark.django_db
def test_filter_by_category_tag_and_year(client, news_index):
    start = datetime.datetime(2018, 5, 31, 10, tzinfo=BERLIN)
    conference = NewsPageFactory(
        parent=news_index, title="Konferenz", category="veranstaltung", date=start
    )
    conference.tags.add("Riesa")
    conference.save_revision().publish()
    NewsPageFactory(
        parent=news_index, title="Presse 2019", category="presse", date=start.replace(year=2019)
    )
    NewsPageFactory(parent=news_index, title="Kurse 2018", category="kurse", date=start)

    by_category = client.get("/aktuelles/?kategorie=veranstaltung").content.decode()
    by_tag = client.get("/aktuelles/?schlagwort=riesa").content.decode()
    by_year = client.get("/aktuelles/?jahr=2018").content.decode()
    combined = client.get("/aktuelles/?jahr=2018&kategorie=kurse").content.decode()

    assert titles(by_category) == ["Konferenz"]
    assert "Kategorie: <strong>Veranstaltung</strong>" in by_category
    assert titles(by_tag) == ["Konferenz"]
    assert titles(by_year) == ["Kurse 2018", "Konferenz"]  # same date: newer page first
    assert titles(combined) == ["Kurse 2018"]
    assert 'href="/aktuelles/?jahr=2019"' in by_year  # the year archive
    assert 'href="/aktuelles/?schlagwort=riesa"' in by_year  # the tag list


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "kategorie=gibtsnicht",
        "jahr=abc",
        "jahr=99999999999999999999",
        "schlagwort=%3Cscript%3E",
        "kategorie=&jahr=&schlagwort=",
    ],
)
def test_bad_filters_never_break_the_page(client, news_index, query):
    NewsPageFactory(parent=news_index, title="Meldung")

    response = client.get(f"/aktuelles/?{query}")

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</header>", 1)[1]


@pytest.mark.django_db
def test_unknown_tag_shows_an_empty_state(client, news_index):
    NewsPageFactory(parent=news_index, title="Meldung")

    html = client.get("/aktuelles/?schlagwort=unbekannt").content.decode()

    assert titles(html) == []
    assert "Zu dieser Auswahl gibt es noch keine Meldungen." in html


def _count_index_queries(client):
    client.get("/aktuelles/")  # warm up: renditions, site root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/aktuelles/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_news_index_query_count_does_not_grow_with_the_articles(client, news_index):
    image = get_or_create_image("Werkstatt")
    partner = PartnerFactory()
    build_news(news_index, 5, lead_image=image, lead_image_alt="Werkstatt", author_partner=partner)
    few = _count_index_queries(client)

    build_news(
        news_index,
        45,
        lead_image=image,
        lead_image_alt="Werkstatt",
        author_partner=partner,
        start=timezone.now() - datetime.timedelta(days=400),
    )
    many = _count_index_queries(client)

    assert many == few, f"{few} queries for 5 articles, {many} for 50"
    assert many < 40


@pytest.mark.django_db
def test_article_shows_lead_image_responsively_with_caption_and_credit(client, news_index):
    image = get_or_create_image("Konferenz in Riesa")
    article = NewsPageFactory(
        parent=news_index,
        title="Innovationskonferenz",
        lead_image=image,
        lead_image_alt="Publikum im Saal der Konferenz",
        lead_image_caption="Volles Haus in Riesa",
        lead_image_credit="KHS Meißen",
        author_name="Rita Redlich",
    )

    html = client.get(article.url).content.decode()

    lead = html.split('class="figure d-block my-4 news-lead-image"', 1)[1].split("</figure>")[0]
    assert "<picture>" in lead
    assert 'type="image/webp"' in lead and "srcset=" in lead
    assert 'alt="Publikum im Saal der Konferenz"' in lead
    assert re.search(r'width="\d+"', lead) and re.search(r'height="\d+"', lead)
    assert 'loading="lazy"' not in lead  # above the fold
    assert "Volles Haus in Riesa" in lead and "© KHS Meißen" in lead
    assert "von Rita Redlich" in html


@pytest.mark.django_db
def test_cards_load_images_lazily_with_dimensions(client, news_index):
    image = get_or_create_image("Karte")
    NewsPageFactory(parent=news_index, lead_image=image, lead_image_alt="Eine Karte")

    html = client.get("/aktuelles/").content.decode()
    img = re.search(r"<img [^>]*alt=\"Eine Karte\"[^>]*>", html).group(0)

    assert 'loading="lazy"' in img and 'width="' in img and 'height="' in img


@pytest.mark.django_db
def test_lead_image_needs_alt_text(news_index):
    article = NewsPageFactory.build(lead_image=get_or_create_image("Ohne Alt"), lead_image_alt="")
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "lead_image_alt" in error.value.message_dict


@pytest.mark.django_db
def test_article_body_with_gallery_and_two_click_video(client, news_index):
    one, two = get_or_create_image("Galerie 1"), get_or_create_image("Galerie 2")
    body = [
        {"type": "paragraph", "value": "<p>Bericht</p>"},
        {
            "type": "gallery",
            "value": {
                "title": "Bilder",
                "images": [
                    {
                        "image": {"image": one.pk, "alt_text": "Erstes Bild", "decorative": False},
                        "caption": "Eins",
                    },
                    {
                        "image": {"image": two.pk, "alt_text": "Zweites Bild", "decorative": False},
                        "caption": "Zwei",
                    },
                ],
            },
        },
        {
            "type": "video",
            "value": {"url": "https://youtu.be/abcDEF12345", "title": "Rückblick", "caption": ""},
        },
    ]
    article = NewsPageFactory(parent=news_index, body=json.dumps(body))

    html = client.get(article.url).content.decode()

    assert 'alt="Erstes Bild"' in html and 'alt="Zweites Bild"' in html
    assert "<iframe" not in html  # nothing from the provider before the click
    assert "Video laden – dabei werden Daten an YouTube übertragen" in html
    assert 'href="https://www.youtube.com/watch?v=abcDEF12345"' in html
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/abcDEF12345"' in html
    assert re.search(r'<script src="/static/js/video-consent.js" defer></script>', html)


@pytest.mark.django_db
def test_related_links_show_only_live_pages(client, news_index, home_page):
    catalogue = CourseIndexPageFactory(parent=home_page)
    course = CoursePageFactory(parent=catalogue, title="Kurs Digitalisierung")
    draft = CoursePageFactory(parent=catalogue, title="Kurs im Entwurf", live=False)
    other = NewsPageFactory(parent=news_index, title="Weitere Meldung")
    article = NewsPageFactory(parent=news_index, title="Hauptmeldung")
    NewsRelatedCourse.objects.create(page=article, course=course, sort_order=0)
    NewsRelatedCourse.objects.create(page=article, course=draft, sort_order=1)
    NewsRelatedArticle.objects.create(page=article, article=other, sort_order=0)

    html = client.get(article.url).content.decode()

    assert "Passende Kurse" in html and f'href="{course.url}"' in html
    assert "Kurs im Entwurf" not in html
    assert "Weitere Meldung" in html


@pytest.mark.django_db
def test_home_page_shows_the_latest_three_articles(client, news_index):
    build_news(news_index, 5)
    newest = NewsPage.objects.order_by("-date")[:3]

    html = client.get("/").content.decode()
    section = html.split('id="home-news-title"', 1)[1].split("</section>")[0]

    assert titles(section) == [page.title for page in newest]


@pytest.mark.django_db
def test_home_page_query_count_does_not_grow_with_news(client, news_index):
    build_news(news_index, 3)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    build_news(news_index, 10, start=timezone.now() - datetime.timedelta(days=100))
    client.get("/")  # the publish ended the cached fragments: warm them again
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_demo_news_tells_the_alliance_story_and_is_idempotent(client):
    from home import demo as home_demo
    from news import demo

    for _ in range(2):
        home_demo.load()
        demo.load()
    index = NewsIndexPage.objects.get()
    articles = NewsPage.objects.child_of(index).live()

    assert index.url == "/aktuelles/" and index.show_in_menus
    assert articles.count() == len(demo.NEWS)
    start = articles.get(slug="projektstart-wir-buendnis")
    assert start.date.date() == datetime.date(2018, 4, 1)
    assert "WIR! – Wandel durch Innovation in der Region" in start.teaser
    conference = articles.get(slug="innovationskonferenz-riesa-2018")
    assert timezone.localtime(conference.date).date() == datetime.date(2018, 5, 31)
    assert articles.filter(featured=True).exists()
    html = client.get("/aktuelles/").content.decode()
    assert "3.744 Betriebe" in html
    assert Page.objects.filter(slug="aktuelles").count() == 1
