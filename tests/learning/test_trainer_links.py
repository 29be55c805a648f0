"""The admin and the trainer area link to each other, for the people who use both."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.models import Trainer
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_roles")]

AREA = reverse("learner:trainer")
ADMIN = reverse("wagtailadmin_home")


def member(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def trainer():
    user = member("Trainer", "tina@example.org")
    Trainer.objects.create(name="Tina Trainer", user=user)
    return user


@pytest.mark.parametrize("who", ["trainer", "redaktion"])
def test_admin_menu_leads_to_the_trainer_area_and_back(client, trainer, who):
    user = trainer if who == "trainer" else member("Redaktion", "redakteurin")
    client.force_login(user)

    admin = client.get(ADMIN).content.decode()
    area = client.get(AREA)

    assert AREA in admin
    assert "Trainerbereich" in admin
    assert area.status_code == 200
    assert f'href="{ADMIN}"' in area.content.decode()


def test_editors_who_do_not_train_see_no_trainer_area_item(client):
    client.force_login(member("Moderation", "moderatorin"))

    assert AREA not in client.get(ADMIN).content.decode()


def test_a_trainer_without_admin_access_gets_no_admin_link(client):
    user = UserFactory(username="extern@example.org")
    Trainer.objects.create(name="Externe Trainerin", user=user)
    client.force_login(user)

    area = client.get(AREA)

    assert area.status_code == 200
    assert f'href="{ADMIN}"' not in area.content.decode()
