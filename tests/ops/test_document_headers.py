"""Documents of private collections (course material) are personal: never stored
by a browser or proxy, and no validator that a conditional request could probe.
Public documents are served as Wagtail serves them."""

import pytest
from django.core.files.base import ContentFile
from django.utils.http import http_date
from sesame.utils import get_token
from wagtail.documents.models import Document

from learning.lessons import add_participant
from tests.enrolment.builders import course_page
from tests.factories import UserFactory, build_private_document

pytestmark = pytest.mark.django_db

FUTURE = http_date(4102444800)  # 2100-01-01


@pytest.fixture
def participant_client(client):
    course = course_page()
    document = build_private_document(course)
    learner = UserFactory(username="lena@example.org")
    learner.set_unusable_password()
    learner.save()
    add_participant(course, learner)
    assert client.post(f"/lernen/link/{get_token(learner)}/").status_code == 302
    return client, document


def test_private_document_is_never_stored_and_has_no_validators(participant_client):
    client, document = participant_client
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 geheim"
    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]
    assert "ETag" not in response
    assert "Last-Modified" not in response


@pytest.mark.parametrize(
    "header, value",
    [
        ("HTTP_IF_NONE_MATCH", '""'),
        ("HTTP_IF_NONE_MATCH", "*"),
        ("HTTP_IF_MODIFIED_SINCE", FUTURE),
    ],
)
def test_conditional_requests_cannot_probe_a_private_document(participant_client, header, value):
    client, document = participant_client
    response = client.get(document.url, **{header: value})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_private_document_stays_closed_to_others(participant_client):
    from django.test import Client

    _client, document = participant_client
    response = Client().get(document.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/lernen/anmelden/")
    assert "no-store" in response["Cache-Control"]


def test_public_documents_are_served_unchanged(client, home_page):
    document = Document.objects.create(
        title="Flyer", file=ContentFile(b"%PDF-1.4 offen", name="flyer.pdf")
    )
    document.get_file_hash()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["ETag"] == f'"{document.file_hash}"'
    assert "no-store" not in response.get("Cache-Control", "")
    again = client.get(document.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
