import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import CourseDate, CoursePage, Topic
from tests.factories import (
    CourseDateFactory,
    CoursePageFactory,
    TopicFactory,
    TrainerFactory,
    UserFactory,
)

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="chefin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def date_form(date, **changes):
    """What the date editor posts for ``date`` (course only when adding)."""
    data = {
        "start": local(date.start),
        "end": local(date.end),
        "is_online": "",
        "venue_name": date.venue_name,
        "city": date.city,
        "venue_address": date.venue_address,
        "capacity": date.capacity,
        "min_participants": "",
        "price_override": "",
        "registration_deadline": "",
        "sessions": streamfield([]),
    }
    data.update(changes)
    return nested_form_data(data)


@pytest.fixture
def course_with_seats(catalogue):
    topic = TopicFactory(slug="digitalisierung")
    course = CoursePageFactory(parent=catalogue, title="Zeiterfassung", topics=[topic])
    course.save_revision().publish()
    date = CourseDateFactory(course=course, start=in_days(10), end=in_days(10, 16), capacity=10)
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=6)
    date.refresh_from_db()
    return course, topic, date


def edit_url(course):
    return reverse("wagtailadmin_pages:edit", args=[course.pk])


def date_edit_url(date):
    return reverse("course_dates:edit", args=[date.pk])


def test_course_editor_lists_its_dates_with_seats_and_links(admin_client, course_with_seats):
    course, _topic, date = course_with_seats
    html = admin_client.get(edit_url(course)).content.decode()
    assert "6 von 10" in html
    assert date_edit_url(date) in html
    assert f"{reverse('course_dates:add')}?course={course.pk}" in html
    # dates are not part of the page form (nor of its revisions)
    assert 'name="dates-0-capacity"' not in html
    assert "dates-TOTAL_FORMS" not in html


def test_new_date_from_the_course_editor_is_preselected_and_saved(admin_client, catalogue):
    topic = TopicFactory(slug="digitalisierung")
    course = CoursePageFactory(parent=catalogue, title="Neu", topics=[topic])
    add = reverse("course_dates:add")
    form = admin_client.get(f"{add}?course={course.pk}").content.decode()
    assert f'name="course" value="{course.pk}"' in form
    assert admin_client.get(f"{add}?course=abc").status_code == 200
    template = CourseDate(start=in_days(20), end=in_days(20, 16), capacity=8, city="Meißen")
    response = admin_client.post(add, date_form(template, course=course.pk))
    assert response.status_code == 302
    date = CourseDate.objects.get(course=course)
    assert (date.capacity, date.city, date.seats_confirmed) == (8, "Meißen", 0)


def test_the_date_editor_never_shows_or_writes_the_seat_counter(admin_client, course_with_seats):
    course, _topic, date = course_with_seats
    html = admin_client.get(date_edit_url(date)).content.decode()
    assert 'name="seats_confirmed"' not in html
    assert 'name="status"' not in html


def test_lowering_capacity_below_taken_seats_is_refused(admin_client, course_with_seats):
    course, topic, date = course_with_seats
    response = admin_client.post(date_edit_url(date), date_form(date, capacity=4))

    assert response.status_code == 200
    assert "Es sind schon 6 Plätze vergeben" in response.content.decode()
    date.refresh_from_db()
    assert date.capacity == 10 and date.seats_confirmed == 6


def test_capacity_checked_again_against_seats_taken_since_the_form_opened(
    admin_client, course_with_seats
):
    """The form was opened at 6 seats; two more people confirm before the editor
    saves a capacity of 7: refused under the row lock, with a message."""
    course, topic, date = course_with_seats
    data = date_form(date, capacity=7)
    from courses.forms import CourseDateForm

    original = CourseDateForm.clean_capacity

    def clean_then_seats_taken(form):
        value = original(form)
        CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=8)
        return value

    CourseDateForm.clean_capacity = clean_then_seats_taken
    try:
        response = admin_client.post(date_edit_url(date), data)
    finally:
        CourseDateForm.clean_capacity = original
    assert response.status_code == 200
    assert "Es sind schon 8 Plätze vergeben" in response.content.decode()
    date.refresh_from_db()
    assert (date.capacity, date.seats_confirmed) == (10, 8)


def test_raising_capacity_is_saved_and_keeps_the_counter(admin_client, course_with_seats):
    course, topic, date = course_with_seats
    data = date_form(date, capacity=14, venue_name="Neuer Raum")
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=7)  # booked meanwhile
    response = admin_client.post(date_edit_url(date), data)

    assert response.status_code == 302
    date.refresh_from_db()
    assert date.capacity == 14 and date.venue_name == "Neuer Raum"
    assert date.seats_confirmed == 7


def test_deleting_a_date_with_enrolments_is_refused(admin_client, course_with_seats):
    from enrolment import services
    from tests.enrolment.builders import person

    course, topic, date = course_with_seats
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=0)
    services.staff_enrol(date.pk, person(1))
    response = admin_client.post(reverse("course_dates:delete", args=[date.pk]), follow=True)
    assert "kann nicht gelöscht werden" in response.content.decode()
    assert CourseDate.objects.filter(pk=date.pk).exists()


def test_deleting_an_empty_date_works(admin_client, catalogue):
    topic = TopicFactory(slug="digitalisierung")
    course = CoursePageFactory(parent=catalogue, title="Leer", topics=[topic])
    date = CourseDateFactory(course=course)
    response = admin_client.post(reverse("course_dates:delete", args=[date.pk]))
    assert response.status_code == 302
    assert not CourseDate.objects.filter(pk=date.pk).exists()


def test_copying_a_date_copies_content_never_seats_or_cancellation(admin_client, course_with_seats):
    course, topic, date = course_with_seats
    CourseDate.objects.filter(pk=date.pk).update(status="cancelled", cancellation_reason="x")
    copy = reverse("course_dates:copy", args=[date.pk])
    assert admin_client.get(copy).status_code == 200
    later = CourseDate(start=in_days(40), end=in_days(40, 16), capacity=10, venue_name="Raum 2")
    response = admin_client.post(copy, date_form(later, course=course.pk))
    assert response.status_code == 302
    new = CourseDate.objects.exclude(pk=date.pk).get(course=course)
    assert (new.seats_confirmed, new.status, new.cancellation_reason) == (0, "planned", "")
    date.refresh_from_db()
    assert (date.seats_confirmed, date.status) == (6, "cancelled")


def test_trainers_cannot_open_the_date_editor(client, course_with_seats):
    from django.contrib.auth.models import Group

    course, topic, date = course_with_seats
    trainer = UserFactory(username="trainerin")
    trainer.groups.add(Group.objects.get_or_create(name="Trainer")[0])
    client.force_login(trainer)
    assert client.get(date_edit_url(date)).status_code in (302, 403)
    client.post(date_edit_url(date), date_form(date, capacity=99))
    date.refresh_from_db()
    assert date.capacity == 10


def test_has_protected_rows_finds_protect_relations():
    from django.db import models

    from courses.forms import protected_relations

    relations = protected_relations(CourseDate)
    assert all(rel.on_delete is models.PROTECT for rel in relations)


def test_catalogue_snippets_are_grouped_in_one_menu(admin_client):
    TopicFactory(name="Digitalisierung", slug="digitalisierung")
    TrainerFactory(name="Tom Tischler")
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Kurskatalog" in html
    for model, text in ((Topic, "Digitalisierung"), (CourseDate, None)):
        if text is None:
            continue
        url = reverse(f"wagtailsnippets_courses_{model._meta.model_name}:list")
        assert text in admin_client.get(url).content.decode()
    for name in ("targetgroup", "trade", "trainer"):
        assert admin_client.get(reverse(f"wagtailsnippets_courses_{name}:list")).status_code == 200
    trainers = admin_client.get(reverse("wagtailsnippets_courses_trainer:list") + "?q=Tom")
    assert "Tom Tischler" in trainers.content.decode()


def test_editor_forms_open_for_new_and_existing_pages(admin_client, catalogue, course_with_seats):
    course, _topic, _date = course_with_seats
    add_course = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", catalogue.pk])
    assert admin_client.get(add_course).status_code == 200
    assert admin_client.get(edit_url(catalogue)).status_code == 200


def test_a_new_date_makes_its_course_findable_by_the_place(
    admin_client, catalogue, django_capture_on_commit_callbacks
):
    from wagtail.search.backends import get_search_backend

    topic = TopicFactory(slug="digitalisierung")
    course = CoursePageFactory(parent=catalogue, title="Angebot kalkulieren", topics=[topic])
    course.save_revision().publish()
    template = CourseDate(start=in_days(20), end=in_days(20, 16), capacity=8, city="Großenhain")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("course_dates:add"), date_form(template, course=course.pk))
    results = get_search_backend().search("Großenhain", CoursePage.objects.live())
    assert [page.pk for page in results] == [course.pk]
