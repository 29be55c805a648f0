"""The Wagtail Site record follows SITE_URL, so absolute page addresses are right."""

import pytest
from django.core import checks
from django.core.management import call_command
from wagtail.models import Site

from home.sites import follow_site_url

pytestmark = pytest.mark.django_db


def warnings():
    return [m.id for m in checks.run_checks(databases=["default"]) if m.id.startswith("home.")]


def test_migrate_sets_the_site_from_site_url_and_pages_link_there(client, home_page, settings):
    settings.SITE_URL = "https://akademie.example.org"
    assert Site.objects.get(is_default_site=True).hostname == "localhost"
    assert warnings() == ["home.W001"]

    call_command("migrate", verbosity=0)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("akademie.example.org", 443)
    assert warnings() == []
    html = client.get("/").content.decode()
    assert '<link rel="canonical" href="https://akademie.example.org/">' in html
    assert "http://localhost" not in html


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1:8123", ("127.0.0.1", 8123)),
        ("http://Akademie.Example.org/", ("akademie.example.org", 80)),
        ("https://akademie.example.org:8443/pfad", ("akademie.example.org", 8443)),
    ],
)
def test_host_and_port_come_from_site_url(home_page, settings, url, address):
    settings.SITE_URL = url
    assert follow_site_url() is True
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == address
    assert follow_site_url() is False  # nothing left to change


@pytest.mark.parametrize("url", ["", "kein-url", "http://:99999"])
def test_a_site_url_without_host_changes_nothing(home_page, settings, url):
    settings.SITE_URL = url
    assert follow_site_url() is False
    assert Site.objects.get(is_default_site=True).hostname == "localhost"
    assert warnings() == []
