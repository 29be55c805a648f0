"""Trainers edit their own course material; "Redaktion prüft" before it goes live.

Wagtail page permissions belong to groups and subtrees, not to users. Every course
already has its own trainers group ("Kursleitung: <Kurs>", kept in step with the
course's trainers by ``courses.lessons``); here that group gets add and change (never
publish) permission on the course's material page and the lessons below it, and the
material page gets the review workflow "Kursmaterial prüfen" with the task
"Redaktion prüft" (made by a migration). Course pages themselves carry no workflow,
so staff editing the catalogue publish directly as before.
"""

from django.contrib.auth.models import Permission
from django.db.models.signals import post_save
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage

from .lessons import MaterialPage, course_access

REVIEW_WORKFLOW_NAME = "Kursmaterial prüfen"
REVIEW_TASK_NAME = "Redaktion prüft"
TRAINER_MATERIAL_PERMISSIONS = ("add_page", "change_page")


def review_workflow():
    return Workflow.objects.filter(name=REVIEW_WORKFLOW_NAME, active=True).first()


def ensure_material_review(material) -> None:
    """Idempotent: the course's trainers may edit this material; changes are reviewed."""
    course = material.get_parent()
    if course is None or course.specific_class.__name__ != "CoursePage":
        return
    trainers = course_access(course).trainers
    trainers.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=TRAINER_MATERIAL_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(
            group=trainers, page_id=material.pk, permission=permission
        )
    workflow = review_workflow()
    if workflow is not None and not WorkflowPage.objects.filter(page_id=material.pk).exists():
        WorkflowPage.objects.create(page_id=material.pk, workflow=workflow)


def ensure_all() -> int:
    materials = list(MaterialPage.objects.all())
    for material in materials:
        ensure_material_review(material)
    return len(materials)


def _material_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance.depth is None:
        return
    ensure_material_review(instance)


def connect() -> None:
    post_save.connect(_material_saved, sender=MaterialPage, dispatch_uid="courses_material_review")
