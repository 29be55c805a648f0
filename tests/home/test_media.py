"""Images are served from MEDIA_ROOT; private documents never are."""

from pathlib import Path

import pytest
from wagtail.images.models import Image

from home.images import get_or_create_image


@pytest.fixture
def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "images" / "bild.width-400.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "documents" / "arbeitsblatt.pdf").write_bytes(b"%PDF-1.4 geheim")
    return root


@pytest.fixture
def public_image(db):
    return get_or_create_image("Werkstatt", size=(120, 80))


@pytest.mark.django_db
def test_public_images_and_renditions_are_served_and_cached(client, public_image):
    rendition = public_image.get_rendition("width-60")
    for url in (public_image.file.url, rendition.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]


@pytest.mark.django_db
def test_files_of_no_image_are_not_served(client, media_files):
    """Leftovers and guesses in the image folders belong to no image: nothing to show."""
    assert client.get("/media/images/bild.width-400.png").status_code == 404
    assert client.get("/media/images/gibt-es-nicht.png").status_code == 404


@pytest.mark.django_db
def test_deleted_image_is_gone(client, public_image):
    url = public_image.file.url
    assert client.get(url).status_code == 200
    Image.objects.filter(pk=public_image.pk).delete()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_document_files_are_not_served_from_media(client, media_files):
    response = client.get("/media/documents/arbeitsblatt.pdf")
    assert response.status_code == 404
    assert b"geheim" not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.mark.django_db
def test_no_path_traversal_out_of_the_image_folder(client, media_files):
    assert client.get("/media/images/../documents/arbeitsblatt.pdf").status_code == 404
    assert client.get("/media/images/%2e%2e/documents/arbeitsblatt.pdf").status_code == 404
    assert client.get("/media/images/..").status_code == 404
