from importlib import import_module

import pytest
from django.apps import apps
from wagtail.models import Page, Workflow, WorkflowPage

retire = import_module("enrolment.migrations.0005_retire_default_workflow").retire_default_workflow


@pytest.mark.django_db
def test_default_approval_workflow_on_the_root_is_retired():
    root = Page.get_first_root_node()
    WorkflowPage.objects.filter(page=root).delete()
    default = Workflow.objects.create(name="Moderators approval", active=True)
    WorkflowPage.objects.create(page=root, workflow=default)
    other = Workflow.objects.create(name="Kursmaterial prüfen", active=True)

    retire(apps, None)

    default.refresh_from_db()
    other.refresh_from_db()
    assert not default.active
    assert Page.get_first_root_node().get_workflow() is None
    assert other.active
