"""Trainers edit their own course material and submit it; "Redaktion prüft" approves."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import courses.wagtail_hooks  # noqa: F401 - connects the material review signal
from courses.models import CoursePage, Trainer
from learning.editor_roles import REVIEW_WORKFLOW_NAME, ensure_all
from learning.lessons import LessonPage
from tests.factories import CoursePageFactory, UserFactory, build_material

pytestmark = pytest.mark.django_db


def lesson_data(lesson, action, **changes):
    data = {
        "title": lesson.title,
        "slug": lesson.slug,
        "intro": lesson.intro,
        "duration_minutes": "",
        "required": "on",
        "body": streamfield([]),
        "comments": inline_formset([]),
        action: action,
    }
    data.update(changes)
    return nested_form_data(data)


@pytest.fixture
def setup(catalogue):
    trainer_user = UserFactory(username="trainerin", email="trainerin@example.org")
    trainer_user.groups.add(Group.objects.get(name="Trainer"))
    staff = UserFactory(username="redakteurin", email="redaktion@example.org")
    staff.groups.add(Group.objects.get(name="Redaktion"))
    own = CoursePageFactory(parent=catalogue, title="Eigener Kurs", slug="eigener-kurs")
    own.trainers.add(Trainer.objects.create(name="Tina Trainer", user=trainer_user))
    own.save_revision().publish()
    other = CoursePageFactory(parent=catalogue, title="Fremder Kurs", slug="fremder-kurs")
    other.save_revision().publish()
    own_material, own_lessons = build_material(CoursePage.objects.get(pk=own.pk))
    other_material, other_lessons = build_material(CoursePage.objects.get(pk=other.pk))
    ensure_all()
    return {
        "trainer": trainer_user,
        "staff": staff,
        "own": own,
        "other": other,
        "own_material": own_material,
        "own_lesson": own_lessons[0],
        "other_lesson": other_lessons[0],
    }


def test_material_pages_carry_the_review_workflow_course_pages_do_not(setup):
    assert setup["own_material"].get_workflow().name == REVIEW_WORKFLOW_NAME
    assert setup["own_lesson"].get_workflow().name == REVIEW_WORKFLOW_NAME
    workflow = setup["own"].get_workflow()
    assert workflow is None or workflow.name != REVIEW_WORKFLOW_NAME
    task = setup["own_lesson"].get_workflow().tasks.get().specific
    assert {g.name for g in task.groups.all()} == {"Redaktion", "Moderation"}


def test_trainer_opens_own_lesson_editor_only(client, setup):
    client.force_login(setup["trainer"])
    own = setup["own_lesson"]
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    material = setup["own_material"]
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[material.pk]))
    add_url = reverse("wagtailadmin_pages:add", args=["learning", "lessonpage", material.pk])
    assert response.status_code == 302 and response["Location"] == add_url
    assert client.get(add_url).status_code == 200
    for url in (
        reverse("wagtailadmin_pages:edit", args=[setup["other_lesson"].pk]),
        reverse("wagtailadmin_pages:edit", args=[setup["own"].pk]),
        reverse("wagtailadmin_pages:edit", args=[setup["other"].pk]),
        reverse("wagtailadmin_pages:copy", args=[setup["other_lesson"].pk]),
        reverse("wagtailadmin_pages:delete", args=[setup["other_lesson"].pk]),
        reverse("wagtailadmin_pages:revisions_index", args=[setup["other_lesson"].pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Geheimer Inhalt" not in response.content
    perms = own.permissions_for_user(setup["trainer"])
    assert perms.can_edit() and not perms.can_publish()
    assert not setup["other_lesson"].permissions_for_user(setup["trainer"]).can_edit()


def test_trainer_cannot_publish_directly(client, setup):
    client.force_login(setup["trainer"])
    lesson = setup["own_lesson"]
    client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        lesson_data(lesson, "action-publish", title="Veröffentlicht?"),
    )
    assert LessonPage.objects.get(pk=lesson.pk).title == "Lektion 1"


def test_submit_review_approve(client, setup):
    lesson = setup["own_lesson"]
    client.force_login(setup["trainer"])
    mail.outbox.clear()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        lesson_data(lesson, "action-submit", title="Lektion 1: überarbeitet"),
    )
    assert response.status_code == 302
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == "Lektion 1"  # live version unchanged until approved
    state = lesson.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Redaktion prüft"
    # staff are told
    assert any("redaktion@example.org" in m.to for m in mail.outbox)

    # staff see it on their dashboard and approve it
    client.force_login(setup["staff"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Lektion 1: überarbeitet" in home
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[lesson.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": "Passt."},
    )
    assert response.status_code in (200, 302)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == "Lektion 1: überarbeitet"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_reject_keeps_live_version(client, setup):
    lesson = setup["own_lesson"]
    client.force_login(setup["trainer"])
    client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        lesson_data(lesson, "action-submit", title="Falsch"),
    )
    state = LessonPage.objects.get(pk=lesson.pk).current_workflow_state
    client.force_login(setup["staff"])
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[lesson.pk, "reject", state.current_task_state.pk],
        ),
        {"comment": "Bitte überarbeiten."},
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert LessonPage.objects.get(pk=lesson.pk).title == "Lektion 1"


def test_trainer_cannot_approve(client, setup):
    lesson = setup["own_lesson"]
    client.force_login(setup["trainer"])
    client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        lesson_data(lesson, "action-submit", title="Selbst freigegeben?"),
    )
    state = LessonPage.objects.get(pk=lesson.pk).current_workflow_state
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[lesson.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    assert LessonPage.objects.get(pk=lesson.pk).title == "Lektion 1"


def test_staff_publish_course_pages_directly(client, setup):
    client.force_login(setup["staff"])
    own = setup["own"]
    assert own.permissions_for_user(setup["staff"]).can_publish()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200


def test_new_material_page_gets_review_and_trainer_rights(catalogue):
    from wagtail.models import GroupPagePermission

    from learning.lessons import course_access

    course = CoursePageFactory(parent=catalogue, title="Neuer Kurs", slug="neuer-kurs")
    course.save_revision().publish()
    material, _lessons = build_material(CoursePage.objects.get(pk=course.pk))  # no ensure_all
    access = course_access(course)
    codenames = set(
        GroupPagePermission.objects.filter(group=access.trainers, page=material).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page"}
    assert material.get_workflow().name == REVIEW_WORKFLOW_NAME
    assert access.trainers.permissions.filter(codename="access_admin").exists()
