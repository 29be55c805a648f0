"""The editor roles (groups made by a migration) against real admin requests."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from courses.models import CourseDate, CoursePage, Trainer
from enrolment.demo import assign_demo_roles
from enrolment.models import Enrolment
from tests.enrolment.builders import confirmed, course_date, course_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def member(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor():
    return member("Redaktion", "redakteurin")


@pytest.fixture
def trainer_setup():
    """A trainer with one course of their own and another trainer's course."""
    user = member("Trainer", "trainerin")
    own = course_page(title="Eigener Kurs")
    other = course_page(title="Fremder Kurs")
    profile = Trainer.objects.create(name="Tina Trainer", user=user)
    own.trainers.add(profile)
    own.save_revision().publish()
    own_date = course_date(own)
    other_date = course_date(other)
    confirmed(own_date, 1)
    confirmed(other_date, 2)
    return user, own, other, own_date, other_date


def test_migration_made_the_three_groups_with_admin_access():
    for name in ("Redaktion", "Trainer", "Moderation"):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()
    root = Page.get_first_root_node()
    staff_perms = set(
        GroupPagePermission.objects.filter(group__name="Redaktion", page=root).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= staff_perms
    assert not GroupPagePermission.objects.filter(group__name="Trainer").exists()
    moderation = GroupPagePermission.objects.filter(group__name="Moderation", page=root)
    assert moderation.filter(permission__codename="publish_page").exists()


def test_staff_permissions(client, editor):
    assert editor.has_perm("wagtailadmin.access_admin")
    for perm in (
        "enrolment.change_enrolment",
        "enrolment.add_enrolment",
        "courses.change_topic",
        "courses.change_trainer",
        "home.change_partner",
        "courses.add_coursedate",
    ):
        assert editor.has_perm(perm), perm
    assert not editor.is_superuser


def test_trainer_permissions_are_narrow():
    user = member("Trainer", "t1")
    assert user.has_perm("wagtailadmin.access_admin")
    for perm in (
        "enrolment.change_enrolment",
        "enrolment.view_enrolment",
        "courses.change_coursedate",
        "courses.add_coursedate",
        "courses.change_trainer",
    ):
        assert not user.has_perm(perm), perm


def test_editor_edits_and_publishes_course_pages(client, editor):
    page = course_page()
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_explore", args=[page.get_parent().pk])).status_code == (
        200
    )
    perms = page.permissions_for_user(editor)
    assert perms.can_publish() and perms.can_edit()
    assert client.get(reverse("enrolment_admin:index")).status_code == 200
    assert client.get(reverse("enrolment_statistics")).status_code == 200
    assert client.get(reverse("wagtailsnippets_courses_topic:list")).status_code == 200


def test_trainer_sees_only_own_participants(client, trainer_setup):
    user, own, other, own_date, other_date = trainer_setup
    client.force_login(user)
    response = client.get(reverse("enrolment_participants", args=[own_date.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "person1@example.org" in html
    # read-only for trainers: no actions, no add button
    assert reverse("enrolment_action", args=[own_date.enrolments.get().pk, "cancel"]) not in html
    assert reverse("enrolment_admin:add") not in html
    assert client.get(reverse("enrolment_export", args=[own_date.pk, "csv"])).status_code == 200
    assert client.get(reverse("enrolment_course_dates", args=[own.pk])).status_code == 200

    for url in (
        reverse("enrolment_participants", args=[other_date.pk]),
        reverse("enrolment_export", args=[other_date.pk, "csv"]),
        reverse("enrolment_export", args=[other_date.pk, "xlsx"]),
        reverse("enrolment_course_dates", args=[other.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"person2@example.org" not in response.content


def test_trainer_cannot_change_seats_prices_or_publish(client, trainer_setup):
    user, own, other, own_date, _other_date = trainer_setup
    client.force_login(user)
    enrolment = own_date.enrolments.get()
    forbidden_gets = [
        reverse("enrolment_admin:index"),
        reverse("enrolment_admin:add"),
        reverse("enrolment_admin:edit", args=[enrolment.pk]),
        reverse("enrolment_action", args=[enrolment.pk, "cancel"]),
        reverse("enrolment_cancel_date", args=[own_date.pk]),
        reverse("enrolment_statistics"),
        reverse("enrolment_person"),
        reverse("courses_import_dates"),
        reverse("wagtailadmin_pages:edit", args=[own.pk]),
        reverse("wagtailadmin_pages:edit", args=[other.pk]),
        reverse("wagtailsnippets_courses_trainer:list"),
    ]
    for url in forbidden_gets:
        response = client.get(url)
        assert response.status_code in (302, 403), url
    # POSTs change nothing
    client.post(reverse("enrolment_action", args=[enrolment.pk, "cancel"]))
    client.post(reverse("enrolment_cancel_date", args=[own_date.pk]), {"reason": "x"})
    client.post(reverse("wagtailadmin_pages:edit", args=[own.pk]), {"title": "Neu", "price": "1"})
    enrolment.refresh_from_db()
    own_date.refresh_from_db()
    own.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert own_date.status == CourseDate.Status.PLANNED
    assert own.title == "Eigener Kurs" and own.price == 0
    assert not own.permissions_for_user(user).can_publish()


def test_trainer_dashboard_lists_only_own_dates(client, trainer_setup):
    user, own, other, own_date, other_date = trainer_setup
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Meine nächsten Termine" in html
    assert reverse("enrolment_participants", args=[own_date.pk]) in html
    assert reverse("enrolment_participants", args=[other_date.pk]) not in html
    assert "Neueste Anmeldungen" not in html and "Postausgang" not in html


def test_anonymous_and_plain_users_get_no_admin(client, trainer_setup):
    _user, _own, _other, own_date, _other_date = trainer_setup
    url = reverse("enrolment_participants", args=[own_date.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(username="learner@example.org"))
    assert client.get(url).status_code in (302, 403)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_demo_roles_are_assigned_idempotently():
    UserFactory(username="redaktion")
    UserFactory(username="trainer")
    assign_demo_roles()
    assign_demo_roles()
    assert Group.objects.get(name="Redaktion").user_set.filter(username="redaktion").exists()
    assert Group.objects.get(name="Trainer").user_set.filter(username="trainer").exists()
    assert Group.objects.filter(name="Redaktion").count() == 1


def test_participants_button_for_trainer_of_course_only(trainer_setup):
    from enrolment.wagtail_hooks import _participants_button

    user, own, other, *_rest = trainer_setup
    assert _participants_button(CoursePage.objects.get(pk=own.pk), user, 1) is not None
    assert _participants_button(CoursePage.objects.get(pk=other.pk), user, 1) is None
