"""Site search on the database backend: SQLite FTS5 here, PostgreSQL full text in CI."""

import json
import re

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)

on_postgres = connection.vendor == "postgresql"


def result_titles(html):
    return [
        re.sub(r"</?mark>", "", title)
        for title in re.findall(r'<h2 class="h5 mb-1"><a href="[^"]+">(.*?)</a></h2>', html)
    ]


def paragraph(text):
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"}])


@pytest.fixture
def content(home_page):
    news_index = NewsIndexPageFactory(parent=home_page)
    courses = CourseIndexPageFactory(parent=home_page)
    course = CoursePageFactory(
        parent=courses,
        title="Digitale Baustellendokumentation",
        teaser="Fotos, Aufmaß und Mängel mit dem Tablet erfassen.",
    )
    article = NewsPageFactory(
        parent=news_index,
        title="Abend zur Betriebsnachfolge",
        teaser="Inhaber und Nachfolger trafen sich in Meißen.",
        body=paragraph("Wer übernimmt den Betrieb? Eine Übergabe braucht Zeit."),
    )
    body_only = StandardPageFactory(
        parent=home_page,
        title="Beratung",
        teaser="Unsere Beratung für Betriebe.",
        body=paragraph("Wir begleiten die Betriebsnachfolge von Anfang an."),
    )
    return {"course": course, "article": article, "body_only": body_only, "news": news_index}


@pytest.mark.django_db
def test_search_finds_a_course_and_labels_it(client, content):
    html = client.get("/suche/", {"q": "Baustellendokumentation"}).content.decode()

    assert result_titles(html) == ["Digitale Baustellendokumentation"]
    assert '<span class="badge text-bg-light border">Kurs</span>' in html
    assert "1 Treffer für „Baustellendokumentation“: Kurs (1)" in html


@pytest.mark.django_db
def test_search_finds_a_news_article_with_highlighted_words(client, content):
    html = client.get("/suche/", {"q": "Meißen Nachfolger"}).content.decode()

    # full-text hits first; on PostgreSQL fuzzy hits ("Betriebsnachfolge") may follow
    assert result_titles(html)[0] == "Abend zur Betriebsnachfolge"
    assert '<span class="badge text-bg-light border">Neuigkeit</span>' in html
    assert "<mark>Nachfolger</mark> trafen sich in <mark>Meißen</mark>" in html


@pytest.mark.django_db
def test_nachfolge_finds_betriebsnachfolge(client, content):
    """German compounds: "Nachfolge" is part of "Betriebsnachfolge", on both databases.

    A page that has the compound once in its body ("Beratung") is a passing mention: it
    is listed only when no page has the word in its title, a short field, or often."""
    found = result_titles(client.get("/suche/", {"q": "Nachfolge"}).content.decode())
    assert "Abend zur Betriebsnachfolge" in found
    assert "Beratung" not in found

    found = result_titles(client.get("/suche/", {"q": "begleiten"}).content.decode())
    assert found == ["Beratung"]


@pytest.mark.django_db
def test_did_you_mean_links_the_word_the_site_contains(client, content):
    html = client.get("/suche/", {"q": "Baustellendokumentaton"}).content.decode()

    assert "Digitale Baustellendokumentation" in result_titles(html)
    assert (
        'Meinten Sie <a href="/suche/?q=Baustellendokumentation">Baustellendokumentation</a>?'
        in html
    )


@pytest.mark.django_db
def test_nothing_found_offers_the_courses_of_the_nearest_topic(client, content):
    from courses.models import Topic

    topic = Topic.objects.create(name="Digitalisierung", slug="digitalisierung")
    content["course"].topics.add(topic)
    content["course"].save_revision().publish()

    html = client.get("/suche/", {"q": "Zeppelinwerft"}).content.decode()

    assert "0 Treffer" in html
    fallback = html.split('id="fallback-title"', 1)[1].split("</section>")[0]
    assert "Kurse zum Thema „Digitalisierung“" in fallback
    assert "Digitale Baustellendokumentation" in fallback
    assert "?thema=digitalisierung" in fallback


@pytest.mark.django_db
@pytest.mark.postgres_only  # German stemming needs PostgreSQL full text
def test_german_stemming_on_postgres(client, content):
    # The german configuration's Snowball stemmer reduces "Übergaben" and "Übergabe" to
    # one stem; SQLite's FTS5 tokenizer has no German stemmer.
    html = client.get("/suche/", {"q": "Übergaben"}).content.decode()
    assert result_titles(html) == ["Abend zur Betriebsnachfolge"]


@pytest.mark.django_db
@pytest.mark.postgres_only  # trigram similarity needs PostgreSQL pg_trgm
def test_typos_are_tolerated_on_postgres(client, content):
    html = client.get("/suche/", {"q": "Baustellendokumentaton"}).content.decode()
    assert "Digitale Baustellendokumentation" in result_titles(html)


@pytest.mark.django_db
@pytest.mark.sqlite_only  # prefix matching of the last word is SQLite FTS5
def test_last_word_matches_as_prefix_on_sqlite(client, content):
    html = client.get("/suche/", {"q": "Baustellendoku"}).content.decode()
    assert result_titles(html) == ["Digitale Baustellendokumentation"]


@pytest.mark.django_db
def test_restricted_and_unpublished_pages_never_appear(client, content, home_page):
    secret = StandardPageFactory(parent=home_page, title="Geheimplan Nachfolge intern")
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    StandardPageFactory(parent=secret, title="Nachfolge Unterseite geheim")
    StandardPageFactory(parent=home_page, title="Nachfolge Entwurf", live=False)

    html = client.get("/suche/", {"q": "Nachfolge"}).content.decode()

    assert "geheim" not in html.lower().split("</header>", 1)[1]
    assert "Geheimplan" not in html and "Entwurf" not in html


@pytest.mark.django_db
def test_empty_query_shows_a_helpful_start(client, content):
    response = client.get("/suche/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Durchsuchen Sie Kurse, Termine, Neuigkeiten" in html
    assert f'href="{content["news"].url}"' in html  # a place to start browsing
    assert 'name="robots" content="noindex, follow"' in html


@pytest.mark.django_db
def test_no_results_explain_what_to_do(client, content):
    html = client.get("/suche/", {"q": "Zeppelinwerft"}).content.decode()

    assert "0 Treffer für „Zeppelinwerft“" in html
    assert "Leider nichts gefunden zu „Zeppelinwerft“." in html
    assert "Prüfen Sie die Schreibweise." in html
    assert f'href="{content["news"].url}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "(",
        ")",
        "AND",
        "NOT",
        "-",
        "'; DROP TABLE x; --",
        "%",
        "\\",
        "a:b",
        "^",
        "NEAR(",
        "Nachfolge*",
        "ä ö ü ß",
        # NUL (%00) is refused before any view: tests/ops/test_bad_input.py
        "\u200b",
        "<script>alert(1)</script>",
        "x" * 5000,
    ],
)
def test_odd_queries_never_break_the_search(client, content, query):
    response = client.get("/suche/", {"q": query})
    html = response.content.decode()

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html


@pytest.mark.django_db
def test_long_queries_are_cut_and_logged_for_the_editors(client, content):
    client.get("/suche/", {"q": "Nachfolge"})
    client.get("/suche/", {"q": "  NACHFOLGE "})
    client.get("/suche/", {"q": "n" * 1000})

    assert Query.get("nachfolge").hits == 2
    assert Query.objects.filter(query_string="n" * 200).exists()
    assert not Query.objects.filter(query_string__regex=r"^n{201,}$").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("param", "number"), [("0", 3), ("99999", 3), ("abc", 1), ("2", 2)])
def test_search_pagination_edges(client, home_page, param, number):
    for i in range(25):
        StandardPageFactory(parent=home_page, title=f"Werkstatt {i}", teaser="Werkstatt")

    response = client.get("/suche/", {"q": "Werkstatt", "page": param})
    html = response.content.decode()

    assert response.status_code == 200
    assert len(result_titles(html)) == (5 if number == 3 else 10)
    assert f'aria-current="page"><span class="visually-hidden">Seite </span>{number}<' in html


@pytest.mark.django_db
def test_editors_picks_come_first_and_respect_privacy(client, content, home_page):
    contact = StandardPageFactory(parent=home_page, title="Kontakt zur Akademie")
    hidden = StandardPageFactory(parent=home_page, title="Nur intern")
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    query = Query.get("nachfolge")
    SearchPromotion.objects.create(
        query=query, page=contact, description="Rufen Sie uns an.", sort_order=0
    )
    SearchPromotion.objects.create(query=query, page=hidden, sort_order=1)

    html = client.get("/suche/", {"q": "Nachfolge"}).content.decode()

    assert "Empfehlungen der Redaktion" in html
    promoted = html.split("Empfehlungen der Redaktion", 1)[1].split("</section>")[0]
    assert "Kontakt zur Akademie" in promoted and "Rufen Sie uns an." in promoted
    assert "Nur intern" not in html


@pytest.mark.django_db
def test_every_page_has_a_search_box(client, content):
    html = client.get(content["article"].url).content.decode()

    form = re.search(r'<form class="site-search[^>]*>', html).group(0)
    assert 'role="search"' in form and 'action="/suche/"' in form
    assert '<label class="visually-hidden" for="site-search-q">Suchbegriff</label>' in html


@pytest.mark.django_db
def test_staff_see_logged_queries_and_can_promote_results(client, content):
    from tests.factories import UserFactory

    client.get("/suche/", {"q": "Betriebsnachfolge"})
    staff = UserFactory(username="redaktion", is_staff=True, is_superuser=True)
    client.force_login(staff)

    report = client.get(reverse("wagtailsearchpromotions:search_terms"))
    promotions = client.get("/admin/searchpicks/")

    assert report.status_code == 200 and "betriebsnachfolge" in report.content.decode()
    assert promotions.status_code == 200


@pytest.mark.django_db
def test_visitors_cannot_see_the_query_log(client, content):
    response = client.get(reverse("wagtailsearchpromotions:search_terms"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Nachfolge", "Digitalisirung", "Zeppelinwerft", "Bäcker"])
def test_a_search_costs_at_most_twelve_queries(
    client, content, query, django_assert_max_num_queries
):
    # the first search for a text also creates its rows in the editors' query log (six
    # queries more, Wagtail's); the second one is the common case
    client.get("/suche/", {"q": query})
    with django_assert_max_num_queries(12):
        response = client.get("/suche/", {"q": query})
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_catalogue_box_uses_the_same_search(client, content):
    html = client.get(content["course"].get_parent().url, {"q": "Baustellendokumentaton"})
    assert "Digitale Baustellendokumentation" in html.content.decode()
