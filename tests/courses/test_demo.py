import pytest
from django.core.management import call_command

from courses.models import CourseDate, CourseIndexPage, CoursePage, Topic, Trainer
from home.models import HomePage


@pytest.mark.django_db
def test_load_demo_builds_the_catalogue_once(client):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)

    catalogue = CourseIndexPage.objects.get()
    home = HomePage.objects.get()
    assert catalogue.show_in_menus and catalogue.url_path.endswith("/kurse/")
    assert home.hero_cta_page_id == catalogue.pk and home.hero_cta_text == "Kurse entdecken"
    assert CoursePage.objects.live().count() >= 12
    assert set(Topic.objects.values_list("name", flat=True)) >= {
        "Digitalisierung",
        "Betriebsnachfolge",
        "Innovation & Kreativwirtschaft",
    }
    assert Trainer.objects.filter(user__username="trainer").exists()
    assert (
        CourseDate.objects.filter(status=CourseDate.Status.CANCELLED)
        .exclude(cancellation_reason="")
        .exists()
    )
    assert {"Riesa", "Meißen"} <= set(CourseDate.objects.values_list("city", flat=True))
    assert CourseDate.objects.filter(is_online=True).exists()
    nearly_full = [d for d in CourseDate.objects.upcoming() if 0 < d.free_seats <= 2]
    assert nearly_full

    response = client.get("/kurse/")
    assert response.status_code == 200
    assert "Kurse entdecken" in client.get("/").content.decode()
