"""The invite page of the trainer accounts: axe-clean empty, with errors and after
sending."""

import importlib

import pytest
from django.contrib.auth.models import Group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Werkbank-2026-Test"  # noqa: S105 - test accounts only


@pytest.fixture
def editor(live_server, settings):
    from tests.factories import UserFactory

    settings.SITE_URL = live_server.url
    roles = importlib.import_module("enrolment.migrations.0002_editor_roles")
    roles._ensure_permissions = lambda apps: None  # post_migrate made them after the flush
    from django.apps import apps

    roles.create_roles(apps, None)
    user = UserFactory(username="redaktion")
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="Redaktion"))
    return user


def test_invite_page_is_accessible_and_sends_the_invitation(browser_page, editor):
    from django.core import mail

    from courses.models import Trainer

    page = browser_page
    page.page.goto(page.base_url + "/admin/login/")
    page.page.fill("#id_username", "redaktion")
    page.page.fill("#id_password", PASSWORD)
    page.page.locator("form button[type=submit]").click()
    page.page.wait_for_url("**/admin/")

    page.goto("/admin/trainerkonten/einladen/")
    page.page.get_by_label("E-Mail-Adresse").fill("keine-adresse")
    page.page.get_by_role("button", name="Einladung senden").click()
    page.page.wait_for_load_state()
    assert page.page.get_by_text("gültige E-Mail-Adresse").is_visible()
    page.assert_accessible()

    page.page.get_by_label("Name").first.fill("Karla Kunze")
    page.page.get_by_label("E-Mail-Adresse").fill("karla@example.org")
    page.page.get_by_role("button", name="Einladung senden").click()
    page.page.wait_for_url("**/admin/trainerkonten/")
    # the admin's message fades in: check the colours it ends with
    page.page.wait_for_function(
        "document.querySelector('.messages').getAnimations({subtree: true})"
        ".every((a) => a.playState !== 'running')"
    )
    page.assert_accessible()
    assert page.page.get_by_text("eingeladen, noch kein Passwort").is_visible()
    assert Trainer.objects.get(user__email="karla@example.org").name == "Karla Kunze"
    assert [message.to for message in mail.outbox] == [["karla@example.org"]]
