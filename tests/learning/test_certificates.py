"""Teilnahmebescheinigung: who gets it, what the PDF says, public verification."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from enrolment.models import Enrolment
from learning import attendance, learner
from learning.models import Certificate, LessonProgress
from tests.enrolment.builders import course_date, course_page, person
from tests.factories import TrainerFactory, build_material

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def attended():
    course = course_page(
        title="Betriebsnachfolge rechtzeitig planen",
        duration_hours=Decimal("7.5"),
        teaching_units=10,
        learning_objectives="<ul><li>Übergabe vorbereiten</li><li>Größe des Betriebs bewerten</li></ul>",
    )
    course.trainers.add(TrainerFactory(name="Jörg Weiß"))
    course.save_revision().publish()
    date = course_date(course, days=-2, seats_confirmed=1)
    enrolment = Enrolment.objects.create(
        course_date=date,
        status=Enrolment.Status.CONFIRMED,
        privacy_version="1",
        **person(1, first_name="Jürgen", last_name="Größmann"),
    )
    user = learner.link_user(enrolment)
    attendance.record(date, {(enrolment.pk, 0): True})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ATTENDED
    return enrolment, user


def test_certificate_pdf_content_and_verification(client, attended):
    enrolment, user = attended
    client.force_login(user)
    html = client.get(reverse("learner:home")).content.decode()
    url = reverse("learner:certificate", args=[enrolment.pk])
    assert url in html
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    certificate = Certificate.objects.get(enrolment=enrolment)
    for expected in (
        "Teilnahmebescheinigung",
        "Jürgen Größmann",
        "Betriebsnachfolge rechtzeitig planen",
        "6 Stunden",  # attended: the one session of six hours
        "Besuchte Kurstage",
        "10 Unterrichtseinheiten",
        "Übergabe vorbereiten",
        "Jörg Weiß",
        "Innovationsakademie Handwerk",
        certificate.number,
        f"/zertifikat/{certificate.number}/",
    ):
        assert expected in text, expected
    # the same number on a second download
    client.get(url)
    assert Certificate.objects.count() == 1

    client.logout()
    check = client.get(reverse("certificates:verify", args=[certificate.number]))
    page = check.content.decode()
    assert check.status_code == 200
    assert "echt und gültig" in page
    assert "Jürgen Größmann" in page
    assert enrolment.email not in page
    assert enrolment.phone not in page
    assert enrolment.company not in page


def test_unknown_certificate_number(client, db):
    response = client.get(reverse("certificates:verify", args=["AAAA-BBBB-CCCC-DDDD"]))
    assert response.status_code == 404
    assert "keine Bescheinigung" in response.content.decode()


def test_certificate_numbers_are_random():
    numbers = {Certificate._meta.get_field("number").default() for _ in range(50)}
    assert len(numbers) == 50
    assert all(len(n) == 19 for n in numbers)


def test_no_certificate_without_attendance_or_for_others(client, attended):
    enrolment, user = attended
    other = get_user_model().objects.create_user("fremd@example.org", "fremd@example.org")
    client.force_login(other)
    assert client.get(reverse("learner:certificate", args=[enrolment.pk])).status_code == 404
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.CONFIRMED)
    client.force_login(user)
    assert client.get(reverse("learner:certificate", args=[enrolment.pk])).status_code == 404


def test_staff_download_from_the_certificate_list_not_by_enrolment_id(client, attended):
    enrolment, user = attended
    client.force_login(user)
    client.get(reverse("learner:certificate", args=[enrolment.pk]))
    certificate = Certificate.objects.get(enrolment=enrolment)
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    # the learner's address serves only the learner's own enrolments
    assert client.get(reverse("learner:certificate", args=[enrolment.pk])).status_code == 404
    listing = client.get(reverse("learning_certificates:index"))
    assert certificate.number in listing.content.decode()
    response = client.get(reverse("learning_certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert certificate.number in pdf_text(response.content)
    assert Certificate.objects.count() == 1  # downloading creates nothing


def test_required_lessons_before_certificate(client, attended):
    enrolment, user = attended
    course = enrolment.course_date.course
    _material, lessons = build_material(course, certificate_requires_lessons=True)
    client.force_login(user)
    url = reverse("learner:certificate", args=[enrolment.pk])
    assert client.get(url).status_code == 404
    for lesson in lessons:
        LessonProgress.objects.create(user=user, lesson=lesson)
    assert client.get(url).status_code == 200


def test_a_number_typed_into_the_check_form_leads_to_its_certificate(client, attended):
    enrolment, _user = attended
    certificate = issue_for(enrolment)
    form = client.get("/zertifikat/")
    assert form.status_code == 200
    assert 'name="nummer"' in form.content.decode()

    typed = certificate.number.replace("-", "").lower()
    response = client.get("/zertifikat/", {"nummer": f"  {typed} "})
    assert response.status_code == 302
    assert response["Location"] == f"/zertifikat/{certificate.number}/"
    page = client.get(response["Location"]).content.decode()
    assert "echt und gültig" in page and "Jürgen Größmann" in page
    # the page of a number offers the form for the next one
    assert 'action="/zertifikat/"' in page


@pytest.mark.parametrize("typed", ["", "ABC", "x" * 500, "ÄÖÜ-ß", "<script>", "abc\u200b"])
def test_a_malformed_number_is_explained_and_kept(client, db, typed):
    response = client.get("/zertifikat/", {"nummer": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert "16 Zeichen" in html
    assert "<script>" not in html.split('name="nummer"')[1][:200]


def test_a_wellformed_unknown_number_says_so(client, db):
    response = client.get("/zertifikat/", {"nummer": "aaaabbbbccccdddd"}, follow=True)
    assert response.status_code == 404
    assert "keine Bescheinigung" in response.content.decode()


def issue_for(enrolment):
    from learning.certificates import issue

    return issue(enrolment)
