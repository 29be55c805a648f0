"""A person's data: the same complete export for staff (admin "Daten einer Person")
and for the learner, with German keys, as JSON and as a printable page."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from enrolment import services
from enrolment.models import PERSONAL_FIELDS, Enrolment
from learning.models import Attendance, Certificate, LessonProgress, QuizPass
from tests.enrolment.builders import course_date, course_page, person
from tests.factories import UserFactory, build_material

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_roles")]
EMAIL = "person1@example.org"


@pytest.fixture
def learner_with_history():
    course = course_page(title="Digitale Auftragsabwicklung")
    _material, lessons = build_material(course, lessons=("Vom Anruf zum Auftrag", "Angebote"))
    date = course_date(course)
    outcome = services.request_enrolment(date.pk, person(1, remarks="Rollstuhl"))
    enrolment = services.confirm(outcome.enrolment.pk).enrolment
    user = get_user_model().objects.get(username=EMAIL)
    LessonProgress.objects.create(user=user, lesson=lessons[0])
    QuizPass.objects.create(user=user, lesson=lessons[1], block_id="q1")
    Attendance.objects.create(enrolment=enrolment, session=0, present=True)
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        name="Erika Muster-b",
        course_title=course.title,
        dates_text="15.03.2027",
        issued_at=timezone.make_aware(datetime.datetime(2027, 3, 15, 16, 30)),
    )
    other = course_date(course)
    services.staff_enrol(other.pk, person(2))  # someone else: never in the export
    return {"user": user, "enrolment": enrolment, "certificate": certificate}


def check_complete(data):
    assert data["E-Mail-Adresse"] == EMAIL
    assert data["Konto"]["E-Mail-Adresse"] == EMAIL
    (record,) = data["Anmeldungen"]
    assert record["Kurs"] == "Digitale Auftragsabwicklung"
    assert record["Status"] == "angemeldet"
    for name in PERSONAL_FIELDS:  # the one list of personal fields, under German labels
        assert str(Enrolment._meta.get_field(name).verbose_name) in record
    assert record["Anmerkungen"] == "Rollstuhl"
    assert data["Einwilligungen"][0]["Einwilligung"].startswith("Datenschutzhinweis")
    assert [p["Lektion"] for p in data["Lernfortschritt"]] == ["Vom Anruf zum Auftrag"]
    assert [q["Lektion"] for q in data["Bestandene Selbsttests"]] == ["Angebote"]
    assert data["Anwesenheit"][0]["Anwesend"] == "ja"
    assert data["Anwesenheit"][0]["Kurstag"] == 1
    (certificate,) = data["Bescheinigungen"]
    assert certificate["Ausgestellt am"] == "15.03.2027 16:30"  # local time, German
    text = json.dumps(data, ensure_ascii=False)
    assert "person2@example.org" not in text
    assert "None" not in text and "null" not in text
    keys = set(data) | {
        key
        for entries in data.values()
        if isinstance(entries, list)
        for entry in entries
        for key in entry
    }
    assert not {"email", "first_name", "status", "created_at", "konto"} & keys


def test_learner_downloads_complete_export_with_german_keys(client, learner_with_history):
    client.force_login(learner_with_history["user"])
    response = client.get(reverse("learner:data_export"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    check_complete(json.loads(response.content))


def test_learner_reads_and_prints_the_same_data(client, learner_with_history):
    client.force_login(learner_with_history["user"])
    html = client.get(reverse("learner:data_export"), {"als": "seite"}).content.decode()
    assert "<h1>Meine Daten</h1>" in html and "<style>" not in html  # the site's own CSS
    for heading in (
        "Konto",
        "Anmeldungen",
        "Einwilligungen",
        "Lernfortschritt",
        "Bestandene Selbsttests",
        "Anwesenheit",
        "Bescheinigungen",
    ):
        assert f">{heading}</h2>" in html
    assert "Vom Anruf zum Auftrag" in html
    assert learner_with_history["certificate"].number in html
    assert "None" not in html
    home = client.get(reverse("learner:home")).content.decode()
    assert f"{reverse('learner:data_export')}?als=seite" in home


def test_staff_export_is_the_same_data(client, learner_with_history):
    staff = UserFactory(username="redakteurin")
    staff.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(staff)
    url = reverse("enrolment_person")
    response = client.post(url, {"email": EMAIL, "action": "export"})
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="personendaten-')
    check_complete(json.loads(response.content))
    page = client.post(url, {"email": EMAIL, "action": "export_html"})
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert ">Bescheinigungen</h2>" in html and "Rollstuhl" in html
    assert "Daten ansehen und drucken" in client.get(url, {"email": EMAIL}).content.decode()


def test_erasing_says_how_many_in_german_plural(client, learner_with_history):
    staff = UserFactory(username="redakteurin")
    staff.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(staff)
    # first a page that says what will happen, then the erasure
    confirm = client.post(reverse("enrolment_person"), {"email": EMAIL, "action": "erase"})
    assert "erase_confirmed" in confirm.content.decode()
    response = client.post(
        reverse("enrolment_person"), {"email": EMAIL, "action": "erase_confirmed"}, follow=True
    )
    assert "1 Anmeldung anonymisiert, davon" in response.content.decode()
