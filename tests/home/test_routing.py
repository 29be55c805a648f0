"""Pages are found by Wagtail's own routing, level by level: every depth, sub-routes
before child pages, nothing of another site, nothing that is not live."""

import pytest
from wagtail.models import Page

from tests.factories import CourseIndexPageFactory, CoursePageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home_page):
    about = StandardPageFactory(parent=home_page, title="Über uns", slug="ueber-uns")
    team = StandardPageFactory(parent=about, title="Team", slug="team")
    catalogue = CourseIndexPageFactory(parent=home_page)
    course = CoursePageFactory(parent=catalogue, title="Digitale Baustelle", slug="baustelle")
    return {"about": about, "team": team, "catalogue": catalogue, "course": course}


def test_pages_at_every_depth(client, pages):
    for page in pages.values():
        response = client.get(page.url)
        assert response.status_code == 200
        assert response.context["page"].pk == page.pk


def test_unknown_paths_are_not_found(client, pages):
    for url in ("/gibtsnicht/", "/ueber-uns/gibtsnicht/", "/ueber-uns/team/mehr/", "/kurse/x/y/"):
        assert client.get(url).status_code == 404, url


def test_a_page_that_is_not_live_is_not_found(client, pages):
    pages["team"].unpublish()
    assert client.get("/ueber-uns/team/").status_code == 404


def test_sub_routes_win_over_child_pages_as_in_wagtail(client, pages):
    # the slug is reserved for the catalogue's calendar (CoursePage.clean); made anyway
    clash = CoursePageFactory(parent=pages["catalogue"], title="Kalender", slug="kalender-1")
    Page.objects.filter(pk=clash.pk).update(
        slug="kalender", url_path=clash.url_path.replace("kalender-1", "kalender")
    )
    response = client.get("/kurse/kalender/")
    assert response["Content-Type"].startswith("text/calendar")


def test_pages_of_another_site_are_not_reachable(client, pages):
    root = Page.get_first_root_node()
    other = StandardPageFactory(parent=root, title="Andere Startseite", slug="andere")
    StandardPageFactory(parent=other, title="Geheim", slug="ueber-uns-2")
    assert client.get("/ueber-uns-2/").status_code == 404
