"""Articles name the courses they talk about: the article shows them with their next
bookable dates, and a course's page lists the newest articles naming it."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from courses.models import CourseDate, CoursePage
from enrolment import services
from home import cache as content_cache
from news.models import NewsPage, NewsRelatedCourse, articles_naming
from tests.enrolment.builders import confirmed
from tests.factories import (
    CourseDateFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def in_days(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def catalogue(home_page):
    return CourseIndexPageFactory(parent=home_page)


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page)


def course_in(catalogue, title, **fields) -> CoursePage:
    return CoursePageFactory(parent=catalogue, title=title, **fields)


def name_courses(article, *courses) -> NewsPage:
    """The article names ``courses`` in this order, published as an editor does."""
    article.related_courses = [
        NewsRelatedCourse(course=course, sort_order=position)
        for position, course in enumerate(courses)
    ]
    article.save_revision().publish()
    return NewsPage.objects.get(pk=article.pk)


def section(html: str, heading_id: str) -> str:
    """The part of the page from the heading ``heading_id`` to the end of its section
    ('' when the page has no such heading)."""
    if f'id="{heading_id}"' not in html:
        return ""
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def page_html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def on_article(client, article) -> str:
    return section(page_html(client, article.url), "related-courses")


def on_course(client, course) -> str:
    return section(page_html(client, course.url), "course-news-heading")


# --- the article ---------------------------------------------------------------


def test_article_shows_its_courses_with_their_next_bookable_dates(client, catalogue, news_index):
    workshop = course_in(catalogue, "Digitale Baustelle", teaser="Baustellen digital erfassen.")
    few = CourseDateFactory(course=workshop, start=in_days(10), capacity=3)
    CourseDate.objects.filter(pk=few.pk).update(seats_confirmed=1)
    full = CourseDateFactory(
        course=workshop, start=in_days(12), capacity=2, venue_name="Handwerkerhaus", city="Meißen"
    )
    CourseDate.objects.filter(pk=full.pk).update(seats_confirmed=2)
    cancelled = CourseDateFactory(course=workshop, start=in_days(11))
    services.cancel_course_date(cancelled.pk, "Krankheit")
    closed = CourseDateFactory(
        course=workshop, start=in_days(13), registration_deadline=timezone.now()
    )
    CourseDateFactory(course=workshop, start=in_days(-3))  # over
    third = CourseDateFactory(course=workshop, start=in_days(20), is_online=True)
    fourth = CourseDateFactory(course=workshop, start=in_days(30))
    handover = course_in(catalogue, "Betriebsnachfolge planen", teaser="Rechtzeitig übergeben.")
    article = name_courses(NewsPageFactory(parent=news_index), handover, workshop)

    courses = on_article(client, article)

    # in the editor's order, each with title, link and teaser
    assert courses.index("Betriebsnachfolge planen") < courses.index("Digitale Baustelle")
    assert f'href="{workshop.url}"' in courses and f'href="{handover.url}"' in courses
    assert "Baustellen digital erfassen." in courses and "Rechtzeitig übergeben." in courses
    # the next three dates one can book, as the catalogue card shows them
    shown = [d for d in (few, full, third) if f"{timezone.localtime(d.start):%d.%m.%Y}" in courses]
    assert shown == [few, full, third]
    assert "noch 2 Plätze" in courses
    assert "Handwerkerhaus, Meißen" in courses and "ausgebucht – Warteliste" in courses
    assert "Online · " in courses
    for hidden in (cancelled, closed, fourth):
        assert f"{timezone.localtime(hidden.start):%d.%m.%Y}" not in courses
    # a course without such dates says so
    assert courses.count("neue Termine in Planung") == 1


def test_unpublished_and_private_courses_are_not_shown(client, catalogue, news_index):
    public = course_in(catalogue, "Offener Kurs")
    withdrawn = course_in(catalogue, "Zurückgezogener Kurs")
    private = course_in(catalogue, "Geschlossener Kurs")
    article = name_courses(NewsPageFactory(parent=news_index), withdrawn, public, private)
    withdrawn.unpublish()
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )

    courses = on_article(client, article)

    assert "Offener Kurs" in courses
    assert "Zurückgezogener Kurs" not in courses and "Geschlossener Kurs" not in courses

    public.unpublish()
    html = page_html(client, article.url)
    assert 'id="related-courses"' not in html and "Passende Kurse" not in html


def test_preview_shows_the_courses_of_the_draft(client, catalogue, news_index):
    course = course_in(catalogue, "Digitale Baustelle")
    article = NewsPageFactory(parent=news_index)
    article.related_courses = [NewsRelatedCourse(course=course, sort_order=0)]
    article.save_revision()  # a draft, not published

    draft = article.get_latest_revision_as_object()
    assert "Digitale Baustelle" in section(
        draft.make_preview_request().content.decode(), "related-courses"
    )
    assert on_article(client, article) == ""
    assert not NewsRelatedCourse.objects.filter(page=article).exists()


# --- the course page ------------------------------------------------------------


def test_course_page_lists_the_newest_live_public_articles_naming_it(client, catalogue, news_index):
    course = course_in(catalogue, "Digitale Baustelle")
    other = course_in(catalogue, "Anderer Kurs")
    now = timezone.now()

    def article(title, days_ago, *courses):
        page = NewsPageFactory(
            parent=news_index, title=title, date=now - datetime.timedelta(days=days_ago)
        )
        return name_courses(page, *courses)

    oldest = article("Älteste Meldung", 9, course)
    third = article("Dritte Meldung", 5, course)
    second = article("Zweite Meldung", 4, course, other, course)  # names it twice
    newest = article("Neueste Meldung", 3, other, course)
    article("Über einen anderen Kurs", 1, other)
    draft = article("Zurückgezogene Meldung", 0, course)
    draft.unpublish()
    private = article("Interne Meldung", 2, course)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )

    news = on_course(client, course)

    assert "Aktuelles zum Kurs" in page_html(client, course.url)
    assert news.count("<li") == 3
    titles = ["Neueste Meldung", "Zweite Meldung", "Dritte Meldung"]
    assert [news.index(title) for title in titles] == sorted(news.index(t) for t in titles)
    for page in (newest, second, third):
        assert f'href="{page.url}"' in news
        assert f'datetime="{timezone.localtime(page.date).isoformat()}"' in news
    date_text = f"{timezone.localtime(newest.date).day}. "
    assert date_text in news
    for hidden in (oldest, draft, private):
        assert hidden.title not in news
    assert [a.pk for a in articles_naming(course, 10)] == [
        newest.pk,
        second.pk,
        third.pk,
        oldest.pk,
    ]


def test_a_course_no_article_names_has_no_news_list(client, catalogue, news_index):
    course = course_in(catalogue, "Digitale Baustelle")
    name_courses(NewsPageFactory(parent=news_index), course_in(catalogue, "Anderer Kurs"))

    html = page_html(client, course.url)

    assert 'id="course-news-heading"' not in html and "Aktuelles zum Kurs" not in html


def test_a_link_can_only_point_to_a_course():
    field = NewsRelatedCourse._meta.get_field("course")
    assert field.related_model is CoursePage


# --- the editor ---------------------------------------------------------------


@pytest.fixture
def editor(client):
    user = UserFactory(username="redakteurin")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


def article_form(article, courses, action="action-publish"):
    return nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "date": timezone.localtime(article.date).strftime("%Y-%m-%d %H:%M"),
            "category": article.category,
            "teaser": article.teaser,
            "body": streamfield([]),
            "tags": "",
            "related_courses": inline_formset([{"course": pk} for pk in courses]),
            "related_news": inline_formset([]),
            "comments": inline_formset([]),
            action: action,
        }
    )


def test_editor_chooses_courses_in_german_and_saves_them_in_order(
    client, editor, catalogue, news_index
):
    first = course_in(catalogue, "Digitale Baustelle")
    second = course_in(catalogue, "Betriebsnachfolge planen")
    article = NewsPageFactory(parent=news_index, title="Neue Kurse")
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])

    form = page_html(client, edit_url)
    assert "Kurse zum Artikel" in form and "Kurs hinzufügen" in form
    assert "Die Kurse, um die es im Artikel geht." in form
    assert "courses.coursepage" in form  # the page chooser offers courses only

    response = client.post(edit_url, article_form(article, [second.pk, first.pk]))

    assert response.status_code == 302, response.content.decode()[:2000]
    links = NewsRelatedCourse.objects.filter(page=article).order_by("sort_order")
    assert [link.course_id for link in links] == [second.pk, first.pk]
    courses = on_article(client, article)
    assert courses.index("Betriebsnachfolge planen") < courses.index("Digitale Baustelle")
    assert "Neue Kurse" in on_course(client, first)


def test_editor_cannot_name_a_page_that_is_not_a_course(
    client, editor, home_page, catalogue, news_index
):
    about = StandardPageFactory(parent=home_page, title="Über uns")
    article = NewsPageFactory(parent=news_index)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])

    response = client.post(edit_url, article_form(article, [about.pk]))

    assert response.status_code == 200  # the form again, with the error
    assert not NewsRelatedCourse.objects.filter(page=article).exists()


# --- caching: every change shows at once, with all three layers on ----------------


@pytest.fixture(
    params=["memory", pytest.param("redis", marks=pytest.mark.redis)], ids=["memory", "redis"]
)
def production_caching(request, settings):
    """The page cache and the fragments on, as in production (and with Redis as the
    shared cache in the ``redis`` variant)."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 30
    settings.CONTENT_CACHE_ENABLED = True
    assert content_cache.fragment_seconds() > 0


def cached(client, url) -> str:
    """The page, once it is certain that the next visitor gets it from the page cache."""
    first = page_html(client, url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit", url
    assert response.content.decode() == first
    return first


def fresh(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss", url
    return response.content.decode()


def test_publishing_and_unpublishing_an_article_shows_on_its_course_at_once(
    client, production_caching, catalogue, news_index
):
    course = course_in(catalogue, "Digitale Baustelle")
    CourseDateFactory(course=course, start=in_days(10))
    article = NewsPageFactory(parent=news_index, title="Baustelle digital", live=False)
    article.related_courses = [NewsRelatedCourse(course=course, sort_order=0)]
    article.save_revision()
    assert "Baustelle digital" not in cached(client, course.url)

    article.get_latest_revision().publish()
    assert "Baustelle digital" in section(fresh(client, course.url), "course-news-heading")
    cached(client, course.url)

    NewsPage.objects.get(pk=article.pk).unpublish()
    html = fresh(client, course.url)
    assert "Baustelle digital" not in html and "Aktuelles zum Kurs" not in html


def test_a_seat_taken_shows_on_the_article_at_once(
    client, production_caching, catalogue, news_index
):
    course = course_in(catalogue, "Digitale Baustelle")
    date = CourseDateFactory(course=course, start=in_days(10), capacity=2)
    article = name_courses(NewsPageFactory(parent=news_index), course)
    assert "noch 2 Plätze" in section(cached(client, article.url), "related-courses")

    confirmed(date, 1)
    assert "noch 1 Platz<" in section(fresh(client, article.url), "related-courses")
    cached(client, article.url)

    confirmed(date, 2)
    assert "ausgebucht – Warteliste" in section(fresh(client, article.url), "related-courses")


# --- demo content ---------------------------------------------------------------


def test_demo_articles_name_the_courses_they_talk_about(client):
    from courses import demo as courses_demo
    from home import demo as home_demo
    from news import demo

    home_demo.load()
    courses_demo.load()
    for _ in range(2):  # idempotent
        demo.load()

    for data in demo.NEWS:
        article = NewsPage.objects.get(slug=data["slug"])
        named = list(
            NewsRelatedCourse.objects.filter(page=article)
            .order_by("sort_order")
            .values_list("course__slug", flat=True)
        )
        assert named == data.get("courses", []), data["slug"]
    article = NewsPage.objects.get(slug="neue-kurse-digitalisierung")
    assert article.last_published_at == article.date  # the article's own date stays
    courses = on_article(client, article)
    assert "Digitale Auftragsabwicklung im Handwerksbetrieb" in courses
    course = CoursePage.objects.get(slug="digitale-auftragsabwicklung")
    assert article.title in on_course(client, course)
