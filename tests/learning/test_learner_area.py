"""The learner area: my courses, progress, quiz, calendar feed, data export, deletion."""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from enrolment import services
from enrolment.models import Enrolment
from learning.lessons import LessonPage
from learning.models import LessonProgress, QuizPass
from tests.enrolment.builders import course_date, course_page, person
from tests.factories import build_material

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    course = course_page(title="Digitale Auftragsabwicklung")
    material, lessons = build_material(course, lessons=("Eins", "Zwei", "Drei"))
    quiz = LessonPage.objects.get(pk=lessons[1].pk)
    quiz.body = [
        (
            "quiz",
            {
                "question": "Was gehört ins Aufmaß?",
                "answers": [
                    {"text": "Maße und Fotos", "correct": True},
                    {"text": "Nichts", "correct": False},
                ],
                "explanation": "Maße und Fotos sparen Wege.",
            },
        )
    ]
    quiz.save_revision().publish()
    date = course_date(course)
    outcome = services.request_enrolment(date.pk, person(1))
    services.confirm(outcome.enrolment.pk)
    user = get_user_model().objects.get(username="person1@example.org")
    return {"course": course, "material": material, "lessons": lessons, "user": user, "quiz": quiz}


def test_home_lists_upcoming_dates_material_and_progress(client, setup):
    client.force_login(setup["user"])
    response = client.get(reverse("learner:home"))
    html = response.content.decode()
    assert "Digitale Auftragsabwicklung" in html
    assert "0 von 3 Lektionen erledigt" in html
    assert "/anmeldung/abmelden/" in html  # the cancel link
    assert "kalender" in html
    assert "no-store" in response["Cache-Control"]


def test_mark_lesson_done_and_undo(client, setup):
    client.force_login(setup["user"])
    lesson = setup["lessons"][0]
    page = client.get(lesson.url).content.decode()
    assert "Als erledigt markieren" in page
    response = client.post(reverse("learner:lesson_done", args=[lesson.pk]), {"erledigt": "1"})
    assert response.status_code == 302
    assert LessonProgress.objects.filter(user=setup["user"], lesson=lesson).exists()
    assert "1 von 3 Lektionen erledigt" in client.get(setup["material"].url).content.decode()
    assert "1 von 3 Lektionen erledigt" in client.get(reverse("learner:home")).content.decode()
    client.post(reverse("learner:lesson_done", args=[lesson.pk]), {"erledigt": "0"})
    assert not LessonProgress.objects.filter(user=setup["user"]).exists()


def test_outsider_cannot_mark_done(client, setup):
    outsider = get_user_model().objects.create_user("fremd@example.org", "fremd@example.org")
    client.force_login(outsider)
    response = client.post(reverse("learner:lesson_done", args=[setup["lessons"][0].pk]))
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_quiz_gives_feedback_and_records_a_pass(client, setup):
    client.force_login(setup["user"])
    quiz = setup["quiz"]
    block_id = quiz.body[0].id
    url = reverse("learner:quiz", args=[quiz.pk])
    wrong = client.post(url, {"block": block_id, "antwort": "1"}, follow=True)
    assert "Leider nicht richtig" in wrong.content.decode()
    assert not QuizPass.objects.exists()
    right = client.post(url, {"block": block_id, "antwort": "0"}, follow=True)
    html = right.content.decode()
    assert "Richtig!" in html
    assert "Maße und Fotos sparen Wege." in html
    assert QuizPass.objects.filter(user=setup["user"], block_id=block_id).exists()
    # nonsense input: no error, nothing stored
    assert client.post(url, {"block": "x", "antwort": "abc"}).status_code == 302


def test_personal_calendar_feed_is_secret_and_revocable(client, setup):
    client.force_login(setup["user"])
    client.post(reverse("learner:calendar_new"), {"action": "new"})
    secret = setup["user"].learner_calendar.secret
    home = client.get(reverse("learner:home")).content.decode()
    path = reverse("learner:calendar", args=[secret])
    # a link that opens the calendar app, and the address to copy
    site = settings.SITE_URL.rstrip("/")
    webcal = "webcal://" + site.split("://", 1)[1]
    assert f'href="{webcal}{path}"' in home
    assert f'value="{site}{path}" readonly' in home
    assert "Adresse kopieren" in home
    client.logout()
    feed = client.get(path)
    assert feed.status_code == 200
    assert b"Digitale Auftragsabwicklung" in feed.content
    client.force_login(setup["user"])
    client.post(reverse("learner:calendar_new"), {"action": "revoke"})
    assert client.get(reverse("learner:calendar", args=[secret])).status_code == 404


def test_data_export_contains_own_data_only(client, setup):
    other_date = course_date()
    services.staff_enrol(other_date.pk, person(2))
    client.force_login(setup["user"])
    response = client.get(reverse("learner:data_export"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["Konto"]["E-Mail-Adresse"] == "person1@example.org"
    assert [e["E-Mail-Adresse"] for e in data["Anmeldungen"]] == ["person1@example.org"]


def test_account_deletion_needs_confirmation_then_cancels_and_erases(client, setup):
    user = setup["user"]
    client.force_login(user)
    page = client.get(reverse("learner:delete_account"))
    assert "Digitale Auftragsabwicklung" in page.content.decode()
    client.post(reverse("learner:delete_account"))  # not ticked: nothing happens
    assert get_user_model().objects.filter(pk=user.pk).exists()
    response = client.post(reverse("learner:delete_account"), {"bestaetigt": "1"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    enrolment = Enrolment.objects.get()
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert enrolment.email == "" and enrolment.anonymised_at is not None
    assert enrolment.course_date.seats_confirmed == 0
    assert client.get(reverse("learner:home")).status_code == 302
