"""Bad input never reaches the database unchecked: NUL characters and absurd numbers
give 400 or a message next to the field, never a server error, on SQLite and on
PostgreSQL alike (PostgreSQL cannot store or compare text containing NUL)."""

import pytest
from django.urls import reverse

from courses.models import CourseDate
from enrolment.models import Enrolment
from tests.enrolment.builders import confirmed, course_date, course_index
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    date = course_date(capacity=5)
    course_index()
    return date


@pytest.fixture
def staff(client):
    user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def refused(response):
    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()
    return True


@pytest.mark.parametrize(
    "url",
    [
        "/kurse/?ort=%00",
        "/kurse/?ort=Riesa%00",
        "/kurse/?thema=%00",
        "/kurse/?zielgruppe=%00",
        "/kurse/?gewerk=a%00b",
        "/kurse/?format=%00",
        "/kurse/?monat=%00",
        "/kurse/?sortierung=%00",
        "/kurse/?q=Digital%00",
        "/kurse/?page=%00",
        "/kurse/?%00=1",
        "/kurse/kalender/?thema=%00",
        "/suche/?q=%00",
        "/aktuelles/?kategorie=%00",
        "/kurse/%00/",
        "/lernen/anmelden/?next=%00",
        "/anmeldung/termin/1/?x=%00",
    ],
)
def test_nul_in_the_address_or_a_query_parameter_is_400(client, catalogue, url):
    """Finding: /kurse/?ort=%00 and /kurse/kalender/?thema=%00 were 500 on PostgreSQL."""
    assert refused(client.get(url, raise_request_exception=False))


@pytest.mark.parametrize(
    "url",
    [
        "/kurse/?page=" + "9" * 5000,
        "/kurse/?page=1e99999999",
        "/kurse/?page=-99999999999999999999",
        "/kurse/?monat=99999-99",
        "/kurse/?monat=2027-1e9",
        "/kurse/?ort=" + "x" * 10_000,
        "/suche/?page=" + "9" * 5000,
        "/suche/?page=Infinity",
        "/kurse/kalender/?thema=" + "y" * 10_000,
    ],
)
def test_absurd_numbers_and_lengths_give_a_normal_page(client, catalogue, url):
    assert client.get(url, raise_request_exception=False).status_code == 200


def test_nul_in_a_cookie_or_header_is_400(client, catalogue, django_user_model):
    """A NUL in the session cookie reached the session table; one in the User-Agent
    reached the login throttle's table on a failed admin login."""
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert refused(client.get("/", raise_request_exception=False))
    del client.cookies["sessionid"]
    django_user_model.objects.create_user("redaktion", "r@example.org", "pw", is_staff=True)
    response = client.post(
        "/admin/login/",
        {"username": "redaktion", "password": "falsch"},
        HTTP_USER_AGENT="Mozilla\x00",
        raise_request_exception=False,
    )
    assert refused(response)


def test_nul_in_form_fields_gets_a_message_next_to_the_field(client, catalogue):
    response = client.post("/lernen/anmelden/", {"email": "a\x00@example.org"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(
        "/admin/login/", {"username": "red\x00aktion", "password": "x"}, follow=False
    )
    assert response.status_code == 200


def test_admin_person_view_refuses_nul(client, staff):
    """Finding: the person view ("Daten einer Person") was 500 on PostgreSQL."""
    date = course_date(capacity=2)
    person = confirmed(date, 1)
    url = reverse("enrolment_person")
    assert refused(
        client.get(url + "?email=person1%40example.org%00", raise_request_exception=False)
    )
    for action in ("export", "erase"):
        response = client.post(
            url, {"email": "person1@example.org\x00", "action": action}, follow=True
        )
        assert response.status_code == 200
        assert "gültige E-Mail-Adresse" in response.content.decode()
    person.refresh_from_db()
    assert person.anonymised_at is None and person.status == "confirmed"
    # the ordinary look-up still works
    assert (
        "person1@example.org" in client.get(url, {"email": "person1@example.org"}).content.decode()
    )


def test_cancelling_a_date_with_nul_in_the_reason_explains_and_keeps_the_date(client, staff):
    date = course_date(capacity=2)
    url = reverse("enrolment_cancel_date", args=[date.pk])
    response = client.post(url, {"reason": "Krank\x00heit"})
    assert response.status_code == 200
    assert "Null" in response.content.decode()
    date.refresh_from_db()
    assert date.status == CourseDate.Status.PLANNED


def test_nul_in_the_enrolment_form_is_refused_with_the_rest_kept(client, catalogue):
    data = {
        "first_name": "Erika\x00",
        "last_name": "Muster",
        "email": "erika@example.org",
        "role": "master",
        "postcode": "01662",
        "consent": "on",
    }
    response = client.post(reverse("enrolment:enrol", args=[catalogue.pk]), data)
    assert response.status_code == 400
    assert 'value="Muster"' in response.content.decode()
    assert not Enrolment.objects.exists()
