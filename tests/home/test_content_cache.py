"""Cached fragments of public content (home.cache) never show anything out of date.

What an editor changes (pages, snippets, site settings, view restrictions) shows
on the very next request; what changes without an editor (free seats) is never
part of a cached fragment; previews and personal parts are never cached.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from courses.models import CourseDate
from home import cache as content_cache
from tests.factories import (
    CourseDateFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    NewsIndexPageFactory,
    PartnerFactory,
    StandardPageFactory,
    TopicFactory,
    TrainerFactory,
    UserFactory,
    build_material,
    build_news,
    build_site_settings,
)

pytestmark = pytest.mark.django_db


def _in_days(days):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def course(home_page):
    catalogue = CourseIndexPageFactory(parent=home_page, show_in_menus=True)
    topic = TopicFactory(name="Digitalisierung", slug="digitalisierung")
    course = CoursePageFactory(parent=catalogue, title="Digitale Baustelle", topics=[topic])
    course.trainers.set([TrainerFactory(name="Tom Tischler")])
    course.save_revision().publish()
    CourseDateFactory(course=course, start=_in_days(20), capacity=3)
    return course


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_fragments_are_used(client, course):
    """The second visitor gets the stored fragments (fewer queries, same page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        first_html = html(client, course.url)
    with CaptureQueriesContext(connection) as second:
        second_html = html(client, course.url)
    assert second_html == first_html
    assert len(second) < len(first)


def test_publish_shows_at_once(client, course):
    assert "Digitale Baustelle" in html(client, course.url)
    course.title = "Digitale Werkstatt"
    course.teaser = "Neu beschrieben."
    course.save_revision().publish()
    page = html(client, course.url)
    assert "Digitale Werkstatt" in page and "Neu beschrieben." in page
    assert "Digitale Werkstatt" in html(client, "/kurse/")
    assert "Digitale Baustelle" not in html(client, "/kurse/")


def test_saved_snippets_show_at_once(client, course, site):
    partner = PartnerFactory(name="Kreishandwerkerschaft")
    build_site_settings(site)
    html(client, course.url)
    trainer = course.trainers.get()
    trainer.name = "Tina Tischler"
    trainer.save()
    topic = course.topics.get()
    topic.name = "Digitales Arbeiten"
    topic.save()
    partner.name = "Handwerkskammer"
    partner.save()
    settings = build_site_settings(site)
    settings.phone = "03525 999"
    settings.save()
    page = html(client, course.url)
    for text in ("Tina Tischler", "Digitales Arbeiten", "Handwerkskammer", "03525 999"):
        assert text in page
    assert "Tom Tischler" not in page


def test_a_seat_taken_shows_at_once_without_the_page_cache(client, course):
    date = course.dates.get()
    assert "noch 3 Plätze" in html(client, course.url)
    assert "noch 3 Plätze" in html(client, "/kurse/")
    assert "noch 3 Plätze" in html(client, "/")
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=2)  # as the enrolment does
    assert "noch 1 Platz<" in html(client, course.url)
    assert "noch 1 Platz<" in html(client, "/kurse/")
    assert "noch 1 Platz<" in html(client, "/")
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=3)
    assert "ausgebucht – Warteliste" in html(client, course.url)
    assert "ausgebucht – Warteliste" in html(client, "/kurse/")
    assert "Digitale Baustelle" not in html(client, "/")  # the home page lists free seats


def test_cancelled_date_shows_at_once(client, course):
    date = course.dates.get()
    html(client, course.url)
    from enrolment import services

    services.cancel_course_date(date.pk, "Krankheit")  # booking state: a queryset update
    assert "abgesagt" in html(client, course.url).lower()


def test_menu_follows_publishing_and_marks_the_current_section(client, home_page, course):
    about = StandardPageFactory(parent=home_page, title="Über uns", show_in_menus=True)
    about.save_revision().publish()
    start = html(client, "/")
    assert "Über uns" in start
    on_course = html(client, course.url)
    assert 'href="/kurse/" aria-current="true"' in on_course
    assert 'aria-current="true"' not in start
    about.unpublish()
    assert "Über uns" not in html(client, "/")


def test_preview_is_never_cached(client, course):
    html(client, course.url)
    course.title = "Entwurf: Digitale Baustelle 2.0"
    course.save_revision()
    draft = course.get_latest_revision_as_object()
    preview = draft.make_preview_request()
    assert "Entwurf: Digitale Baustelle 2.0" in preview.content.decode()
    live = html(client, course.url)
    assert "Entwurf" not in live and "Digitale Baustelle" in live
    # and a second preview is rendered anew, not taken from the first
    draft.title = "Entwurf 3"
    assert "Entwurf 3" in draft.make_preview_request().content.decode()


def test_material_links_only_for_those_admitted(client, course):
    build_material(course, lessons=("Grundlagen",))
    anonymous = html(client, course.url)
    assert (
        "Grundlagen" in anonymous and 'href="/kurse/digitale-baustelle/material/' not in anonymous
    )
    admin = UserFactory(username="chefin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert 'href="/kurse/digitale-baustelle/material/' in html(client, course.url)


def test_a_new_view_restriction_applies_at_once(client, home_page):
    page = StandardPageFactory(parent=home_page, title="Intern", slug="intern")
    page.save_revision().publish()
    assert client.get(page.url).status_code == 200
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(page.url).status_code == 302
    assert 'href="/intern/"' not in html(client, "/suche/?q=Intern")


def test_news_article_change_shows_at_once(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    (article,) = build_news(index, 1, title="Projektstart")
    assert "Projektstart" in html(client, "/")
    assert "Projektstart" in html(client, index.url)
    article.title = "Projektstart im Bündnis"
    article.save_revision().publish()
    for url in ("/", index.url, article.url):
        assert "Projektstart im Bündnis" in html(client, url)


def test_switched_off_stores_nothing(client, course, settings):
    settings.CONTENT_CACHE_ENABLED = False
    version = content_cache.version()
    html(client, course.url)
    from django.core.cache import cache

    keys = [k for k in cache._cache if f"content:{version}:" in k]  # locmem internals
    assert keys == []


class BrokenCache:
    """A cache backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def close(self, **kwargs):
        pass

    def __getattr__(self, name):
        def down(*args, **kwargs):
            raise ConnectionError("redis down")

        return down


def test_pages_still_answer_when_the_cache_is_down(client, course, settings):
    settings.CACHES = {
        **settings.CACHES,
        "broken": {"BACKEND": "tests.home.test_content_cache.BrokenCache"},
    }
    settings.CONTENT_CACHE_ALIAS = settings.PAGE_CACHE_ALIAS = "broken"
    settings.PAGE_CACHE_ENABLED = True
    for url in ("/", "/kurse/", course.url):
        assert "Digitale Baustelle" in html(client, url)
    assert client.get("/suche/?q=Digitale").status_code == 200
    course.title = "Digitale Baustelle 2"
    course.save_revision().publish()  # the publish itself is never lost
    assert "Digitale Baustelle 2" in html(client, course.url)


def test_another_servers_publish_ends_this_servers_copies(client, course):
    """Each process keeps what it has read, under keys that name the content version;
    a publish handled by another app server moves the version in the shared cache."""
    from django.core.cache import cache

    from courses.models import CoursePage

    assert "Digitale Baustelle" in html(client, course.url)
    CoursePage.objects.filter(pk=course.pk).update(title="Still geändert")  # no signal
    assert "<h1>Still geändert</h1>" not in html(client, course.url)  # the kept fragment
    cache.incr(content_cache.VERSION_KEY)  # what bump() on the other server does
    assert "<h1>Still geändert</h1>" in html(client, course.url)


def test_a_change_ends_cached_content_again_when_it_commits(django_capture_on_commit_callbacks):
    """A request that read the new version before the commit may have rendered the old
    content under it: the commit moves the version once more."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        content_cache.bump()
        during = content_cache.version()
    assert len(callbacks) == 1
    assert content_cache.version() > during
