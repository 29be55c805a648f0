"""Enrolment that says what will happen: the waitlist before sending, the next steps
after, one step for a signed-in learner, and words that tell cancelling a course
from signing out."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from courses.models import CourseDate
from enrolment import tokens
from enrolment.models import Enrolment
from learning import learner
from tests.enrolment.builders import confirmed, course_date

from .test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def send(path, data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {}, **extra)

    return send


def test_a_full_date_says_before_sending_that_it_is_the_waitlist(client):
    date = course_date(capacity=1)
    confirmed(date, 1)
    enrol = reverse("enrolment:enrol", args=[date.pk])
    html = client.get(enrol).content.decode()
    assert "Dieser Termin ist ausgebucht – Sie kommen auf die Warteliste (Platz 1)." in html
    assert "Auf die Warteliste setzen" in html
    assert "Verbindlich anmelden" not in html
    CourseDate.objects.filter(pk=date.pk).update(capacity=3)
    html = client.get(enrol).content.decode()
    assert "Warteliste (Platz" not in html and "Verbindlich anmelden" in html


def test_the_confirmed_page_and_mail_say_what_comes_next(client, post):
    date = course_date(capacity=5, is_online=True, city="", venue_name="Videokonferenz")
    post(reverse("enrolment:enrol", args=[date.pk]), form_data(1))
    enrolment = Enrolment.objects.get()
    page = reverse("enrolment:confirm", args=[tokens.make_token(enrolment, tokens.CONFIRM)])
    post(page)
    html = client.get(page).content.decode()
    assert "So geht es weiter" in html
    assert "Kostenlos absagen können Sie bis" in html
    assert f"termin/{date.pk}/kalender/" in html
    assert "Zugangsdaten" in html  # an online date
    assert f'href="{reverse("learner:home")}"' in html
    seat_mail = mail.outbox[-1]
    assert seat_mail.subject.startswith("Sie sind angemeldet")
    assert "Kostenlos absagen können Sie bis" in seat_mail.body
    assert "https://akademie.example.org/lernen/" in seat_mail.body
    assert "Teilnahme absagen: https://akademie.example.org/anmeldung/" in seat_mail.body


def test_a_signed_in_learner_books_in_one_step_with_the_form_filled_in(client, post):
    first = confirmed(course_date(capacity=5), 1)
    user = learner.link_user(first)
    client.force_login(user)
    second = course_date(capacity=5)
    enrol = reverse("enrolment:enrol", args=[second.pk])
    html = client.get(enrol).content.decode()
    assert f'value="{user.email}"' in html
    assert f'value="{first.phone}"' in html
    assert "ohne Bestätigungs-E-Mail" in html
    mail.outbox.clear()

    response = post(enrol, form_data(1))
    enrolment = Enrolment.objects.get(course_date=second)
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert response.status_code == 302
    assert response["Location"] == tokens.confirm_path(enrolment)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Sie sind angemeldet"]
    home = client.get(reverse("learner:home")).content.decode()
    assert home.count("Teilnahme absagen") == 2


def test_for_another_address_a_signed_in_learner_confirms_by_mail_as_anyone(client, post):
    user = learner.link_user(confirmed(course_date(capacity=5), 1))
    client.force_login(user)
    date = course_date(capacity=5)
    post(reverse("enrolment:enrol", args=[date.pk]), form_data(2))
    enrolment = Enrolment.objects.get(course_date=date)
    assert enrolment.status == Enrolment.Status.PENDING
    assert "bestaetigen" in mail.outbox[-1].body


def test_learners_leave_a_waitlist_from_their_learner_area(client, post):
    date = course_date(capacity=1)
    confirmed(date, 1)
    waiting = confirmed(date, 2)
    assert waiting.status == Enrolment.Status.WAITLISTED
    client.force_login(learner.link_user(waiting))
    home = client.get(reverse("learner:home")).content.decode()
    leave = reverse("enrolment:cancel", args=[tokens.make_token(waiting, tokens.CANCEL)])
    assert "Warteliste verlassen" in home
    link = tokens.cancel_url(waiting)
    assert link in home or leave in home
    page = client.get(leave).content.decode()
    assert "Ja, Warteliste verlassen" in page
    response = post(leave)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CANCELLED
    assert (
        "Sie stehen nicht mehr auf der Warteliste"
        in client.get(response["Location"]).content.decode()
    )


def test_signing_out_and_cancelling_have_their_own_words(client, post):
    enrolment = confirmed(course_date(capacity=3), 1)
    cancel = reverse("enrolment:cancel", args=[tokens.make_token(enrolment, tokens.CANCEL)])
    html = client.get(cancel).content.decode()
    text = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])
    assert "Teilnahme absagen" in text and "abmelden" not in text.lower()
    post(cancel)
    assert "Ihre Teilnahme ist abgesagt" in client.get(cancel).content.decode()
