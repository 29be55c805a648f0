import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.mark.django_db
def test_wagtail_admin_speaks_german(client, home_page):
    user = UserFactory(username="chefin", is_staff=True, is_superuser=True)
    client.force_login(user)
    response = client.get("/admin/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de"' in html
    assert "Seiten" in html and "Bilder" in html


@pytest.mark.django_db
def test_admin_login_page_is_german(client):
    html = client.get("/admin/login/").content.decode()
    assert "Anmelden" in html


@pytest.mark.django_db
def test_post_without_csrf_token_gets_german_403_in_site_design(home_page):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Formular abgelaufen" in html
    assert 'class="site-header"' in html


@pytest.mark.django_db
def test_oversized_request_body_is_rejected(client, home_page):
    response = client.post(
        "/admin/login/",
        data="username=" + "x" * (6 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()
