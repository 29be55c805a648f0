"""Attendance: trainers tick their own dates only, per session; staff see all."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.lessons import STAFF_GROUP_NAME
from enrolment.models import Attendance, Enrolment
from tests.enrolment.builders import confirmed, course_date, course_page
from tests.factories import TrainerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dates():
    own_course = course_page()
    trainer_user = get_user_model().objects.create_user(
        "trainer@example.org", "trainer@example.org"
    )
    own_course.trainers.add(TrainerFactory(user=trainer_user))
    own_course.save_revision().publish()
    own = course_date(own_course, days=1)
    own.sessions = [
        (
            "session",
            {
                "date": own.start.date() + datetime.timedelta(days=d),
                "start_time": datetime.time(9),
                "end_time": datetime.time(16),
                "note": "",
            },
        )
        for d in range(2)
    ]
    own.save()
    people = [confirmed(own, n) for n in (1, 2)]
    foreign = course_date(course_page(), days=1)
    confirmed(foreign, 3)
    return {"own": own, "foreign": foreign, "trainer": trainer_user, "people": people}


def test_trainer_sees_and_ticks_own_date_per_session(client, dates):
    client.force_login(dates["trainer"])
    overview = client.get(reverse("learner:trainer")).content.decode()
    assert dates["own"].course.title in overview
    assert dates["foreign"].course.title not in overview
    url = reverse("learner:attendance", args=[dates["own"].pk])
    page = client.get(url).content.decode()
    first, second = dates["people"]
    assert f'name="present-{first.pk}-1"' in page
    response = client.post(url, {f"present-{first.pk}-0": "1", f"present-{first.pk}-1": "1"})
    assert response.status_code == 302
    assert Attendance.objects.filter(enrolment=first, present=True).count() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Enrolment.Status.ATTENDED
    assert second.status == Enrolment.Status.CONFIRMED  # the date has not ended
    own = dates["own"]
    own.refresh_from_db()
    assert own.seats_confirmed == own.enrolments.filter(status="confirmed").count()
    sheet = client.get(reverse("learner:signin_sheet", args=[own.pk]))
    assert sheet["Content-Type"] == "application/pdf"


def test_trainer_cannot_open_other_dates(client, dates):
    client.force_login(dates["trainer"])
    foreign = dates["foreign"].pk
    assert client.get(reverse("learner:attendance", args=[foreign])).status_code == 404
    assert client.post(reverse("learner:attendance", args=[foreign]), {}).status_code == 404
    assert client.get(reverse("learner:signin_sheet", args=[foreign])).status_code == 404


def test_learner_has_no_trainer_pages(client, dates):
    learner = get_user_model().objects.get(username="person1@example.org")
    client.force_login(learner)
    assert client.get(reverse("learner:trainer")).status_code == 404
    assert client.get(reverse("learner:attendance", args=[dates["own"].pk])).status_code == 404


def test_staff_see_all_dates(client, dates):
    staff = get_user_model().objects.create_user("redaktion@example.org")
    staff.groups.add(Group.objects.get_or_create(name=STAFF_GROUP_NAME)[0])
    client.force_login(staff)
    assert client.get(reverse("learner:attendance", args=[dates["foreign"].pk])).status_code == 200
    assert client.get(reverse("learner:attendance", args=[dates["own"].pk])).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, dates):
    response = client.get(reverse("learner:attendance", args=[dates["own"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/lernen/anmelden/")
