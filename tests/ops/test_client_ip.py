"""Client addresses come only from trusted proxies: a stranger can neither bypass a
limit with a forged X-Forwarded-For nor lock someone else out of the admin."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from enrolment.models import Enrolment
from home.clientip import client_ip
from tests.enrolment.builders import course_date, person
from tests.ops.test_headers import production_settings

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]


def request(rf, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request(rf, "203.0.113.5", "6.6.6.6")) == "203.0.113.5"
    assert client_ip(request(rf, PROXY, "6.6.6.6")) == PROXY


def test_a_stranger_is_taken_at_its_own_address(rf, behind_proxy):
    assert client_ip(request(rf, "203.0.113.5", "6.6.6.6")) == "203.0.113.5"
    assert client_ip(request(rf, "203.0.113.5", f"6.6.6.6, {PROXY}")) == "203.0.113.5"


def test_the_proxy_vouches_for_the_address_it_added(rf, behind_proxy):
    assert client_ip(request(rf, PROXY, "198.51.100.7")) == "198.51.100.7"
    # what the client wrote itself, left of what the proxy added, counts for nothing
    assert client_ip(request(rf, PROXY, "6.6.6.6, 198.51.100.7")) == "198.51.100.7"
    # several trusted proxies in a row (a network in the list) are skipped
    assert client_ip(request(rf, PROXY, "6.6.6.6, 198.51.100.7, 10.1.4.4")) == "198.51.100.7"


def test_odd_headers_from_the_proxy(rf, behind_proxy):
    assert client_ip(request(rf, PROXY)) == PROXY
    assert client_ip(request(rf, PROXY, "")) == PROXY
    assert client_ip(request(rf, PROXY, "unbekannt")) == PROXY
    assert client_ip(request(rf, PROXY, "198.51.100.7, kaputt")) == PROXY
    assert client_ip(request(rf, PROXY, "2001:db8::1")) == "2001:db8::1"
    assert client_ip(request(rf, PROXY, "[2001:db8::2]")) == "2001:db8::2"
    assert client_ip(request(rf, "::ffff:10.0.0.2", "198.51.100.9")) == "198.51.100.9"
    assert client_ip(request(rf, "", "198.51.100.9")) is None


def test_axes_and_the_rate_limits_ask_the_same_function(rf, behind_proxy):
    from axes.helpers import get_client_ip_address

    from enrolment import ratelimit

    forged = request(rf, "203.0.113.5", "6.6.6.6")
    proxied = request(rf, PROXY, "6.6.6.6, 198.51.100.7")
    for req, expected in ((forged, "203.0.113.5"), (proxied, "198.51.100.7")):
        assert get_client_ip_address(req) == expected
        assert ratelimit.client_ip(req) == expected


def test_trusted_proxies_come_from_the_environment():
    values = production_settings(TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/24")
    assert values["TRUSTED_PROXIES"] == ["127.0.0.1/32", "10.0.0.0/24"]
    assert production_settings()["TRUSTED_PROXIES"] == []


def test_a_wrong_trusted_proxy_entry_stops_the_start(monkeypatch):
    from academy.settings.env import env_networks

    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1,load-balancer")
    with pytest.raises(ImproperlyConfigured, match="load-balancer"):
        env_networks("TRUSTED_PROXIES")


def test_axes_locks_a_user_name_per_address(settings):
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_CLIENT_IP_CALLABLE == "home.clientip.client_ip"
    assert not hasattr(settings, "ENROLMENT_CLIENT_IP_HEADER")


# --- requests -------------------------------------------------------------------


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def call(url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **extra)

    return call


def enrol_data(n):
    data = {k: v for k, v in person(n).items() if k != "billing"}
    data["consent"] = "on"
    return data


@pytest.mark.django_db
def test_forged_forwarded_for_straight_to_an_app_server_is_one_client(post, settings):
    """Finding: 25 of 25 accepted when each post named another X-Forwarded-For."""
    settings.TRUSTED_PROXIES = [PROXY]
    settings.ENROLMENT_RATE_LIMIT = {"ip": (20, 3600), "email": (100, 3600)}
    url = reverse("enrolment:enrol", args=[course_date(capacity=100).pk])
    answers = [
        post(url, enrol_data(n), REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}")
        for n in range(25)
    ]
    assert [r.status_code for r in answers].count(302) == 20
    assert [r.status_code for r in answers].count(429) == 5
    assert Enrolment.objects.count() == 20


@pytest.mark.django_db
def test_clients_behind_the_proxy_are_counted_one_by_one(post, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.ENROLMENT_RATE_LIMIT = {"ip": (2, 3600), "email": (100, 3600)}
    url = reverse("enrolment:enrol", args=[course_date(capacity=100).pk])
    for n in range(6):  # six people behind the load balancer, far more than 2 per address
        response = post(
            url, enrol_data(n), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}"
        )
        assert response.status_code == 302
    for n in range(6, 8):
        post(url, enrol_data(n), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.50")
    third = post(url, enrol_data(9), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.50")
    assert third.status_code == 429


@pytest.mark.django_db
def test_sign_in_links_are_limited_by_the_same_address(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LEARNER_SIGNIN_RATE_LIMIT = {"ip": (3, 3600), "email": (100, 3600)}
    url = reverse("learner:signin")
    answers = [
        client.post(
            url,
            {"email": f"jemand{n}@example.org"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}",
        ).status_code
        for n in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]


@pytest.mark.django_db
def test_a_stranger_cannot_lock_staff_out_of_the_admin(client, django_user_model, settings):
    """Finding: behind nginx every visitor had the load balancer's address, so five
    wrong passwords from anyone locked the user name for everyone."""
    from django.test import Client

    settings.TRUSTED_PROXIES = [PROXY]
    django_user_model.objects.create_user(
        "redaktion", "redaktion@example.org", "richtiges-Passwort-1", is_staff=True
    )
    stranger = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        stranger.post(
            "/admin/login/",
            {"username": "redaktion", "password": "falsch"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    locked = stranger.post(
        "/admin/login/",
        {"username": "redaktion", "password": "richtiges-Passwort-1"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert locked.status_code == 429  # the stranger is throttled …
    staff = client.post(
        "/admin/login/",
        {"username": "redaktion", "password": "richtiges-Passwort-1"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert staff.status_code == 302  # … the staff member at their own address is not


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_admin_lockout(client, django_user_model, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    django_user_model.objects.create_user(
        "redaktion", "redaktion@example.org", "richtiges-Passwort-1", is_staff=True
    )
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": "redaktion", "password": "falsch"},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}",
        )
    again = client.post(
        "/admin/login/",
        {"username": "redaktion", "password": "falsch"},
        REMOTE_ADDR="203.0.113.66",
        HTTP_X_FORWARDED_FOR="6.6.6.99",
    )
    assert again.status_code == 429


def test_the_replaced_variables_are_reported(monkeypatch):
    from academy.checks import replaced_settings

    assert replaced_settings(None) == []
    monkeypatch.setenv("ENROLMENT_CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
    (warning,) = replaced_settings(None)
    assert warning.id == "academy.W001"
    assert "TRUSTED_PROXIES" in warning.msg
