"""The review workflow for course material: trainers' changes go through the task
"Redaktion prüft" (groups Redaktion and Moderation) before they are published.

The workflow is assigned to each course's material page (the lessons below it
inherit it), not to the catalogue, so that staff publish course pages directly.
New material pages get it from ``courses.editor_roles``; existing ones here.
"""

from django.db import migrations

WORKFLOW_NAME = "Kursmaterial prüfen"
TASK_NAME = "Redaktion prüft"


def create_review_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    MaterialPage = apps.get_model("courses", "MaterialPage")
    CourseAccess = apps.get_model("courses", "CourseAccess")

    task_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    for name in ("Redaktion", "Moderation"):
        task.groups.add(Group.objects.get_or_create(name=name)[0])
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )

    edit_perms = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=["add_page", "change_page"]
        )
    )
    for material in MaterialPage.objects.all():
        if not WorkflowPage.objects.filter(page_id=material.pk).exists():
            WorkflowPage.objects.create(page_id=material.pk, workflow=workflow)
        parent_path = material.path[:-4]
        access = CourseAccess.objects.filter(course__path=parent_path).first()
        if access is not None:
            for permission in edit_perms:
                GroupPagePermission.objects.get_or_create(
                    group_id=access.trainers_id, page_id=material.pk, permission=permission
                )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("courses", "0004_staff_group"),
        ("enrolment", "0003_learner_area"),
    ]

    operations = [migrations.RunPython(create_review_workflow, migrations.RunPython.noop)]
