import pytest
from wagtail.models import Page, Workflow

from tests.factories import build_site


@pytest.mark.django_db
def test_only_course_material_goes_through_a_review_workflow():
    home = build_site()
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    assert Page.get_first_root_node().get_workflow() is None
    assert home.get_workflow() is None
    assert Workflow.objects.filter(name="Kursmaterial prüfen", active=True).exists()
