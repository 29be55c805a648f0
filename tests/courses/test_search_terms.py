"""The group Redaktion reads the search terms and promotes results (permissions from
the migration), not only superusers."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query

from tests.enrolment.builders import course_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT = reverse("courses_search_terms")


def member(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_migration_gives_redaktion_the_promotion_permissions():
    codenames = set(
        Group.objects.get(name="Redaktion")
        .permissions.filter(content_type__app_label="wagtailsearchpromotions")
        .values_list("codename", flat=True)
    )
    assert {"add_searchpromotion", "change_searchpromotion", "delete_searchpromotion"} <= codenames
    assert not Group.objects.get(name="Trainer").permissions.filter(
        content_type__app_label="wagtailsearchpromotions"
    )


def test_redaktion_reads_search_terms_from_the_reports_menu(client, site):
    client.get("/suche/", {"q": "Betriebsnachfolge"})
    client.force_login(member("Redaktion", "redakteurin"))

    home = client.get(reverse("wagtailadmin_home")).content.decode()
    report = client.get(REPORT)

    assert REPORT in home
    # Wagtail's own (superuser-only) entry is not offered twice
    assert reverse("wagtailsearchpromotions:search_terms") not in home
    assert report.status_code == 200
    assert "betriebsnachfolge" in report.content.decode()


def test_redaktion_promotes_a_result_that_the_site_search_shows_first(client, site):
    course = course_page(title="Übergabe planen")
    client.force_login(member("Redaktion", "redakteurin"))
    assert client.get(reverse("wagtailsearchpromotions:index")).status_code == 200

    response = client.post(
        reverse("wagtailsearchpromotions:add"),
        {
            "query_string": "Nachfolge",
            "editors_picks-TOTAL_FORMS": 1,
            "editors_picks-INITIAL_FORMS": 0,
            "editors_picks-MAX_NUM_FORMS": 1000,
            "editors_picks-0-DELETE": "",
            "editors_picks-0-ORDER": 0,
            "editors_picks-0-page": course.pk,
            "editors_picks-0-description": "Der Kurs zur Betriebsübergabe",
        },
    )

    assert response.status_code == 302
    assert Query.get("Nachfolge").editors_picks.filter(page=course).exists()
    client.logout()
    result = client.get("/suche/", {"q": "Nachfolge"}).content.decode()
    assert "Der Kurs zur Betriebsübergabe" in result


@pytest.mark.parametrize("group", ["Trainer", "Moderation"])
def test_others_see_neither(client, site, group):
    Query.get("geheim").add_hit()
    client.force_login(member(group, "andere"))

    home = client.get(reverse("wagtailadmin_home")).content.decode()
    report = client.get(REPORT)

    assert REPORT not in home
    assert report.status_code == 302
    assert "geheim" not in client.get(REPORT, follow=True).content.decode()
    assert client.get(reverse("wagtailsearchpromotions:index")).status_code == 302


def test_superusers_keep_the_report(client, site):
    Query.get("holz").add_hit()
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))

    assert "holz" in client.get(REPORT).content.decode()
