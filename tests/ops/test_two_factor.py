"""Second factor for staff on the admin sites (staffauth on django-otp): the code
after the password, backup codes, set-up, removal, the three modes, and that
learners never meet any of it."""

import time
from base64 import b32encode
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from sesame.utils import get_token

from staffauth.checks import check_two_factor_settings
from tests.factories import UserFactory

# The verified second factor lives in the session: tested with the production engine.
pytestmark = [pytest.mark.django_db, pytest.mark.redis]

PASSWORD = "richtiges-Passwort-1"
VERIFY = "/admin/zwei-faktor/pruefen/"
SETUP = "/admin/zwei-faktor/einrichten/"
OVERVIEW = "/admin/zwei-faktor/"
DISABLE = "/admin/zwei-faktor/ausschalten/"
BACKUP = "/admin/zwei-faktor/ersatzcodes/"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "staffauth"


def code_for(device, steps_ahead=0) -> str:
    """The code the authenticator app shows now (or that many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device) -> str:
    right = {code_for(device, step) for step in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


@pytest.fixture(autouse=True)
def _optional_mode(settings):
    settings.STAFF_TWO_FACTOR = "optional"


@pytest.fixture
def staff(home_page):
    """An editor of the Wagtail admin (and the Django admin)."""
    user = UserFactory(username="redaktion", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


@pytest.fixture
def app(staff):
    return TOTPDevice.objects.create(user=staff, name="Authenticator-App", confirmed=True)


@pytest.fixture
def backup(staff):
    device = StaticDevice.objects.create(user=staff, name="Ersatzcodes")
    device.token_set.create(token="abcd2345")
    return device


def sign_in(client, username="redaktion"):
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def unthrottle(device):
    """As if the back-off after a wrong code had passed."""
    device.refresh_from_db()
    device.throttling_failure_timestamp = timezone.now() - timedelta(hours=1)
    device.save()


def test_staff_with_a_device_needs_the_code_after_the_password(client, app):
    sign_in(client)
    for admin_page in ("/admin/", "/admin/pages/", "/django-admin/"):
        response = client.get(admin_page)
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY + "?next=")

    page = client.get(VERIFY + "?next=/admin/pages/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Anmeldung bestätigen" in html
    assert 'autocomplete="one-time-code"' in html

    response = client.post(VERIFY, {"code": code_for(app), "next": "/admin/pages/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


def test_wrong_code_is_refused_with_a_clear_message(client, app):
    sign_in(client)
    response = client.post(VERIFY, {"code": wrong_code(app), "next": "/admin/"})
    assert response.status_code == 200
    assert "Dieser Code stimmt nicht" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get("/admin/").status_code == 302

    empty = client.post(VERIFY, {"code": "", "next": "/admin/"})
    assert "Bitte geben Sie den Code ein." in empty.content.decode()
    assert client.get("/admin/").status_code == 302


def test_guessing_is_throttled(client, app, settings):
    assert settings.OTP_TOTP_THROTTLE_FACTOR > 0 and settings.OTP_STATIC_THROTTLE_FACTOR > 0
    assert app.throttling_enabled
    sign_in(client)
    client.post(VERIFY, {"code": wrong_code(app)})
    # Right after a wrong code even the right one is refused, and nothing is counted.
    response = client.post(VERIFY, {"code": code_for(app)})
    assert "Zu viele falsche Codes" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    app.refresh_from_db()
    assert app.throttling_failure_count == 1

    unthrottle(app)
    response = client.post(VERIFY, {"code": code_for(app)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_code_from_the_app_counts_only_once(client, app):
    sign_in(client)
    code = code_for(app)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post("/admin/logout/")
    sign_in(client)
    replay = client.post(VERIFY, {"code": code})
    assert "Dieser Code stimmt nicht" in replay.content.decode()
    assert client.get("/admin/").status_code == 302


def test_backup_code_works_once(client, app, backup):
    sign_in(client)
    response = client.post(VERIFY, {"code": "ABCD 2345", "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(device=backup).exists()

    client.post("/admin/logout/")
    sign_in(client)
    again = client.post(VERIFY, {"code": "abcd2345"})
    assert "Dieser Code stimmt nicht" in again.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_wrong_app_code_does_not_slow_down_the_backup_codes(client, app, backup):
    sign_in(client)
    client.post(VERIFY, {"code": wrong_code(app)})
    assert client.post(VERIFY, {"code": "abcd2345"}).status_code == 302


def test_verify_ignores_a_next_page_on_another_site(client, app):
    sign_in(client)
    response = client.post(VERIFY, {"code": code_for(app), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_optional_mode_lets_staff_without_a_device_in(client, staff):
    sign_in(client)
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


def test_required_mode_sends_staff_without_a_device_to_the_setup(client, staff, settings):
    settings.STAFF_TWO_FACTOR = "required"
    sign_in(client)
    for admin_page in ("/admin/", "/admin/account/", "/django-admin/"):
        response = client.get(admin_page)
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP + "?next=")
    page = client.get(SETUP + "?next=/admin/")
    assert page.status_code == 200
    assert "vorgeschrieben" in page.content.decode()
    # The verify page, too, leads there.
    assert client.get(VERIFY)["Location"].startswith(SETUP)


def test_required_mode_with_a_device_asks_for_the_code(client, app, settings):
    settings.STAFF_TWO_FACTOR = "required"
    sign_in(client)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(app)})
    assert client.get("/admin/").status_code == 200


def test_off_mode_asks_nothing_and_hides_the_pages(client, app, settings):
    settings.STAFF_TWO_FACTOR = "off"
    sign_in(client)
    assert client.get("/admin/").status_code == 200
    assert client.get(VERIFY).status_code == 404
    assert client.get(OVERVIEW).status_code == 404


def test_setup_creates_a_confirmed_device_only_after_a_correct_code(client, staff):
    sign_in(client)
    page = client.get(SETUP + "?next=/admin/pages/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<img src="data:image/svg+xml;base64,' in html
    assert 'alt="QR-Code zum Einrichten der Authenticator-App"' in html
    pending = TOTPDevice.objects.get(user=staff)
    assert not pending.confirmed
    shown_key = html.split("<code>")[1].split("</code>")[0]
    assert "".join(shown_key.split()) == b32encode(pending.bin_key).decode().rstrip("=")
    assert "secret=" + b32encode(pending.bin_key).decode() in pending.config_url
    # A reload shows the same key (the person may have scanned it already).
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=staff).count() == 1

    wrong = client.post(SETUP, {"code": wrong_code(pending), "next": "/admin/pages/"})
    assert "Dieser Code stimmt nicht" in wrong.content.decode()
    pending.refresh_from_db()
    assert not pending.confirmed
    assert not StaticDevice.objects.filter(user=staff).exists()

    unthrottle(pending)
    done = client.post(SETUP, {"code": code_for(pending), "next": "/admin/pages/"})
    assert done.status_code == 200
    pending.refresh_from_db()
    assert pending.confirmed
    tokens = list(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(tokens) == 10
    html = done.content.decode()
    assert all(f"<code>{token}</code>" in html for token in tokens)
    assert 'href="/admin/pages/"' in html
    # This session has just shown a code: straight in.
    assert client.get("/admin/").status_code == 200

    # The next sign-in asks for the next code.
    client.post("/admin/logout/")
    sign_in(client)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"code": code_for(pending, steps_ahead=1)}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_setup_is_no_way_around_an_existing_device(client, app):
    sign_in(client)
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=app.user).count() == 1


def test_disabling_requires_a_code(client, app, backup):
    sign_in(client)
    client.post(VERIFY, {"code": code_for(app)})
    assert client.get(DISABLE).status_code == 200

    refused = client.post(DISABLE, {"code": wrong_code(app)})
    assert "Dieser Code stimmt nicht" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=app.user).exists()
    assert client.post(DISABLE, {"code": ""}).status_code == 200
    assert TOTPDevice.objects.filter(user=app.user).exists()

    unthrottle(app)
    done = client.post(DISABLE, {"code": code_for(app, steps_ahead=1)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=app.user).exists()
    assert not StaticDevice.objects.filter(user=app.user).exists()
    # Optional mode: the password is enough again.
    assert client.get("/admin/").status_code == 200


def test_an_unverified_session_cannot_disable_or_renew(client, app, backup):
    sign_in(client)
    assert client.get(DISABLE)["Location"].startswith(VERIFY)
    assert client.post(DISABLE, {"code": "abcd2345"})["Location"].startswith(VERIFY)
    assert client.post(BACKUP)["Location"].startswith(VERIFY)
    assert client.get(OVERVIEW)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=app.user).exists()
    assert StaticToken.objects.filter(device=backup).exists()


def test_new_backup_codes_replace_the_old_ones(client, app, backup):
    sign_in(client)
    client.post(VERIFY, {"code": code_for(app)})
    overview = client.get(OVERVIEW)
    assert overview.status_code == 200
    assert "Eingeschaltet." in overview.content.decode()
    response = client.post(BACKUP)
    assert response.status_code == 200
    tokens = set(StaticToken.objects.filter(device__user=app.user).values_list("token", flat=True))
    assert len(tokens) == 10
    assert "abcd2345" not in tokens


def test_learners_are_not_affected(client, home_page, settings):
    settings.STAFF_TWO_FACTOR = "required"
    learner = UserFactory(username="lernende@example.org")
    response = client.post(f"/lernen/link/{get_token(learner)}/")
    assert response.status_code == 302
    assert response["Location"] == "/lernen/"
    assert client.get("/lernen/").status_code == 200
    # The admin is closed to them as before: Wagtail's sign-in, not the code check.
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith("/admin/login/")
    assert client.get(VERIFY).status_code == 403
    assert client.get(SETUP).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_the_public_site_never_asks_staff_for_a_code(client, app, home_page):
    sign_in(client)
    assert client.get(home_page.url).status_code == 200


def test_signed_out_visitors_are_sent_to_the_sign_in(client, home_page):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_account_page_links_to_the_two_factor_settings(client, app):
    sign_in(client)
    client.post(VERIFY, {"code": code_for(app)})
    html = client.get("/admin/account/").content.decode()
    assert 'href="/admin/zwei-faktor/"' in html
    assert "Zwei-Faktor-Anmeldung" in html


def test_pages_send_the_site_csp_and_use_no_inline_script_or_style(client, app):
    sign_in(client)
    response = client.get(VERIFY)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "no-store" in response["Cache-Control"]
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text()
        assert "<script" not in source, template.name
        assert "<style" not in source and "style=" not in source, template.name


def test_reset_command_removes_a_lost_device(app, backup):
    call_command("reset_two_factor", "redaktion")
    assert not TOTPDevice.objects.filter(user=app.user).exists()
    assert not StaticDevice.objects.filter(user=app.user).exists()


def test_unknown_mode_is_a_configuration_error(settings):
    settings.STAFF_TWO_FACTOR = "sometimes"
    assert [error.id for error in check_two_factor_settings(None)] == ["staffauth.E001"]
    settings.STAFF_TWO_FACTOR = "required"
    assert check_two_factor_settings(None) == []


def test_the_gate_needs_django_otp_middleware_before_it(settings):
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "django_otp.middleware.OTPMiddleware"
    ]
    assert [error.id for error in check_two_factor_settings(None)] == ["staffauth.E003"]
