"""Trainers as people: invited by the academy staff, password set by a one-time link,
profile linked, account deactivated; the account field of the profile chooses among
staff and trainer accounts only."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse

from courses import trainer_accounts
from courses.models import Trainer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INVITE = reverse("courses_trainer_invite")
ACCOUNTS = reverse("courses_trainer_accounts")


def member(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(client):
    user = member("Redaktion", "redakteurin")
    client.force_login(user)
    return user


def invite(client, django_capture_on_commit_callbacks, **data):
    payload = {"name": "Karla Kunze", "email": "Karla.Kunze@Example.org", "trainer": ""}
    payload.update(data)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(INVITE, payload)


def refused(response) -> bool:
    """The admin answers a refused permission with a redirect to its home page."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def link_in(message) -> str:
    return re.search(r"https?://\S+/password_reset/confirm/\S+/", message.body).group(0)


def test_staff_invite_a_trainer_who_sets_a_password_once(
    client, editor, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://akademie.example.org"
    assert "Trainer/in einladen" in client.get(INVITE).content.decode()

    response = invite(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == ACCOUNTS
    user = get_user_model().objects.get(email="karla.kunze@example.org")
    assert (user.first_name, user.last_name) == ("Karla", "Kunze")
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["Trainer"]
    assert Trainer.objects.get(user=user).name == "Karla Kunze"
    listing = client.get(ACCOUNTS).content.decode()
    assert "karla.kunze@example.org" in listing
    assert "eingeladen, noch kein Passwort" in listing

    [message] = mail.outbox
    assert message.to == ["karla.kunze@example.org"]
    assert "Trainer/in" in message.subject
    assert "Guten Tag Karla Kunze," in message.body
    assert "Ihr Benutzername ist Ihre E-Mail-Adresse: karla.kunze@example.org" in message.body
    assert "Authenticator-App" in message.body
    link = link_in(message)
    assert link.startswith("https://akademie.example.org/admin/password_reset/confirm/")

    # the trainer, not signed in, follows the link and sets a password
    client.logout()
    path = link.removeprefix("https://akademie.example.org")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "Hobelbank-Meissen-42", "new_password2": "Hobelbank-Meissen-42"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Hobelbank-Meissen-42")

    # signs in with it at the admin; the link does not work a second time
    signed_in = client.post(
        reverse("wagtailadmin_login"),
        {"username": "karla.kunze@example.org", "password": "Hobelbank-Meissen-42"},
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    client.logout()
    again = client.get(path, follow=True)
    assert "new_password1" not in again.content.decode()


def test_invite_links_an_existing_profile(client, editor, django_capture_on_commit_callbacks):
    profile = Trainer.objects.create(name="Dr. Paul Petzold")

    invite(
        client,
        django_capture_on_commit_callbacks,
        name="Paul Petzold",
        email="petzold@example.org",
        trainer=profile.pk,
    )

    profile.refresh_from_db()
    assert profile.user.email == "petzold@example.org"
    assert Trainer.objects.count() == 1


def test_invite_refuses_a_known_address_and_keeps_the_input(
    client, editor, django_capture_on_commit_callbacks
):
    UserFactory(username="lernende@example.org")

    response = invite(
        client, django_capture_on_commit_callbacks, email="Lernende@example.org", name="Lea"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Für diese E-Mail-Adresse gibt es schon ein Konto." in html
    assert 'value="Lea"' in html
    assert mail.outbox == []
    assert not Trainer.objects.exists()


def test_resend_gives_a_new_link_while_no_password_is_set(
    client, editor, django_capture_on_commit_callbacks
):
    invite(client, django_capture_on_commit_callbacks)
    user = get_user_model().objects.get(email="karla.kunze@example.org")

    response = client.post(ACCOUNTS, {"user": user.pk})

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["karla.kunze@example.org"]
    assert link_in(mail.outbox[1])


@pytest.mark.parametrize("group", ["Trainer", "Moderation"])
def test_trainers_and_moderation_cannot_manage_trainer_accounts(
    client, group, django_capture_on_commit_callbacks
):
    other = member("Trainer", "andere@example.org")
    client.force_login(member(group, "nicht-redaktion"))

    assert refused(client.get(INVITE))
    assert refused(invite(client, django_capture_on_commit_callbacks))
    assert refused(client.get(ACCOUNTS))
    deactivate = reverse("courses_trainer_deactivate", args=[other.pk])
    assert refused(client.post(deactivate))
    other.refresh_from_db()
    assert other.is_active
    assert not get_user_model().objects.filter(email="karla.kunze@example.org").exists()
    assert mail.outbox == []
    admin_home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert ACCOUNTS not in admin_home


def test_staff_see_the_menu_item(client, editor):
    assert ACCOUNTS in client.get(reverse("wagtailadmin_home")).content.decode()


def test_deactivation_ends_every_session_of_the_trainer(client, editor):
    from django.test import Client

    trainer = member("Trainer", "tina@example.org")
    Trainer.objects.create(name="Tina Trainer", user=trainer)
    phone, laptop = Client(), Client()
    phone.force_login(trainer)
    laptop.force_login(trainer)
    assert phone.get(reverse("learner:trainer")).status_code == 200
    bystander = member("Trainer", "bernd@example.org")
    other_session = Client()
    other_session.force_login(bystander)

    confirm = client.get(reverse("courses_trainer_deactivate", args=[trainer.pk]))
    assert "auf allen Geräten abgemeldet" in confirm.content.decode()
    response = client.post(reverse("courses_trainer_deactivate", args=[trainer.pk]))

    assert response.status_code == 302
    trainer.refresh_from_db()
    assert not trainer.is_active
    assert Trainer.objects.get(name="Tina Trainer").user == trainer
    ids = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(trainer.pk) not in ids
    assert str(bystander.pk) in ids
    for device in (phone, laptop):
        page = device.get(reverse("learner:trainer"))
        assert page.status_code == 302
        assert "/anmelden" in page.url or "login" in page.url
    assert other_session.get(reverse("learner:trainer")).status_code != 302
    assert "deaktiviert" in client.get(ACCOUNTS).content.decode()


def test_staff_accounts_cannot_be_deactivated_here(client, editor):
    colleague = member("Redaktion", "kollege@example.org")

    response = client.post(reverse("courses_trainer_deactivate", args=[colleague.pk]))

    assert response.status_code == 404
    colleague.refresh_from_db()
    assert colleague.is_active


def test_end_sessions_counts_only_that_account():
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    user, other = UserFactory(), UserFactory()
    for owner in (user, user, other):
        session = store()
        session["_auth_user_id"] = str(owner.pk)
        session.create()

    assert trainer_accounts.end_sessions(user) == 2
    assert Session.objects.count() == 1


# -- the account field of the trainer profile ---------------------------------------


CHOOSE = reverse("trainer_account_chooser:choose")
RESULTS = reverse("trainer_account_chooser:choose_results")


def test_account_chooser_offers_staff_and_trainers_not_learners(client, editor):
    trainer = member("Trainer", "tina@example.org")
    trainer.first_name, trainer.last_name = "Tina", "Tischler"
    trainer.save()
    UserFactory(username="lernender@example.org", first_name="Tim", last_name="Tischler")
    course_lead = UserFactory(username="kursleitung@example.org")
    lead_group = Group.objects.create(name="Kursleitung: Test")
    from django.contrib.auth.models import Permission

    lead_group.permissions.add(Permission.objects.get(codename="access_admin"))
    course_lead.groups.add(lead_group)

    response = client.get(CHOOSE)
    assert response.status_code == 200
    html = response.json()["html"]
    assert "tina@example.org" in html
    assert "kursleitung@example.org" in html
    assert "redakteurin" in html
    assert "lernender@example.org" not in html

    found = client.get(RESULTS, {"q": "Tischler"}).content.decode()
    assert "tina@example.org" in found
    assert "lernender@example.org" not in found
    assert "kursleitung@example.org" not in found
    assert "tina@example.org" in client.get(RESULTS, {"q": "tina@"}).content.decode()


def test_trainer_profile_form_uses_the_chooser(client, editor):
    html = client.get(reverse("wagtailsnippets_courses_trainer:add")).content.decode()

    assert CHOOSE in html
    # no select listing every account
    assert '<select name="user"' not in html


def test_chooser_is_closed_to_trainers(client):
    client.force_login(member("Trainer", "tina@example.org"))
    UserFactory(username="lernender@example.org")

    assert refused(client.get(CHOOSE))
    assert refused(client.get(RESULTS, {"q": "lern"}))


@pytest.mark.redis
def test_deactivation_also_ends_the_cached_copy_of_sessions(settings):
    """Production keeps sessions in Redis before the database (cached_db): a session
    deleted only from the table would still open from the cache."""
    from importlib import import_module

    from django.test import Client

    store = import_module(settings.SESSION_ENGINE).SessionStore
    trainer = member("Trainer", "tina@example.org")
    device = Client()
    device.force_login(trainer)
    key = device.cookies[settings.SESSION_COOKIE_NAME].value
    assert store(session_key=key).load().get("_auth_user_id") == str(trainer.pk)

    trainer_accounts.deactivate(trainer)

    assert store(session_key=key).load() == {}
    assert device.get(reverse("learner:trainer")).status_code == 302


def test_after_the_password_the_second_factor_is_set_up_as_for_all_staff(
    client, editor, django_capture_on_commit_callbacks, settings
):
    invite(client, django_capture_on_commit_callbacks)
    client.logout()
    settings.STAFF_TWO_FACTOR = "required"
    path = link_in(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Hobelbank-Meissen-42", "new_password2": "Hobelbank-Meissen-42"},
    )

    client.post(
        reverse("wagtailadmin_login"),
        {"username": "karla.kunze@example.org", "password": "Hobelbank-Meissen-42"},
    )
    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("staffauth:setup"))


def test_the_account_list_costs_the_same_for_two_or_eight_trainers(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for i in range(n):
            user = member("Trainer", f"t{Trainer.objects.count()}-{i}@example.org")
            Trainer.objects.create(name=f"Trainer {user.pk}", user=user)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ACCOUNTS)
        assert response.status_code == 200
        return len(queries)

    add(2)
    few = cost()
    add(6)
    assert cost() == few
    assert client.get(ACCOUNTS).content.decode().count("Deaktivieren<span") == 8


def test_profile_form_refuses_a_learner_account_sent_by_hand(client, editor):
    learner = UserFactory(username="lernender@example.org")
    colleague = member("Trainer", "tina@example.org")
    add = reverse("wagtailsnippets_courses_trainer:add")

    refused_post = client.post(add, {"name": "Lena Lernend", "user": learner.pk})
    accepted = client.post(add, {"name": "Tina Trainer", "user": colleague.pk})

    assert refused_post.status_code == 200
    assert "neue Trainer/innen laden Sie unter" in refused_post.content.decode()
    assert not Trainer.objects.filter(name="Lena Lernend").exists()
    assert accepted.status_code == 302
    assert Trainer.objects.get(name="Tina Trainer").user == colleague


def test_profile_keeps_an_account_linked_before(client, editor):
    """Profiles linked earlier to an account without a role can still be edited."""
    old = UserFactory(username="frueher@example.org")
    profile = Trainer.objects.create(name="Frieda Früher", user=old)

    response = client.post(
        reverse("wagtailsnippets_courses_trainer:edit", args=[profile.pk]),
        {"name": "Frieda Früher-Neu", "user": old.pk},
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.user) == ("Frieda Früher-Neu", old)


def test_profiles_without_account_are_offered_for_invitation(client, editor):
    profile = Trainer.objects.create(name="Dr. Paul Petzold")

    listing = client.get(ACCOUNTS).content.decode()
    form = client.get(INVITE, {"trainer": profile.pk}).content.decode()

    assert f"{INVITE}?trainer={profile.pk}" in listing
    assert 'value="Dr. Paul Petzold"' in form
    assert f'<option value="{profile.pk}" selected>' in form
