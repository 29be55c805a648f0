from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_database_is_down(client):
    with mock.patch("home.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz/")
    assert response.status_code == 503


def test_robots_txt_points_to_sitemap_and_hides_admin(client):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.django_db
def test_sitemap_lists_live_pages(client, home_page):
    from tests.factories import StandardPageFactory

    StandardPageFactory(parent=home_page, title="Das Bündnis", slug="buendnis")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"/buendnis/" in response.content


@pytest.mark.django_db
def test_unknown_url_gets_german_404_in_site_design(client, home_page):
    response = client.get("/gibt-es-nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html
    assert 'class="site-header"' in html


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_server_error_page_is_german_and_has_no_traceback(home_page):
    from django.test import Client

    client = Client(raise_request_exception=False)
    with mock.patch("home.models.HomePage.serve", side_effect=RuntimeError("kaputt")):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "technischer Fehler" in html
    assert "kaputt" not in html and "Traceback" not in html


def test_unknown_host_is_rejected(client, home_page):
    response = client.get("/healthz/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


def test_ping_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
