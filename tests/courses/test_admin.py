import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

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
    data = {
        "id": date.pk,
        "ORDER": "1",
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
        "status": date.status,
        "cancellation_reason": date.cancellation_reason,
        "sessions": streamfield([]),
    }
    data.update(changes)
    return data


def edit_data(course, topic, dates):
    data = nested_form_data(
        {
            "title": course.title,
            "slug": course.slug,
            "teaser": course.teaser,
            "image_alt": "",
            "description": streamfield([]),
            "learning_objectives": rich_text(""),
            "prerequisites": "",
            "what_to_bring": "",
            "format": "presence",
            "duration_hours": "",
            "teaching_units": "",
            "price": "0",
            "funding_notes": "",
            "certificate": "",
            "contact_name": "",
            "contact_email": "",
            "contact_phone": "",
            "seo_title": "",
            "search_description": "",
            "meta_description": "",
            "dates": inline_formset(dates, initial=len(dates)),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    data["topics"] = [str(topic.pk)]
    return data


@pytest.fixture
def course_with_seats(catalogue):
    topic = TopicFactory(slug="digitalisierung")
    course = CoursePageFactory(parent=catalogue, title="Zeiterfassung", topics=[topic])
    course.save_revision().publish()
    date = CourseDateFactory(course=course, start=in_days(10), end=in_days(10, 16), capacity=10)
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=6)
    # the editor works on the latest revision, which still says 0 seats taken
    course = CoursePage.objects.get(pk=course.pk)
    course.save_revision()
    date.refresh_from_db()
    return course, topic, date


def edit_url(course):
    return reverse("wagtailadmin_pages:edit", args=[course.pk])


def test_editor_shows_the_seat_counter_read_only(admin_client, course_with_seats):
    course, _topic, date = course_with_seats
    html = admin_client.get(edit_url(course)).content.decode()
    assert "Belegte Plätze" in html
    assert 'name="dates-0-seats_confirmed"' not in html


def test_lowering_capacity_below_taken_seats_is_refused(admin_client, course_with_seats):
    course, topic, date = course_with_seats
    data = edit_data(course, topic, [date_form(date, capacity=4)])
    response = admin_client.post(edit_url(course), data)

    assert response.status_code == 200
    assert "Es sind schon 6 Plätze vergeben" in response.content.decode()
    date.refresh_from_db()
    assert date.capacity == 10 and date.seats_confirmed == 6


def test_raising_capacity_is_saved_and_keeps_the_counter(admin_client, course_with_seats):
    course, topic, date = course_with_seats
    data = edit_data(course, topic, [date_form(date, capacity=14, venue_name="Neuer Raum")])
    response = admin_client.post(edit_url(course), data)

    assert response.status_code == 302
    date.refresh_from_db()
    assert date.capacity == 14 and date.venue_name == "Neuer Raum"


def test_removing_a_date_with_seats_taken_is_refused(admin_client, course_with_seats):
    course, topic, date = course_with_seats
    data = edit_data(course, topic, [date_form(date, DELETE="1")])
    response = admin_client.post(edit_url(course), data)

    assert response.status_code == 200
    assert "kann nicht gelöscht werden" in response.content.decode()
    assert CourseDate.objects.filter(pk=date.pk).exists()


def test_removing_an_empty_date_works(admin_client, catalogue):
    topic = TopicFactory(slug="digitalisierung")
    course = CoursePageFactory(parent=catalogue, title="Leer", topics=[topic])
    date = CourseDateFactory(course=course)
    course.save_revision().publish()
    data = edit_data(course, topic, [date_form(date, DELETE="1")])

    assert admin_client.post(edit_url(course), data).status_code == 302
    assert not CourseDate.objects.filter(pk=date.pk).exists()


def test_protected_rows_block_removal_generically(monkeypatch, admin_client, catalogue):
    from courses import forms

    topic = TopicFactory(slug="digitalisierung")
    course = CoursePageFactory(parent=catalogue, title="Geschützt", topics=[topic])
    date = CourseDateFactory(course=course)
    course.save_revision().publish()
    monkeypatch.setattr(forms, "has_protected_rows", lambda instance: instance.pk == date.pk)
    data = edit_data(course, topic, [date_form(date, DELETE="1")])

    response = admin_client.post(edit_url(course), data)

    assert response.status_code == 200
    assert CourseDate.objects.filter(pk=date.pk).exists()


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


def test_preview_shows_unsaved_dates(admin_client, course_with_seats):
    course, topic, date = course_with_seats
    data = edit_data(course, topic, [date_form(date, venue_name="Vorschauraum")])
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[course.pk])
    assert admin_client.post(preview, data).json()["is_valid"]

    html = admin_client.get(preview).content.decode()

    assert "Vorschauraum" in html and "noch 4 Plätze" in html
