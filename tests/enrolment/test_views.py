import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseDate
from enrolment import services, tokens
from enrolment.models import Enrolment
from tests.enrolment.builders import confirmed, course_date, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def call(url, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **kwargs)

    return call


def form_data(n=1, **overrides):
    data = {k: v for k, v in person(n).items() if k != "billing"}
    data["consent"] = "on"
    data.update(overrides)
    return data


def link(message, name):
    return re.search(rf"https://akademie\.example\.org(/anmeldung/{name}/[^/\s]+/)", message.body)[
        1
    ]


def test_form_renders_with_labels_and_no_pre_ticked_consent(client):
    date = course_date()
    response = client.get(reverse("enrolment:enrol", args=[date.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anmeldung" in html and date.course.title in html
    assert 'name="consent"' in html and "checked" not in html.split('name="consent"')[1][:80]
    assert 'autocomplete="given-name"' in html
    assert "Bitte lassen Sie dieses Feld leer" in html
    assert 'name="billing"' not in html  # free course
    assert "<legend" in html


def test_priced_course_asks_for_billing(client, post):
    date = course_date(price_override=120)
    response = post(reverse("enrolment:enrol", args=[date.pk]), form_data())
    assert response.status_code == 400
    assert "Bitte wählen Sie, an wen die Rechnung gehen soll." in response.content.decode()
    response = post(reverse("enrolment:enrol", args=[date.pk]), form_data(billing="company"))
    assert response.status_code == 302
    assert Enrolment.objects.get().billing == "company"


def test_full_walk_enrol_confirm_cancel(client, post):
    date = course_date(capacity=1)
    response = post(reverse("enrolment:enrol", args=[date.pk]), form_data(1))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Bitte prüfen Sie Ihr Postfach" in page.content.decode()

    confirm_path = link(mail.outbox[-1], "bestaetigen")
    # A GET (as a mail scanner does) changes nothing.
    page = client.get(confirm_path)
    assert "Anmeldung jetzt bestätigen" in page.content.decode()
    assert Enrolment.objects.get().status == "pending"

    response = post(confirm_path)
    assert response.status_code == 302
    page = client.get(confirm_path)
    assert "Sie sind angemeldet" in page.content.decode()
    assert "Laptop oder Tablet" in page.content.decode()
    date.refresh_from_db()
    assert date.seats_confirmed == 1
    assert "Sie sind angemeldet" in mail.outbox[-1].body

    # a second person lands on the waitlist
    post(reverse("enrolment:enrol", args=[date.pk]), form_data(2))
    second_confirm = link(mail.outbox[-1], "bestaetigen")
    post(second_confirm)
    assert "Sie stehen auf Platz 1 der Warteliste" in client.get(second_confirm).content.decode()

    # the first cancels through the link in the mail
    first_confirmed_mail = next(
        m for m in mail.outbox if m.subject.startswith("Sie sind angemeldet")
    )
    cancel_path = link(first_confirmed_mail, "abmelden")
    assert "Ja, Teilnahme absagen" in client.get(cancel_path).content.decode()
    assert Enrolment.objects.filter(status="confirmed").count() == 1
    post(cancel_path)
    assert "Ihre Teilnahme ist abgesagt" in client.get(cancel_path).content.decode()
    second = Enrolment.objects.get(email="person2@example.org")
    assert second.status == "confirmed"
    assert mail.outbox[-1].to == ["person2@example.org"]
    assert "nachgerückt" in mail.outbox[-1].body


def test_confirm_link_used_twice_is_harmless(client, post):
    date = course_date()
    enrolment = services.request_enrolment(date.pk, person(1)).enrolment
    path = reverse("enrolment:confirm", args=[tokens.make_token(enrolment, tokens.CONFIRM)])
    post(path)
    post(path)
    date.refresh_from_db()
    assert date.seats_confirmed == 1
    assert "Sie sind angemeldet" in client.get(path).content.decode()


def test_expired_link_says_so(client, post, settings):
    date = course_date()
    enrolment = services.request_enrolment(date.pk, person(1)).enrolment
    Enrolment.objects.filter(pk=enrolment.pk).update(
        created_at=timezone.now() - timedelta(hours=49)
    )
    path = reverse("enrolment:confirm", args=[tokens.make_token(enrolment, tokens.CONFIRM)])
    assert "Dieser Link ist abgelaufen" in client.get(path).content.decode()
    post(path)
    assert "Dieser Link ist abgelaufen" in client.get(path).content.decode()
    date.refresh_from_db()
    assert date.seats_confirmed == 0


@pytest.mark.parametrize("name", ["confirm", "cancel"])
def test_tampered_or_foreign_links_are_404(client, name):
    date = course_date()
    enrolment = confirmed(date, 1)
    good = tokens.make_token(enrolment, tokens.CONFIRM if name == "confirm" else tokens.CANCEL)
    other = tokens.make_token(enrolment, tokens.CANCEL if name == "confirm" else tokens.CONFIRM)
    for token in [good[:-2] + "xx", other, "abc", "1:" + good]:
        assert client.get(reverse(f"enrolment:{name}", args=[token])).status_code == 404
        assert client.post(reverse(f"enrolment:{name}", args=[token])).status_code == 404


def test_links_use_the_canonical_site_url_whatever_the_host(client, post, settings):
    settings.ALLOWED_HOSTS = ["*"]
    date = course_date()
    post(
        reverse("enrolment:enrol", args=[date.pk]),
        form_data(),
        HTTP_HOST="evil.example.com",
        HTTP_X_FORWARDED_HOST="evil.example.com",
    )
    assert "evil.example.com" not in mail.outbox[-1].body
    assert "https://akademie.example.org/anmeldung/bestaetigen/" in mail.outbox[-1].body


def test_cancel_after_deadline_shows_whom_to_call(client, post):
    date = course_date(days=0, capacity=2)
    CourseDate.objects.filter(pk=date.pk).update(start=timezone.now() + timedelta(hours=5))
    enrolment = confirmed(date, 1)
    path = reverse("enrolment:cancel", args=[tokens.make_token(enrolment, tokens.CANCEL)])
    html = client.get(path).content.decode()
    assert "Bitte rufen Sie uns an" in html
    assert "03521 4768-12" in html
    assert "Ja, Teilnahme absagen" not in html
    post(path)
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"


def test_double_submission_gets_the_same_answer_and_one_enrolment(client, post):
    date = course_date()
    first = post(reverse("enrolment:enrol", args=[date.pk]), form_data())
    second = post(
        reverse("enrolment:enrol", args=[date.pk]), form_data(email="PERSON1@Example.org")
    )
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Enrolment.objects.count() == 1
    assert len(mail.outbox) == 2  # the second mail goes to the address, not to the page


def test_already_confirmed_address_gets_details_by_mail_only(client, post):
    date = course_date()
    confirmed(date, 1)
    mail.outbox.clear()
    response = post(reverse("enrolment:enrol", args=[date.pk]), form_data(1))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "schon" not in page
    assert "schon eine Anmeldung" in mail.outbox[0].body


def test_honeypot_gets_the_same_answer_and_stores_nothing(client, post):
    date = course_date()
    response = post(reverse("enrolment:enrol", args=[date.pk]), form_data(website="http://spam"))
    assert response.status_code == 302
    assert response["Location"] == reverse("enrolment:sent", args=[date.pk])
    assert not Enrolment.objects.exists()
    assert mail.outbox == []


@pytest.mark.redis
def test_rate_limit_per_address(client, post, settings):
    settings.ENROLMENT_RATE_LIMIT = {"ip": (100, 3600), "email": (2, 3600)}
    date = course_date()
    for _ in range(2):
        assert post(reverse("enrolment:enrol", args=[date.pk]), form_data()).status_code == 302
    response = post(reverse("enrolment:enrol", args=[date.pk]), form_data())
    assert response.status_code == 429
    html = response.content.decode()
    # when to try again (the window's time left, from Redis) and whom to call
    assert re.search(r"versuchen Sie es in (59|60) Minuten noch einmal", html)
    assert 'href="tel:' in html
    assert 'value="Erika"' in html  # what was typed is kept


@pytest.mark.redis
def test_failed_submissions_do_not_use_up_the_limit(client, post, settings):
    """A guild office that mistypes a few times still books its people."""
    settings.ENROLMENT_RATE_LIMIT = {"ip": (2, 3600), "email": (100, 3600)}
    date = course_date()
    url = reverse("enrolment:enrol", args=[date.pk])
    for n in range(5):
        assert post(url, {**form_data(n), "email": "kein-at-zeichen"}).status_code == 400
    for n in range(2):
        assert post(url, form_data(n)).status_code == 302
    assert post(url, form_data(3)).status_code == 429
    assert Enrolment.objects.count() == 2


@pytest.mark.redis
def test_a_flood_of_submissions_is_stopped_whatever_they_hold(client, post, settings):
    settings.ENROLMENT_RATE_LIMIT = {"ip": (100, 3600), "email": (100, 3600), "attempts": (3, 3600)}
    url = reverse("enrolment:enrol", args=[course_date().pk])
    answers = [post(url, {"first_name": "x"}).status_code for _ in range(5)]
    assert answers == [400, 400, 400, 429, 429]


@pytest.mark.redis
def test_signed_in_learners_have_a_larger_budget(client, post, settings):
    from django.contrib.auth import get_user_model

    settings.ENROLMENT_RATE_LIMIT = {
        "ip": (2, 3600),
        "ip_learner": (4, 3600),
        "email": (100, 3600),
    }
    url = reverse("enrolment:enrol", args=[course_date(capacity=20).pk])
    client.force_login(get_user_model().objects.create(username="innung@example.org"))
    answers = [post(url, form_data(n)).status_code for n in range(5)]
    assert answers == [302, 302, 302, 302, 429]
    client.logout()
    # anonymous visitors from the same address count on their own budget
    assert [post(url, form_data(n)).status_code for n in range(5, 8)] == [302, 302, 429]


@pytest.mark.redis
def test_rate_limit_per_ip(client, post, settings):
    settings.ENROLMENT_RATE_LIMIT = {"ip": (3, 3600), "email": (100, 3600)}
    date = course_date()
    for n in range(3):
        assert post(reverse("enrolment:enrol", args=[date.pk]), form_data(n)).status_code == 302
    response = post(reverse("enrolment:enrol", args=[date.pk]), form_data(9))
    assert response.status_code == 429
    assert Enrolment.objects.count() == 3
    other = post(reverse("enrolment:enrol", args=[date.pk]), form_data(10), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


@pytest.mark.parametrize(
    "fields, text",
    [
        ({"status": "cancelled", "cancellation_reason": "Krank"}, "abgesagt"),
        ({"registration_deadline": timezone.now() - timedelta(minutes=1)}, "Anmeldeschluss"),
        ({"days": -1}, "begonnen"),
    ],
)
def test_closed_dates_say_so_on_get_and_post(client, post, fields, text):
    date = course_date(**fields)
    for response in (
        client.get(reverse("enrolment:enrol", args=[date.pk])),
        post(reverse("enrolment:enrol", args=[date.pk]), form_data()),
    ):
        assert response.status_code == 200
        html = response.content.decode()
        assert text in html
        assert "Verbindlich anmelden" not in html
    assert not Enrolment.objects.exists()


def test_unknown_or_unpublished_date_is_404(client):
    assert client.get(reverse("enrolment:enrol", args=[999999])).status_code == 404
    date = course_date()
    date.course.unpublish()
    assert client.get(reverse("enrolment:enrol", args=[date.pk])).status_code == 404


def test_missing_csrf_token_is_refused(post):
    from django.test import Client

    date = course_date()
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("enrolment:enrol", args=[date.pk]), form_data())
    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_pages_behind_links_are_not_cached(client):
    date = course_date()
    enrolment = confirmed(date, 1)
    path = reverse("enrolment:cancel", args=[tokens.make_token(enrolment, tokens.CANCEL)])
    assert "no-store" in client.get(path)["Cache-Control"]


def test_client_ip_behind_a_trusted_proxy(rf, settings):
    from enrolment.ratelimit import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    settings.TRUSTED_PROXIES = []
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request) == "203.0.113.9"


def test_huge_request_body_is_refused(client):
    date = course_date()
    data = form_data(remarks="x" * (6 * 1024 * 1024))
    response = client.post(reverse("enrolment:enrol", args=[date.pk]), data)
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_confirm_link_of_a_date_cancelled_meanwhile_says_so(client, post):
    date = course_date()
    enrolment = services.request_enrolment(date.pk, person(1)).enrolment
    CourseDate.objects.filter(pk=date.pk).update(status="cancelled", cancellation_reason="Krank")
    path = reverse("enrolment:confirm", args=[tokens.make_token(enrolment, tokens.CONFIRM)])
    post(path)
    html = client.get(path).content.decode()
    assert "Bestätigung nicht mehr möglich" in html
    assert "abgesagt" in html
    date.refresh_from_db()
    assert date.seats_confirmed == 0


def test_waitlisted_person_can_leave_the_waitlist(client, post):
    date = course_date(capacity=1)
    confirmed(date, 1)
    waiting = confirmed(date, 2)
    third = confirmed(date, 3)
    path = reverse("enrolment:cancel", args=[tokens.make_token(waiting, tokens.CANCEL)])
    assert "Platz 1 der Warteliste" in client.get(path).content.decode()
    post(path)
    third.refresh_from_db()
    assert third.waitlist_position == 1
    date.refresh_from_db()
    assert date.seats_confirmed == 1
