"""Redaktion maintains the provider data; trainers do not see it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.models import ProviderSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def member(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def edit_url(site):
    return reverse("wagtailsettings:edit", args=["courses", "providersettings", site.pk])


def test_redaktion_saves_the_kursnet_number(client, site):
    client.force_login(member("Redaktion", "redakteurin"))
    page = client.get(edit_url(site))
    assert page.status_code == 200
    assert "Bildungsanbieter-Nummer (KURSNET)" in page.content.decode()

    response = client.post(
        edit_url(site),
        {"provider_name": "", "kursnet_provider_number": "123456", "azav_certified": "on"},
    )

    assert response.status_code == 302
    saved = ProviderSettings.for_site(site)
    assert saved.kursnet_provider_number == "123456" and saved.azav_certified


def test_trainers_cannot_open_the_provider_data(client, site):
    client.force_login(member("Trainer", "trainerin"))
    response = client.get(edit_url(site))
    assert response.status_code in (302, 403)
    assert not ProviderSettings.objects.filter(kursnet_provider_number__gt="").exists()
