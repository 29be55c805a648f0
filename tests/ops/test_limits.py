"""Upload limits for images and login throttling for the admin."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.images.fields import WagtailImageField

pytestmark = pytest.mark.django_db


def png(width, height) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return SimpleUploadedFile("bild.png", buffer.getvalue(), content_type="image/png")


def test_image_limits_are_configured(settings):
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024


def test_image_too_large_in_bytes_is_refused(settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 200
    with pytest.raises(ValidationError) as error:
        WagtailImageField().clean(png(300, 300))
    assert error.value.code == "file_too_large"


def test_image_with_too_many_pixels_is_refused(settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100 * 100
    with pytest.raises(ValidationError) as error:
        WagtailImageField().clean(png(101, 100))
    assert error.value.code == "file_too_many_pixels"


def test_image_within_limits_is_accepted():
    assert WagtailImageField().clean(png(40, 30))


def test_html_disguised_as_image_is_refused():
    fake = SimpleUploadedFile("bild.png", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError):
        WagtailImageField().clean(fake)


@pytest.mark.redis
def test_admin_login_is_throttled_after_repeated_failures(client, django_user_model, settings):
    django_user_model.objects.create_user(
        "redaktion", "redaktion@example.org", "richtiges-Passwort-1", is_staff=True
    )
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(
            "/admin/login/", {"username": "redaktion", "password": "falsch"}, REMOTE_ADDR="10.1.1.1"
        )
        assert response.status_code == 200
    locked = client.post(
        "/admin/login/", {"username": "redaktion", "password": "falsch"}, REMOTE_ADDR="10.1.1.1"
    )
    assert locked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in locked.content.decode()
    # Even the right password is refused while locked.
    again = client.post(
        "/admin/login/",
        {"username": "redaktion", "password": "richtiges-Passwort-1"},
        REMOTE_ADDR="10.1.1.1",
    )
    assert again.status_code == 429


@pytest.mark.redis
def test_successful_admin_login_still_works(client, django_user_model, home_page):
    django_user_model.objects.create_user(
        "redaktion",
        "redaktion@example.org",
        "richtiges-Passwort-1",
        is_staff=True,
        is_superuser=True,
    )
    response = client.post(
        "/admin/login/", {"username": "redaktion", "password": "richtiges-Passwort-1"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
