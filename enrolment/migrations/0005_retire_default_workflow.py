"""Retire Wagtail's default "Moderators approval" workflow on the root page.

The academy reviews only course material ("Kursmaterial prüfen"); with the
default workflow still attached to the root, every editor saw a "submit for
approval" action on every page. Pages keep their history; the workflow stays in
the admin, inactive, should staff want it back.
"""

from django.db import migrations


def retire_default_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    default = Workflow.objects.filter(name="Moderators approval")
    WorkflowPage.objects.filter(workflow__in=default, page__depth=1).delete()
    default.update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0004_review_workflow"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(retire_default_workflow, migrations.RunPython.noop)]
