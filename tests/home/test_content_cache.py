"""Every change shows on the very next request, with all three caching layers on
(home/cache.py): the page cache for anonymous visitors, the template fragments and
the content version they name.

Each test first shows that the page is served from the cache, then makes one change
the way the site makes it – a publish, a saved snippet, setting, image or document,
a seat taken through enrolment.services – and asks again.
"""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from academy import pagecache
from courses.models import CourseDate
from enrolment import services
from home import cache as content_cache
from home.images import get_or_create_image
from tests.enrolment.builders import confirmed
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


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 30


def _in_days(days):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def course(home_page, site):
    build_site_settings(site)
    catalogue = CourseIndexPageFactory(parent=home_page, show_in_menus=True)
    topic = TopicFactory(name="Digitalisierung", slug="digitalisierung")
    course = CoursePageFactory(
        parent=catalogue,
        title="Digitale Baustelle",
        topics=[topic],
        image=get_or_create_image("Baustelle"),
        image_alt="Eine Baustelle",
        flyer=Document.objects.create(
            title="Flyer", file=ContentFile(b"%PDF-1.4 alt", name="flyer-2026.pdf")
        ),
    )
    course.trainers.set([TrainerFactory(name="Tom Tischler")])
    course.save_revision().publish()
    CourseDateFactory(course=course, start=_in_days(20), capacity=3)
    return course


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def cached(client, url):
    """The page, once it is certain that the next visitor gets it from the page cache."""
    page = html(client, url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit", url
    assert response.content.decode() == page
    return page


def test_pages_and_fragments_are_reused(client, course, settings):
    cached(client, course.url)
    settings.PAGE_CACHE_ENABLED = False
    content_cache.bump()
    with CaptureQueriesContext(connection) as first:
        first_html = html(client, course.url)
    with CaptureQueriesContext(connection) as second:
        second_html = html(client, course.url)
    assert second_html == first_html
    assert len(second) < len(first)


def test_publish_shows_at_once(client, course):
    for url in (course.url, "/kurse/", "/"):
        assert "Digitale Baustelle" in cached(client, url)
    course.title = "Digitale Werkstatt"
    course.teaser = "Neu beschrieben."
    course.save_revision().publish()
    page = html(client, course.url)
    assert "Digitale Werkstatt" in page and "Neu beschrieben." in page
    catalogue = html(client, "/kurse/")
    assert "Digitale Werkstatt" in catalogue and "Digitale Baustelle" not in catalogue
    assert "Digitale Werkstatt" in html(client, "/")  # the next dates


def test_saved_snippets_show_at_once(client, course):
    partner = PartnerFactory(name="Kreishandwerkerschaft")
    assert "Tom Tischler" in cached(client, course.url)
    cached(client, "/kurse/")
    cached(client, "/")
    trainer = course.trainers.get()
    trainer.name = "Tina Tischler"
    trainer.save()
    topic = course.topics.get()
    topic.name = "Digitales Arbeiten"
    topic.save()
    partner.name = "Handwerkskammer"
    partner.save()
    page = html(client, course.url)
    for text in ("Tina Tischler", "Digitales Arbeiten", "Handwerkskammer"):
        assert text in page
    assert "Tom Tischler" not in page
    assert "Digitales Arbeiten" in html(client, "/kurse/")  # card and filter
    assert "Digitales Arbeiten" in html(client, "/")  # the topics on the home page


def test_saved_setting_shows_at_once(client, course, site):
    assert "03525 999" not in cached(client, course.url)
    settings = build_site_settings(site)
    settings.phone = "03525 999"
    settings.save()
    assert "03525 999" in html(client, course.url)


def _renditions(page):
    return set(re.findall(r"/media/images/[^\"' ]+", page))


def test_changed_image_shows_at_once(client, course):
    before = _renditions(cached(client, course.url))
    assert before
    image = course.image
    image.focal_point_x, image.focal_point_y = 10, 10
    image.focal_point_width = image.focal_point_height = 20
    image.save()  # new crops of the image: renditions with other addresses
    after = _renditions(html(client, course.url))
    assert after and not after & before


def test_deleted_image_disappears_at_once(client, course):
    assert 'alt="Eine Baustelle"' in cached(client, course.url)
    course.image.delete()  # the page's reference is cleared by a queryset update
    assert 'alt="Eine Baustelle"' not in html(client, course.url)


def test_replaced_document_shows_at_once(client, course):
    assert "flyer-2026.pdf" in cached(client, course.url)
    flyer = course.flyer
    flyer.file = ContentFile(b"%PDF-1.4 neu", name="flyer-2027.pdf")
    flyer.save()
    page = html(client, course.url)
    assert "flyer-2027.pdf" in page and "flyer-2026.pdf" not in page


def test_a_seat_taken_shows_at_once(client, course):
    """Seats are counted by queryset updates in enrolment.services; the page cache ends
    with them, and no fragment contains a seat count."""
    date = course.dates.get()
    for url in (course.url, "/kurse/", "/"):
        assert "noch 3 Plätze" in cached(client, url)
    confirmed(date, 1)
    confirmed(date, 2)
    for url in (course.url, "/kurse/", "/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "noch 1 Platz<" in response.content.decode(), url
    confirmed(date, 3)
    assert "ausgebucht – Warteliste" in html(client, course.url)
    assert "ausgebucht – Warteliste" in html(client, "/kurse/")
    assert "Digitale Baustelle" not in html(client, "/")  # the home page lists free seats


def test_a_cancelled_date_shows_at_once(client, course):
    date = course.dates.get()
    assert "abgesagt" not in cached(client, course.url).lower()
    services.cancel_course_date(date.pk, "Krankheit")
    assert "abgesagt" in html(client, course.url).lower()


def test_a_seat_given_back_shows_at_once(client, course):
    date = course.dates.get()
    enrolment = confirmed(date, 1)
    assert "noch 2 Plätze" in cached(client, course.url)
    services.cancel(enrolment.pk)
    assert "noch 3 Plätze" in html(client, course.url)


def test_an_edited_date_shows_at_once(client, course):
    date = course.dates.get()
    assert "Qualifizierungszentrum Riesa" in cached(client, course.url)
    date.venue_name = "Handwerkerhaus Meißen"
    date.save()
    assert "Handwerkerhaus Meißen" in html(client, course.url)
    assert CourseDate.objects.get(pk=date.pk).seats_confirmed == 0


def test_menu_follows_publishing_and_marks_the_current_section(client, home_page, course):
    about = StandardPageFactory(parent=home_page, title="Über uns", show_in_menus=True)
    about.save_revision().publish()
    start = cached(client, "/")
    assert "Über uns" in start
    on_course = html(client, course.url)
    assert 'href="/kurse/" aria-current="true"' in on_course
    assert 'aria-current="true"' not in start
    about.title = "Wer wir sind"
    about.save_revision().publish()
    assert "Wer wir sind" in html(client, "/")
    about.unpublish()
    assert "Wer wir sind" not in html(client, "/")


def test_a_new_address_shows_in_every_link_at_once(
    client, home_page, site, course, django_capture_on_commit_callbacks
):
    imprint = StandardPageFactory(parent=home_page, title="Impressum", slug="impressum")
    imprint.save_revision().publish()
    build_site_settings(site, imprint=imprint)
    assert 'href="/impressum/"' in cached(client, course.url)
    imprint.slug = "rechtliches"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail tells after the commit
        imprint.save_revision().publish()
    page = html(client, course.url)
    assert 'href="/rechtliches/"' in page and 'href="/impressum/"' not in page


def test_breadcrumbs_follow_a_parent_published(client, course):
    assert ">Kurse</a>" in cached(client, course.url)
    catalogue = course.get_parent().specific
    catalogue.title = "Unsere Kurse"
    catalogue.save_revision().publish()
    assert ">Unsere Kurse</a>" in html(client, course.url)


def test_a_new_view_restriction_applies_at_once(client, home_page):
    page = StandardPageFactory(parent=home_page, title="Intern", slug="intern")
    page.save_revision().publish()
    cached(client, page.url)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(page.url).status_code == 302
    assert 'href="/intern/"' not in html(client, "/suche/?q=Intern")


def test_news_article_change_shows_at_once(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    (article,) = build_news(index, 1, title="Projektstart")
    for url in ("/", index.url):
        assert "Projektstart" in cached(client, url)
    article.title = "Projektstart im Bündnis"
    article.save_revision().publish()
    for url in ("/", index.url, article.url):
        assert "Projektstart im Bündnis" in html(client, url)


def test_a_renamed_tag_shows_at_once(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    (article,) = build_news(index, 1, title="Projektstart")
    article.tags.add("Werkstatt")
    article.save_revision().publish()
    for url in (article.url, index.url):
        assert "Werkstatt" in cached(client, url)
    tag = article.tags.get()
    tag.name = "Lernwerkstatt"
    tag.save()
    for url in (article.url, index.url):
        assert "Lernwerkstatt" in html(client, url)


def test_a_linked_course_published_shows_in_the_article(client, home_page, course):
    index = NewsIndexPageFactory(parent=home_page)
    (article,) = build_news(index, 1, title="Projektstart")
    article.related_courses.create(course=course)
    article.save_revision().publish()
    assert "Digitale Baustelle" in cached(client, article.url)
    course.title = "Digitale Werkstatt"
    course.save_revision().publish()
    assert "Digitale Werkstatt" in html(client, article.url)
    course.unpublish()
    assert "Digitale Werkstatt" not in html(client, article.url)


def test_a_lesson_published_shows_on_its_course(client, course):
    _material, (lesson, _second) = build_material(course, lessons=("Grundlagen", "Praxis"))
    assert "Grundlagen" in cached(client, course.url)
    lesson.title = "Grundlagen der Baustelle"
    lesson.save_revision().publish()
    assert "Grundlagen der Baustelle" in html(client, course.url)


def test_preview_is_never_cached(client, course):
    cached(client, course.url)
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


def test_switched_off_stores_nothing(client, course, settings):
    from django.core.cache import cache

    settings.CONTENT_CACHE_ENABLED = False
    settings.PAGE_CACHE_ENABLED = False
    cache.clear()
    html(client, course.url)
    keys = [k.split(":", 2)[2] for k in cache._cache if "template.cache." in k]  # locmem
    assert not any(cache.has_key(key) for key in keys)


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
    for url in ("/", "/kurse/", course.url):
        assert "Digitale Baustelle" in html(client, url)
    assert client.get("/suche/?q=Digitale").status_code == 200
    course.title = "Digitale Baustelle 2"
    course.save_revision().publish()  # the publish itself is never lost
    assert "Digitale Baustelle 2" in html(client, course.url)


def test_another_servers_change_shows_here(client, course):
    """The versions live in the shared cache: a change handled by another app server
    moves them there, and this server's next answer follows."""
    from django.core.cache import caches

    from courses.models import CoursePage

    assert "Tom Tischler" in cached(client, course.url)
    trainer = course.trainers.get()
    type(trainer).objects.filter(pk=trainer.pk).update(name="Tina Tischler")  # no signal
    assert "Tom Tischler" in cached(client, course.url)
    caches["strict"].incr(content_cache.VERSION_KEY)  # what bump() on the other server does
    caches["strict"].incr(pagecache.GENERATION_KEY)
    assert "Tina Tischler" in html(client, course.url)
    CoursePage.objects.filter(pk=course.pk).update(teaser="Still geändert")
    caches["strict"].incr(pagecache.GENERATION_KEY)  # a publish elsewhere
    assert "Still geändert" not in html(client, course.url)  # the page's fragment


def test_a_change_ends_the_caches_again_when_it_commits(django_capture_on_commit_callbacks):
    """A request that read the new numbers before the commit may have rendered the old
    content under them: the commit moves them once more."""
    from django.core.cache import caches

    generation = caches["strict"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        content_cache.bump()
        during = content_cache.content_version()
        pages_during = generation.get(pagecache.GENERATION_KEY)
    assert len(callbacks) == 1  # the content version, and with it the page generation
    assert content_cache.content_version() > during
    assert generation.get(pagecache.GENERATION_KEY) > pages_during


def test_a_course_published_with_a_new_place_shows_in_the_filter(client, course):
    new = CoursePageFactory(parent=course.get_parent(), title="Neu in Großenhain", live=False)
    CourseDateFactory(course=new, start=_in_days(30), city="Großenhain")  # still a draft
    assert "Großenhain" not in cached(client, "/kurse/")
    new.save_revision().publish()  # a publish: the content version stays
    catalogue = html(client, "/kurse/")
    assert 'value="Großenhain"' in catalogue and "Neu in Großenhain" in catalogue
