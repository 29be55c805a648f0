"""Sign-in by one-time link: account on confirmation, GET vs POST, expiry, reuse,
no enumeration, rate limit, the outbox, links only for learners, sign-out
everywhere."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrolment import services, tokens
from enrolment.mail import deliver
from enrolment.models import OutgoingMail
from tests.enrolment.builders import course_date, person
from tests.factories import TrainerFactory

pytestmark = pytest.mark.django_db

DOWN = "tests.enrolment.failing_backend.DownBackend"


def link_from_mail(message) -> str:
    return re.search(r"https?://\S+/lernen/link/[^/\s]+/", message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Request a sign-in link as a visitor does; the background work runs after commit."""

    def ask(email, browser=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (browser or client).post(reverse("learner:signin"), {"email": email})

    return ask


@pytest.fixture
def learner():
    date = course_date()
    outcome = services.request_enrolment(date.pk, person(1, email="Lena.Lehmann@Example.org"))
    services.confirm(outcome.enrolment.pk)
    mail.outbox.clear()
    return get_user_model().objects.get(username="lena.lehmann@example.org")


def signed_in_by_link(ask, learner, browser) -> None:
    mail.outbox.clear()
    ask(learner.email, browser)
    browser.post(path_of(link_from_mail(mail.outbox[-1])))
    assert browser.session["_auth_user_id"] == str(learner.pk)


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


def test_link_get_changes_nothing_post_signs_in_once(client, learner, ask):
    response = ask("LENA.lehmann@example.org")
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


def test_expired_link_is_refused(client, learner, ask, settings):
    ask(learner.email)
    path = path_of(link_from_mail(mail.outbox[0]))
    settings.SESAME_MAX_AGE = -1
    response = client.post(path)
    assert response.status_code == 400
    assert "Neuen Link anfordern" in response.content.decode()


def test_tampered_link_is_refused(client, learner):
    response = client.post("/lernen/link/abc123/")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_same_answer_for_known_and_unknown_addresses(client, learner, ask):
    known = ask(learner.email)
    unknown = ask("niemand@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content


def test_staff_enrolled_person_gets_an_account_on_request(ask):
    date = course_date()
    services.staff_enrol(date.pk, person(3))
    mail.outbox.clear()
    ask("person3@example.org")
    assert len(mail.outbox) == 1
    assert get_user_model().objects.filter(username="person3@example.org").exists()


@pytest.mark.redis
def test_sign_in_requests_are_rate_limited(client, learner, ask, settings):
    settings.LEARNER_SIGNIN_RATE_LIMIT = {"ip": (20, 3600), "email": (2, 3600)}
    for _ in range(2):
        assert ask(learner.email).status_code == 302
    response = ask(learner.email)
    assert response.status_code == 429
    assert len(mail.outbox) == 2
    # the count lives in the shared cache: another app server (here: a new
    # client and a fresh handler) sees it
    assert ask(learner.email, Client()).status_code == 429


def test_invalid_address_gets_a_message_next_to_the_field(client):
    response = client.post(reverse("learner:signin"), {"email": "kein-at"})
    assert response.status_code == 400
    assert "gültige E-Mail-Adresse" in response.content.decode()


def test_old_confirm_link_does_not_sign_in_again(client, learner):
    from enrolment.models import Enrolment

    enrolment = Enrolment.objects.get(email=learner.email)
    client.post(path_of(tokens.confirm_url(enrolment)))
    assert "_auth_user_id" not in client.session


# --- The sign-in mail goes through the outbox ------------------------------------


def test_signin_mail_goes_through_the_outbox_without_the_link_stored(learner, ask):
    ask(learner.email)
    outgoing = OutgoingMail.objects.get(kind="learner_signin")
    assert outgoing.to == learner.email
    assert outgoing.status == OutgoingMail.Status.SENT
    assert outgoing.enrolment is None
    # the link is a credential: it is made when the mail is sent, never stored
    assert "/lernen/link/" not in outgoing.text + outgoing.html
    assert "/lernen/link/" in mail.outbox[0].body
    assert "/lernen/link/" in mail.outbox[0].alternatives[0][0]


def test_signin_link_survives_a_mail_server_outage(client, learner, ask, settings):
    settings.EMAIL_BACKEND = DOWN
    assert ask(learner.email).status_code == 302
    outgoing = OutgoingMail.objects.get(kind="learner_signin")
    assert outgoing.status == OutgoingMail.Status.PENDING
    assert outgoing.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMail.objects.filter(pk=outgoing.pk).update(next_attempt_at=outgoing.created_at)
    assert deliver(outgoing.pk)
    client.post(path_of(link_from_mail(mail.outbox[-1])))
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_the_link_works_from_the_development_mail_file(client, learner, ask, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    ask(learner.email)
    (written,) = list(tmp_path.iterdir())
    text = written.read_text()
    url = re.search(r"https?://\S+/lernen/link/[^/\s]+/", text).group(0)
    assert client.post(path_of(url)).status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_the_request_does_the_same_work_for_known_and_unknown_addresses(
    client, learner, settings, django_capture_on_commit_callbacks
):
    """The answer must not tell (by time) whether an address is known: the request
    only queues a task, whatever the address; the task decides."""
    from django.db import connection
    from django_tasks import default_task_backend

    from learning.tasks import send_signin_link

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.get(reverse("learner:signin"))  # the site and its settings are cached now
    queries = {}
    for email in (learner.email, "niemand@example.org"):
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post(reverse("learner:signin"), {"email": email})
        assert response.status_code == 302
        queries[email] = [q["sql"] for q in captured.captured_queries]
    assert queries[learner.email] == queries["niemand@example.org"]
    assert not OutgoingMail.objects.filter(kind="learner_signin").exists()
    assert mail.outbox == []
    enqueued = [(r.task.name, r.args) for r in default_task_backend.results]
    assert enqueued == [
        (send_signin_link.name, [learner.email]),
        (send_signin_link.name, ["niemand@example.org"]),
    ]
    # the background task decides: a mail only for the learner
    assert send_signin_link.call(learner.email) is True
    assert send_signin_link.call("niemand@example.org") is False
    signin_mails = OutgoingMail.objects.filter(kind="learner_signin")
    assert list(signin_mails.values_list("to", flat=True)) == [learner.email]


# --- Links are for learners only -------------------------------------------------


def _staff_flag(user):
    user.is_staff = True
    user.save()


def _superuser(user):
    user.is_superuser = True
    user.save()


def _editor(user):
    user.groups.add(Group.objects.get(name="Redaktion"))


def _admin_permission(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )


def _trainer(user):
    TrainerFactory(user=user)


def _password(user):
    user.set_password("ein-langes-Passwort-2026")
    user.save()


ROLES = {
    "is_staff": _staff_flag,
    "superuser": _superuser,
    "Redaktion": _editor,
    "access_admin": _admin_permission,
    "trainer": _trainer,
    "password": _password,
}


@pytest.fixture(params=sorted(ROLES))
def give_role(request):
    return ROLES[request.param]


def test_accounts_with_a_role_or_password_get_no_link(client, ask, give_role):
    """chefin@example.org of the Redaktion could sign in by link: now she gets the
    same answer as an unknown address and no mail."""
    User = get_user_model()
    chefin = User.objects.create_user("chefin@example.org", "chefin@example.org")
    give_role(chefin)
    date = course_date()
    services.staff_enrol(date.pk, person(9, email="chefin@example.org"))
    mail.outbox.clear()
    answer = ask("chefin@example.org")
    unknown = ask("niemand@example.org")
    assert answer.status_code == unknown.status_code == 302
    assert answer["Location"] == unknown["Location"]
    assert mail.outbox == []
    assert not OutgoingMail.objects.filter(kind="learner_signin").exists()


def test_confirming_an_enrolment_does_not_sign_in_staff(client):
    User = get_user_model()
    chefin = User.objects.create_user(
        "chefin@example.org", "chefin@example.org", "ein-langes-Passwort-2026"
    )
    chefin.groups.add(Group.objects.get(name="Redaktion"))
    date = course_date()
    outcome = services.request_enrolment(date.pk, person(9, email="chefin@example.org"))
    response = client.post(path_of(tokens.confirm_url(outcome.enrolment)))
    assert response.status_code == 302
    outcome.enrolment.refresh_from_db()
    assert outcome.enrolment.status == "confirmed"  # the seat is hers
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/django-admin/")["Location"].startswith("/django-admin/login/")


def test_confirming_an_enrolment_does_not_sign_in_a_trainer(client):
    User = get_user_model()
    trainer = User.objects.create_user("trainerin@example.org", "trainerin@example.org")
    TrainerFactory(user=trainer)
    date = course_date()
    outcome = services.request_enrolment(date.pk, person(8, email="trainerin@example.org"))
    client.post(path_of(tokens.confirm_url(outcome.enrolment)))
    outcome.enrolment.refresh_from_db()
    assert outcome.enrolment.status == "confirmed"
    assert "_auth_user_id" not in client.session


def test_learner_who_gets_a_role_loses_the_link_and_the_session(client, learner, ask, give_role):
    signed_in_by_link(ask, learner, client)
    ask(learner.email)
    unused = path_of(link_from_mail(mail.outbox[-1]))
    give_role(learner)
    # the link sent before is refused
    other = Client()
    assert other.post(unused).status_code == 400
    assert "_auth_user_id" not in other.session
    # and the session a link opened no longer carries the account
    response = client.get(reverse("learner:home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/lernen/anmelden/")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_mail_queued_before_a_role_was_given_is_not_sent(learner, settings, ask):
    settings.EMAIL_BACKEND = DOWN
    ask(learner.email)
    outgoing = OutgoingMail.objects.get(kind="learner_signin")
    _editor(learner)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMail.objects.filter(pk=outgoing.pk).update(next_attempt_at=outgoing.created_at)
    assert not deliver(outgoing.pk)
    assert mail.outbox == []
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.FAILED


# --- Sign-out everywhere, with the production session engine -------------------------


@pytest.mark.redis
def test_sign_out_everywhere_ends_sessions_kept_in_redis(client, learner, ask, settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    phone, laptop = Client(), Client()
    signed_in_by_link(ask, learner, phone)
    signed_in_by_link(ask, learner, laptop)
    assert phone.get(reverse("learner:home")).status_code == 200
    ask(learner.email)
    unused = path_of(link_from_mail(mail.outbox[-1]))

    laptop.post(reverse("learner:signout"), {"everywhere": "1"})

    for browser in (phone, laptop):
        response = browser.get(reverse("learner:home"))
        assert response.status_code == 302
        assert response["Location"].startswith("/lernen/anmelden/")
    # a link sent before, not yet used, is void as well
    assert Client().post(unused).status_code == 400


@pytest.mark.redis
def test_sign_out_everywhere_reaches_sessions_only_in_the_cache(learner, ask):
    """cached_db answers from Redis without asking the database: a session whose row
    is gone (or was never read back) must still end."""
    from django.contrib.sessions.models import Session

    phone = Client()
    signed_in_by_link(ask, learner, phone)
    Session.objects.all().delete()  # only the cached copy is left
    assert phone.get(reverse("learner:home")).status_code == 200

    from learning.learner import sign_out_everywhere

    sign_out_everywhere(learner)
    assert phone.get(reverse("learner:home")).status_code == 302


def test_sign_out_everywhere_ends_other_sessions(client, learner):
    other = Client()
    other.force_login(learner)
    client.force_login(learner)
    client.post(reverse("learner:signout"), {"everywhere": "1"})
    assert other.get(reverse("learner:home")).status_code == 302
    assert client.get(reverse("learner:home")).status_code == 302
