import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import CourseDate, CourseIndexPage, CoursePage
from home.images import get_or_create_image
from home.models import HomePage
from tests.factories import (
    CourseDateFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    TopicFactory,
    TrainerFactory,
    build_site,
)

from .conftest import card_titles, in_days


class PageTreeRulesTests(WagtailPageTestCase):
    def setUp(self):
        # a browser test on the same worker may have flushed Wagtail's root page
        from tests.factories import ensure_wagtail_roots

        ensure_wagtail_roots()

    def test_catalogue_lives_below_the_home_page(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_courses_live_in_the_catalogue_and_hold_only_their_material(self):
        from learning.lessons import MaterialPage

        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {MaterialPage})

    def test_only_one_catalogue(self):
        home = build_site()
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        CourseIndexPageFactory(parent=home)
        self.assertFalse(CourseIndexPage.can_create_at(Page.objects.get(pk=home.pk)))

    def test_course_not_creatable_below_home(self):
        self.assertCanNotCreateAt(HomePage, CoursePage)


pytestmark = pytest.mark.django_db


def berlin(year, month, day, hour, minute=0):
    from zoneinfo import ZoneInfo

    return datetime.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def course(catalogue):
    topic = TopicFactory(name="Digitalisierung", slug="digitalisierung")
    trainer = TrainerFactory(name="Tom Tischler", bio="Tischlermeister.")
    page = CoursePageFactory(
        parent=catalogue,
        title="3D-Druck in der Werkstatt",
        teaser="Ersatzteile scannen und drucken.",
        learning_objectives="<ul><li>Scanner bedienen</li></ul>",
        prerequisites="Keine.",
        what_to_bring="Laptop",
        price=Decimal("290"),
        duration_hours=Decimal("16"),
        teaching_units=21,
        funding_notes="Azubis zahlen die Hälfte.",
        certificate="Zertifikat Additive Fertigung",
        contact_name="Sabine Richter",
        contact_email="akademie@example.org",
        topics=[topic],
    )
    page.trainers.set([trainer])
    page.save()
    return page


def test_course_page_shows_fields_and_dates_the_german_way(client, course):
    date = CourseDateFactory(
        course=course,
        start=berlin(2099, 1, 13, 9),  # a Tuesday
        end=berlin(2099, 1, 13, 16),
        capacity=10,
    )
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=7)

    html = client.get(course.url).content.decode()

    assert "<h1>3D-Druck in der Werkstatt</h1>" in html
    for text in (
        "Ersatzteile scannen und drucken.",
        "Scanner bedienen",
        "Laptop",
        "290 €",
        "16 Stunden",
        "Azubis zahlen die Hälfte.",
        "Zertifikat Additive Fertigung",
        "Tom Tischler",
        "Sabine Richter",
        "Digitalisierung",
    ):
        assert text in html, text
    text = re.sub(r"<[^>]+>", "", html)
    assert "Di., 13.01.2099, 09:00–16:00 Uhr" in text
    assert "16 Stunden, 21 UE" in text  # "Auf einen Blick"
    assert 'title="Unterrichtseinheiten zu 45 Minuten"' in html
    assert "noch 3 Plätze" in html
    assert f'href="{reverse("enrolment:enrol", args=[date.pk])}"' in html
    assert f'href="{course.url}termin/{date.pk}/kalender/"' in html


def test_seat_wording_and_buttons_per_date(client, course):
    one_left = CourseDateFactory(course=course, start=in_days(5), end=in_days(5, 16), capacity=4)
    CourseDate.objects.filter(pk=one_left.pk).update(seats_confirmed=3)
    full = CourseDateFactory(course=course, start=in_days(6), end=in_days(6, 16), capacity=2)
    CourseDate.objects.filter(pk=full.pk).update(seats_confirmed=2)
    closed = CourseDateFactory(
        course=course, start=in_days(7), end=in_days(7, 16), registration_deadline=in_days(-1)
    )
    cancelled = CourseDateFactory(
        course=course,
        start=in_days(8),
        end=in_days(8, 16),
        status=CourseDate.Status.CANCELLED,
        cancellation_reason="Die Werkstatt wird renoviert.",
    )
    past = CourseDateFactory(course=course, start=in_days(-3), end=in_days(-3, 16))

    html = client.get(course.url).content.decode()

    assert "noch 1 Platz" in html
    assert "ausgebucht – Warteliste" in html and "Anmelden (Warteliste)" in html
    assert "Anmeldeschluss vorbei" in html
    assert "abgesagt" in html and "Die Werkstatt wird renoviert." in html
    for open_date in (one_left, full):
        assert f'href="{reverse("enrolment:enrol", args=[open_date.pk])}"' in html
    for shut in (closed, cancelled, past):
        assert f'href="{reverse("enrolment:enrol", args=[shut.pk])}"' not in html
    assert f"termin/{past.pk}/" not in html


def test_multi_day_date_shows_its_sessions(client, course):
    CourseDateFactory(
        course=course,
        start=berlin(2099, 3, 2, 8),
        end=berlin(2099, 3, 3, 16),
        sessions=[
            (
                "session",
                {
                    "date": datetime.date(2099, 3, 2),
                    "start_time": datetime.time(8),
                    "end_time": datetime.time(16),
                    "note": "Theorie",
                },
            ),
            (
                "session",
                {
                    "date": datetime.date(2099, 3, 3),
                    "start_time": datetime.time(8),
                    "end_time": datetime.time(16),
                    "note": "Praxis",
                },
            ),
        ],
    )
    text = re.sub(r"<[^>]+>", "", client.get(course.url).content.decode())
    assert "Mo., 02.03.2099, 08:00 Uhr – Di., 03.03.2099, 16:00 Uhr" in text
    assert "Di., 03.03.2099, 08:00–16:00 Uhr (Praxis)" in text


def test_course_without_dates_says_new_dates_are_planned(client, catalogue, course):
    assert "neue Termine in Planung" in client.get(course.url).content.decode()
    listing = client.get(catalogue.url)
    assert card_titles(listing) == ["3D-Druck in der Werkstatt"]
    assert "neue Termine in Planung" in listing.content.decode()


def test_catalogue_shows_count_next_date_and_price(client, catalogue, course):
    CourseDateFactory(course=course, start=berlin(2099, 1, 13, 9), end=berlin(2099, 1, 13, 16))
    CoursePageFactory(parent=catalogue, title="Gratis", price=0)
    html = client.get(catalogue.url).content.decode()
    assert "2 Kurse gefunden" in html
    assert "Di., 13.01.2099, 09:00" in html
    assert "290 €" in html and "kostenfrei" in html
    assert '<button type="submit" class="btn btn-primary">Kurse anzeigen</button>' in html


def test_unpublished_courses_stay_hidden(client, catalogue):
    CoursePageFactory(parent=catalogue, title="Entwurf", live=False)
    assert card_titles(client.get(catalogue.url)) == []


def _build(catalogue, count, image=None):
    topic = TopicFactory(name="Digitalisierung", slug="digitalisierung")
    trainer = TrainerFactory(name="Tom Tischler")
    for number in range(count):
        page = CoursePageFactory(
            parent=catalogue,
            title=f"Kurs {number:03d}",
            topics=[topic],
            image=image,
            image_alt="Bild" if image else "",
        )
        page.trainers.set([trainer])
        page.save()
        for offset in range(3):
            CourseDateFactory(
                course=page,
                start=in_days(10 + number + offset * 30),
                end=in_days(10 + number + offset * 30, 16),
                city="Riesa" if offset % 2 else "Meißen",
            )
    return CoursePage.objects.order_by("pk").last()


def _count(client, url):
    client.get(url)  # warm caches (site root paths, renditions)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?thema=digitalisierung&ort=Riesa&freie_plaetze=1&sortierung=titel",
        "?q=Kurs&monat=bad&page=2&kostenfrei=1",
    ],
)
def test_catalogue_queries_do_not_grow_with_courses(client, catalogue, query):
    image = get_or_create_image("Werkstatt")
    _build(catalogue, 5, image)
    small = _count(client, "/kurse/" + query)
    CoursePage.objects.all().delete()
    _build(catalogue, 50, image)
    assert _count(client, "/kurse/" + query) == small


def test_course_page_queries_do_not_grow_with_dates(client, catalogue):
    last = _build(catalogue, 1)
    small = _count(client, last.url)
    for offset in range(40):
        CourseDateFactory(course=last, start=in_days(100 + offset), end=in_days(100 + offset, 16))
    assert _count(client, last.url) == small


def test_home_page_lists_next_dates_with_free_seats_and_topics(client, catalogue, course):
    open_date = CourseDateFactory(course=course, start=in_days(3), end=in_days(3, 16))
    full = CourseDateFactory(course=course, start=in_days(2), end=in_days(2, 16), capacity=1)
    CourseDate.objects.filter(pk=full.pk).update(seats_confirmed=1)

    html = client.get("/").content.decode()

    assert "Nächste Termine mit freien Plätzen" in html
    assert html.count("3D-Druck in der Werkstatt") == 1
    assert "noch 12 Plätze" in html and "ausgebucht" not in html
    assert 'href="/kurse/?thema=digitalisierung"' in html
    assert open_date.pk


def test_course_slug_of_the_calendar_feed_is_reserved(catalogue):
    from django.core.exceptions import ValidationError

    course = CoursePage(title="Kalender", slug="kalender", teaser="x")
    course.path, course.depth = catalogue.path + "0001", catalogue.depth + 1
    with pytest.raises(ValidationError) as error:
        course.clean()
    assert "slug" in error.value.message_dict
