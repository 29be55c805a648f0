"""Images are served from MEDIA_ROOT; private documents never are."""

from pathlib import Path

import pytest


@pytest.fixture
def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "images" / "bild.width-400.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "documents" / "arbeitsblatt.pdf").write_bytes(b"%PDF-1.4 geheim")
    return root


@pytest.mark.django_db
def test_image_renditions_are_served(client, media_files):
    response = client.get("/media/images/bild.width-400.png")
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]


@pytest.mark.django_db
def test_document_files_are_not_served_from_media(client, media_files):
    response = client.get("/media/documents/arbeitsblatt.pdf")
    assert response.status_code == 404
    assert b"geheim" not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.mark.django_db
def test_no_path_traversal_out_of_the_image_folder(client, media_files):
    assert client.get("/media/images/../documents/arbeitsblatt.pdf").status_code == 404
    assert client.get("/media/images/%2e%2e/documents/arbeitsblatt.pdf").status_code == 404
