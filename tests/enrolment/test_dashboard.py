"""Dashboard panels against the database; go/no-go; cancelling a date in one action."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from courses.models import CourseDate
from enrolment import dashboard, services
from enrolment.models import Enrolment, OutgoingMail
from tests.enrolment.builders import confirmed, course_date, course_page, person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="redakteurin")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


def test_upcoming_dates_show_occupancy_and_waitlist(client, editor):
    date = course_date(capacity=2, days=5)
    for n in range(3):
        confirmed(date, n)
    empty = course_date(capacity=10, days=20)
    course_date(days=-3)  # past: not shown
    cancelled = course_date(days=6, status="cancelled", cancellation_reason="krank")

    dates = dashboard.upcoming_dates(editor)
    assert [d.pk for d in dates] == [date.pk, empty.pk]
    assert dates[0].seats_confirmed == 2 and dates[0].n_waitlisted == 1
    assert dates[1].seats_confirmed == 0 and dates[1].n_waitlisted == 0

    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Nächste Termine: Belegung" in html
    assert "2 von 2 Plätzen belegt" in html
    assert "0 von 10 Plätzen belegt" in html
    assert reverse("enrolment_participants", args=[cancelled.pk]) not in html
    # the bar's width is the occupancy in percent
    assert re.search(r'width="100" height="10" fill="#00676a"', html)


def test_go_no_go_flags_dates_below_minimum_within_window(client, editor, settings):
    settings.ENROLMENT_GO_NO_GO_DAYS = 14
    low = course_date(days=7, min_participants=3)
    confirmed(low, 1)
    enough = course_date(days=7, min_participants=1)
    confirmed(enough, 2)
    later = course_date(days=30, min_participants=5)  # outside the window
    no_minimum = course_date(days=3)
    flagged = list(dashboard.below_minimum())
    assert flagged == [low]
    assert dashboard.is_below_minimum(low)
    for date in (enough, later, no_minimum):
        assert not dashboard.is_below_minimum(date)

    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Mindestteilnehmerzahl nicht erreicht" in html
    assert reverse("enrolment_cancel_date", args=[low.pk]) in html
    assert reverse("enrolment_cancel_date", args=[enough.pk]) not in html
    assert '<td class="academy-go-no-go">1 / 3</td>' in html


def test_cancel_date_in_one_action_informs_everyone(client, editor, run):
    date = course_date(capacity=1, days=7, min_participants=3)
    first = confirmed(date, 1)
    waiting = confirmed(date, 2)
    pending = services.request_enrolment(date.pk, person(3)).enrolment
    OutgoingMail.objects.all().delete()
    mail.outbox.clear()

    url = reverse("enrolment_cancel_date", args=[date.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Die Mindestteilnehmerzahl ist nicht erreicht." in page.content.decode()
    # no reason: nothing happens, a message next to the field
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Bitte geben Sie einen Grund" in response.content.decode()
    date.refresh_from_db()
    assert date.status == CourseDate.Status.PLANNED

    response = run(client.post, url, {"reason": "Zu wenige Anmeldungen"})
    assert response.status_code == 302
    date.refresh_from_db()
    assert date.status == CourseDate.Status.CANCELLED
    assert date.cancellation_reason == "Zu wenige Anmeldungen"
    assert date.seats_confirmed == 0
    for enrolment in (first, waiting, pending):
        enrolment.refresh_from_db()
        assert enrolment.status == Enrolment.Status.CANCELLED
        assert enrolment.cancelled_by == Enrolment.CancelledBy.DATE_CANCELLED
    kinds = sorted(OutgoingMail.objects.values_list("kind", "to"))
    assert kinds == [
        ("date_cancelled", "person1@example.org"),
        ("date_cancelled", "person2@example.org"),
    ]
    assert len(mail.outbox) == 2
    assert "fällt aus" in mail.outbox[0].subject

    # publishing the course later does not bring the date back
    page_obj = date.course.get_latest_revision_as_object()
    page_obj.save_revision().publish()
    date.refresh_from_db()
    assert date.status == CourseDate.Status.CANCELLED
    # a second cancel does nothing
    assert services.cancel_course_date(date.pk, "nochmal") == []


def test_mail_failures_and_newest_enrolments(client, editor):
    date = course_date()
    confirmed(date, 1)
    OutgoingMail.objects.create(kind="confirmed", to="a@example.org", subject="Kaputt", text="x")
    OutgoingMail.objects.filter(subject="Kaputt").update(status="failed")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Fehlgeschlagen: 1" in html
    assert "Kaputt" in html
    assert "Neueste Anmeldungen" in html
    assert "Muster-b" in html  # person1's last name


def test_cancel_date_is_staff_only(client):
    date = course_date(days=7, min_participants=3)
    user = UserFactory(username="t")
    user.groups.add(Group.objects.get(name="Trainer"))
    client.force_login(user)
    response = client.get(reverse("enrolment_cancel_date", args=[date.pk]))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")


def test_dashboard_figures_for_a_course_with_trainer(client):
    course = course_page()
    date = course_date(course, capacity=4)
    confirmed(date, 1)
    editor = UserFactory(username="e")
    editor.groups.add(Group.objects.get(name="Redaktion"))
    assert dashboard.occupancy_percent(CourseDate.objects.get(pk=date.pk)) == 25
