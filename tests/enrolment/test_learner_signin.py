"""Sign-in by one-time link: account on confirmation, GET vs POST, expiry, reuse,
no enumeration, rate limit, sign-out everywhere."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from enrolment import services, tokens
from tests.enrolment.builders import course_date, person

pytestmark = pytest.mark.django_db


def link_from_mail(message) -> str:
    return re.search(r"https?://\S+/lernen/link/[^/\s]+/", message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def learner():
    date = course_date()
    outcome = services.request_enrolment(date.pk, person(1, email="Lena.Lehmann@Example.org"))
    services.confirm(outcome.enrolment.pk)
    mail.outbox.clear()
    return get_user_model().objects.get(username="lena.lehmann@example.org")


def test_confirmation_creates_account_keyed_by_lowercase_email_and_signs_in(client):
    date = course_date()
    outcome = services.request_enrolment(date.pk, person(2, email="Max@Example.org"))
    url = path_of(tokens.confirm_url(outcome.enrolment))
    client.post(url)
    user = get_user_model().objects.get(username="max@example.org")
    assert user.email == "max@example.org"
    assert not user.has_usable_password()
    assert client.get(reverse("learner:home")).status_code == 200
    # a second enrolment of the same address links the same account
    other = course_date()
    again = services.request_enrolment(other.pk, person(2, email="MAX@example.org"))
    services.confirm(again.enrolment.pk)
    assert get_user_model().objects.filter(username__iexact="max@example.org").count() == 1


def test_learner_pages_need_sign_in(client):
    response = client.get(reverse("learner:home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/lernen/anmelden/")


def test_link_get_changes_nothing_post_signs_in_once(client, learner):
    response = client.post(reverse("learner:signin"), {"email": "LENA.lehmann@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    url = link_from_mail(mail.outbox[0])
    assert url.startswith("https://akademie.example.org/lernen/link/")
    path = path_of(url)
    page = client.get(path)
    assert page.status_code == 200
    assert "Jetzt anmelden" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    client.get(path)  # a mail scanner fetching twice does not use it up
    assert "_auth_user_id" not in client.session
    response = client.post(path)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)
    # used once: a second POST (another browser) is refused
    client.logout()
    again = client.post(path)
    assert again.status_code == 400
    assert "_auth_user_id" not in client.session


def test_expired_link_is_refused(client, learner, settings):
    from django.core.signing import TimestampSigner  # noqa: F401

    client.post(reverse("learner:signin"), {"email": learner.email})
    path = path_of(link_from_mail(mail.outbox[0]))
    settings.SESAME_MAX_AGE = -1
    response = client.post(path)
    assert response.status_code == 400
    assert "Neuen Link anfordern" in response.content.decode()


def test_tampered_link_is_refused(client, learner):
    response = client.post("/lernen/link/abc123/")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_same_answer_for_known_and_unknown_addresses(client, learner):
    known = client.post(reverse("learner:signin"), {"email": learner.email})
    unknown = client.post(reverse("learner:signin"), {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content


def test_staff_enrolled_person_gets_an_account_on_request(client):
    date = course_date()
    services.staff_enrol(date.pk, person(3))
    mail.outbox.clear()
    client.post(reverse("learner:signin"), {"email": "person3@example.org"})
    assert len(mail.outbox) == 1
    assert get_user_model().objects.filter(username="person3@example.org").exists()


def test_sign_in_requests_are_rate_limited(client, learner, settings):
    settings.LEARNER_SIGNIN_RATE_LIMIT = {"ip": (20, 3600), "email": (2, 3600)}
    for _ in range(2):
        assert client.post(reverse("learner:signin"), {"email": learner.email}).status_code == 302
    response = client.post(reverse("learner:signin"), {"email": learner.email})
    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_invalid_address_gets_a_message_next_to_the_field(client):
    response = client.post(reverse("learner:signin"), {"email": "kein-at"})
    assert response.status_code == 400
    assert "gültige E-Mail-Adresse" in response.content.decode()


def test_sign_out_everywhere_ends_other_sessions(client, learner):
    from django.test import Client

    other = Client()
    other.force_login(learner)
    client.force_login(learner)
    client.post(reverse("learner:signout"), {"everywhere": "1"})
    assert other.get(reverse("learner:home")).status_code == 302
    assert client.get(reverse("learner:home")).status_code == 302


def test_old_confirm_link_does_not_sign_in_again(client, learner):
    from enrolment.models import Enrolment

    enrolment = Enrolment.objects.get(email=learner.email)
    client.post(path_of(tokens.confirm_url(enrolment)))
    assert "_auth_user_id" not in client.session
