"""One test per security header, on the public site and the admin."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def public(client, home_page):
    return client.get(home_page.url)


def directives(response) -> dict:
    policy = response["Content-Security-Policy"]
    parts = [part.strip().split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def test_csp_on_public_pages_has_no_unsafe_inline_or_eval(public):
    policy = directives(public)
    assert policy["default-src"] == ["'self'"]
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[name]
        assert "'unsafe-eval'" not in policy[name]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def test_csp_allows_only_the_two_video_players_as_third_party(public):
    assert directives(public)["frame-src"] == [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]


def test_csp_forbids_framing(public):
    assert directives(public)["frame-ancestors"] == ["'none'"]


def test_frame_denial(public):
    assert public["X-Frame-Options"] == "DENY"


def test_nosniff(public):
    assert public["X-Content-Type-Options"] == "nosniff"


def test_referrer_policy(public):
    assert public["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_permissions_policy_switches_off_device_access(public):
    value = public["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in value


def test_cross_origin_opener_policy(public):
    assert public["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_on_https(client, home_page, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(home_page.url, secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_admin_has_its_own_policy_not_the_public_one(client, home_page):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert response["X-Frame-Options"] == "DENY"


def test_session_cookie_is_httponly(client, home_page, django_user_model):
    django_user_model.objects.create_user(
        "kim", "kim@example.org", "pw-9f8e7d6c-lang", is_staff=True
    )
    response = client.post("/admin/login/", {"username": "kim", "password": "pw-9f8e7d6c-lang"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]


def production_settings(**env) -> dict:
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "X_FRAME_OPTIONS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "CONTENT_SECURITY_POLICY",
        "SESSION_ENGINE",
        "STORAGES",
        "CACHES",
        "TASKS",
        "DATABASES",
        "LOGGING",
        "TRUSTED_PROXIES",
        "AXES_CLIENT_IP_CALLABLE",
        "READY_TASK_MAX_AGE_SECONDS",
        "PAGE_CACHE_ALIAS",
        "CONTENT_CACHE_ALIAS",
        "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS",
    ]
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}, default=str))"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    base.update(
        {
            "DJANGO_SETTINGS_MODULE": "academy.settings.production",
            "SECRET_KEY": "p" * 30 + "-production-secret-for-tests-only-0123456789",
            "ALLOWED_HOSTS": "akademie.example.org",
            **env,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_secure_and_hsts():
    values = production_settings()
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_production_uses_the_same_csp_as_the_tests(settings):
    values = production_settings()
    assert values["CONTENT_SECURITY_POLICY"] == json.loads(
        json.dumps(settings.CONTENT_SECURITY_POLICY, default=str)
    )
