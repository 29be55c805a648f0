"""Attendance: trainers tick their own dates only, per session; staff see all."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseDate
from enrolment.models import Enrolment
from learning.lessons import STAFF_GROUP_NAME
from learning.models import Attendance
from tests.enrolment.builders import confirmed, course_date, course_page
from tests.factories import TrainerFactory

pytestmark = pytest.mark.django_db


def _session(day, start=9, end=16):
    return (
        "session",
        {
            "date": day,
            "start_time": datetime.time(start),
            "end_time": datetime.time(end),
            "note": "",
        },
    )


@pytest.fixture
def dates():
    """The trainer's own date: day one was yesterday, day two is tomorrow."""
    own_course = course_page()
    trainer_user = get_user_model().objects.create_user(
        "trainer@example.org", "trainer@example.org"
    )
    own_course.trainers.add(TrainerFactory(user=trainer_user))
    own_course.save_revision().publish()
    today = timezone.localdate()
    yesterday, tomorrow = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
    own = course_date(own_course, days=2)
    people = [confirmed(own, n) for n in (1, 2)]
    tz = timezone.get_current_timezone()
    CourseDate.objects.filter(pk=own.pk).update(
        start=datetime.datetime.combine(yesterday, datetime.time(9), tzinfo=tz),
        end=datetime.datetime.combine(tomorrow, datetime.time(16), tzinfo=tz),
    )
    own.refresh_from_db()
    own.sessions = [_session(yesterday), _session(tomorrow)]
    own.save()
    foreign = course_date(course_page(), days=1)
    confirmed(foreign, 3)
    return {"own": own, "foreign": foreign, "trainer": trainer_user, "people": people}


def test_trainer_ticks_own_date_per_session_that_has_happened(client, dates):
    client.force_login(dates["trainer"])
    overview = client.get(reverse("learner:trainer")).content.decode()
    assert dates["own"].course.title in overview
    assert dates["foreign"].course.title not in overview
    url = reverse("learner:attendance", args=[dates["own"].pk])
    page = client.get(url).content.decode()
    first, second = dates["people"]
    assert f'name="was-present-{first.pk}-0" value="0"' in page
    # tomorrow's box is shown but cannot be ticked yet
    assert f'name="was-present-{first.pk}-1"' not in page
    assert "Kann ab Beginn dieses Kurstags erfasst werden" in page
    response = client.post(
        url,
        {
            f"was-present-{first.pk}-0": "0",
            f"present-{first.pk}-0": "1",
            # a forged tick for tomorrow is ignored
            f"was-present-{first.pk}-1": "0",
            f"present-{first.pk}-1": "1",
        },
    )
    assert response.status_code == 302
    assert list(
        Attendance.objects.filter(enrolment=first, present=True).values_list("session", flat=True)
    ) == [0]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Enrolment.Status.PARTIAL  # one of two days so far
    assert second.status == Enrolment.Status.CONFIRMED  # untouched
    own = dates["own"]
    own.refresh_from_db()
    assert own.seats_confirmed == 2 == own.enrolments.holding_seats().count()
    page = client.get(url).content.decode()
    assert "1 von 2 Kurstagen" in page
    sheet = client.get(reverse("learner:signin_sheet", args=[own.pk]))
    assert sheet["Content-Type"] == "application/pdf"


def test_only_the_boxes_changed_in_a_list_are_saved(client, dates):
    """Two trainers: one ticks person 1 while the other has the list open; the
    other then saves a tick for person 2 and leaves person 1 alone."""
    from learning import attendance

    client.force_login(dates["trainer"])
    first, second = dates["people"]
    url = reverse("learner:attendance", args=[dates["own"].pk])
    client.get(url)  # the second trainer's list: both unticked
    attendance.record(dates["own"], {(first.pk, 0): True})
    client.post(
        url,
        {
            f"was-present-{first.pk}-0": "0",
            f"was-present-{second.pk}-0": "0",
            f"present-{second.pk}-0": "1",
        },
    )
    assert Attendance.objects.get(enrolment=first, session=0).present
    assert Attendance.objects.get(enrolment=second, session=0).present


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
