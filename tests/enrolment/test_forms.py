"""Bad input of every field: a German message next to the field, the rest kept,
nothing stored, never a server error."""

import pytest
from django.urls import reverse

from enrolment.models import Enrolment
from tests.enrolment.builders import course_date
from tests.enrolment.test_views import form_data

pytestmark = pytest.mark.django_db

LONG = "a" * 10_000


@pytest.fixture
def date():
    return course_date()


def send(client, date, **overrides):
    data = form_data()
    data.update(overrides)
    return client.post(reverse("enrolment:enrol", args=[date.pk]), data)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("first_name", "", "Bitte geben Sie Ihren Vornamen an."),
        ("first_name", LONG, "höchstens 100 Zeichen"),
        ("first_name", "<script>alert(1)</script>", "nur Buchstaben"),
        ("first_name", "Erika\nBcc: x@example.org", "nur Buchstaben"),
        ("first_name", "Eri\u200bka", "unsichtbaren"),
        ("first_name", "Erika \u202eakirE", "unsichtbaren"),
        ("last_name", "😀", "nur Buchstaben"),
        ("last_name", "", "Bitte geben Sie Ihren Nachnamen an."),
        ("email", "", "Bitte geben Sie Ihre E-Mail-Adresse an."),
        ("email", "keine-adresse", "gültige E-Mail-Adresse"),
        ("email", "a@example.org\nBcc: b@example.org", "gültige E-Mail-Adresse"),
        ("email", "x" * 300 + "@example.org", "höchstens 254 Zeichen"),
        ("phone", "abc", "nur Ziffern"),
        ("phone", "1" * 100, "höchstens 40 Zeichen"),
        ("role", "", "Bitte wählen Sie Ihre Rolle"),
        ("role", "king", "Bitte wählen Sie eine der angebotenen Rollen."),
        ("salutation", "mx", "Auswahl"),
        ("company", "<b>Firma</b>", "Zeichen wie"),
        ("company", LONG, "höchstens 160 Zeichen"),
        ("trade", "Tischler\r\n\x00", "Null"),
        ("postcode", "", "Bitte geben Sie Ihre Postleitzahl an."),
        ("postcode", "ABCDE", "fünf Ziffern"),
        ("postcode", "0166", "fünf Ziffern"),
        ("remarks", LONG, "höchstens 2000 Zeichen"),
        ("consent", "", "Bitte stimmen Sie dem Datenschutzhinweis zu"),
    ],
)
def test_bad_field_gets_a_message_and_keeps_the_rest(client, date, field, value, message):
    response = send(client, date, **{field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Bitte prüfen Sie Ihre Angaben" in html  # the error summary
    assert f'href="#id_{field}' in html  # links to the field
    if field != "last_name":
        assert 'value="Muster-b"' in html  # the rest is kept
    assert 'aria-invalid="true"' in html
    assert not Enrolment.objects.exists()


def test_html_in_remarks_is_stored_as_inert_text(client, date):
    response = send(client, date, remarks="<script>alert('x')</script>\nZweite Zeile")
    assert response.status_code == 302
    assert Enrolment.objects.get().remarks.startswith("<script>")


def test_names_with_accents_apostrophes_and_hyphens_are_fine(client, date):
    response = send(client, date, first_name="Zoë-Marie", last_name="O’Neill de la Tür")
    assert response.status_code == 302


def test_missing_fields_do_not_crash(client, date):
    response = client.post(reverse("enrolment:enrol", args=[date.pk]), {})
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_non_utf8_body_is_answered_without_server_error(client, date):
    body = b"first_name=\xff\xfe&last_name=M\xfcller&email=a%40example.org&consent=on"
    response = client.post(
        reverse("enrolment:enrol", args=[date.pk]),
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_list_values_and_unknown_fields_are_ignored(client, date):
    data = form_data()
    data["status"] = "confirmed"
    data["course_date"] = "999"
    data["seats_confirmed"] = "0"
    response = client.post(reverse("enrolment:enrol", args=[date.pk]), data)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.status == "pending"
    assert enrolment.course_date_id == date.pk


def test_wrong_method_is_refused(client, date):
    response = client.put(reverse("enrolment:enrol", args=[date.pk]))
    assert response.status_code == 405
