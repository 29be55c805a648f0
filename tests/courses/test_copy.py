"""Copying a course (Wagtail's page copy): its dates come along only when asked,
never with their bookings; otherwise the editor is told the copy has none."""

import pytest
from django.urls import reverse

from courses.models import CourseDate, CoursePage
from tests.factories import CourseDateFactory, CoursePageFactory, UserFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="chefin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def course(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Zeiterfassung", slug="zeiterfassung")
    booked = CourseDateFactory(course=course, start=in_days(10), capacity=8, city="Riesa")
    CourseDateFactory(course=course, start=in_days(20), capacity=6, city="Meißen")
    # booking state that must stay with the original
    CourseDate.objects.filter(pk=booked.pk).update(
        seats_confirmed=5, status=CourseDate.Status.CANCELLED, cancellation_reason="Krank"
    )
    return course


def copy(client, course, **extra):
    data = {
        "new_title": "Zeiterfassung (Kopie)",
        "new_slug": "zeiterfassung-kopie",
        "new_parent_page": course.get_parent().pk,
        **extra,
    }
    return client.post(reverse("wagtailadmin_pages:copy", args=[course.pk]), data, follow=True)


def test_copy_form_offers_the_dates(editor_client, course):
    html = editor_client.get(reverse("wagtailadmin_pages:copy", args=[course.pk])).content.decode()
    assert 'name="copy_dates"' in html
    assert "Mit Terminen (ohne Anmeldungen)" in html


def test_copy_with_dates_takes_their_content_not_their_bookings(editor_client, course):
    response = copy(editor_client, course, copy_dates="on")
    new = CoursePage.objects.get(slug="zeiterfassung-kopie")
    dates = list(CourseDate.objects.filter(course=new).order_by("start"))
    assert [(d.city, d.capacity) for d in dates] == [("Riesa", 8), ("Meißen", 6)]
    assert all(d.seats_confirmed == 0 and d.status == "planned" for d in dates)
    assert all(d.cancellation_reason == "" for d in dates)
    assert CourseDate.objects.filter(course=course).count() == 2  # the original keeps its own
    assert "2 Termine wurden mitkopiert, ohne Anmeldungen" in response.content.decode()


def test_copy_without_dates_says_so(editor_client, course):
    response = copy(editor_client, course)
    new = CoursePage.objects.get(slug="zeiterfassung-kopie")
    assert not CourseDate.objects.filter(course=new).exists()
    html = response.content.decode()
    assert "Die 2 Termine des Kurses wurden nicht mitkopiert" in html
    assert f"?course={new.pk}" in html  # a button to add a date to the copy
