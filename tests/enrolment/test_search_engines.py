"""What search engines get of the enrolment pages: the form of an open date is a public
page that describes itself; every page behind a mail link or about a closed date stays
out of their index."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enrolment import services, tokens
from tests.enrolment.builders import course_date, person
from tests.home.test_seo import HeadParser

pytestmark = pytest.mark.django_db


def head_of(response):
    assert response.status_code == 200
    return HeadParser(response.content.decode())


def test_the_form_of_an_open_date_may_be_indexed_and_describes_the_date(client):
    start = timezone.make_aware(timezone.datetime(2031, 3, 12, 9, 0))
    date = course_date(start=start, end=start + timedelta(hours=6))

    meta = head_of(client.get(reverse("enrolment:enrol", args=[date.pk]))).meta

    assert "robots" not in meta
    assert meta["description"] == (
        f"Anmeldung zum Kurs „{date.course.title}“ am 12. März 2031: Termin, Ort und Preis "
        "auf einen Blick, Bestätigung per E-Mail."
    )


def test_the_page_of_a_closed_date_stays_out_of_the_index(client):
    date = course_date(registration_deadline=timezone.now() - timedelta(minutes=1))

    meta = head_of(client.get(reverse("enrolment:enrol", args=[date.pk]))).meta

    assert meta["robots"] == "noindex"


def test_pages_behind_mail_links_stay_out_of_the_index(client):
    date = course_date()
    enrolment = services.request_enrolment(date.pk, person(1)).enrolment
    token = tokens.make_token(enrolment, tokens.CONFIRM)

    for url in (
        reverse("enrolment:sent", args=[date.pk]),
        reverse("enrolment:confirm", args=[token]),
    ):
        assert head_of(client.get(url)).meta["robots"] == "noindex", url


def test_the_breadcrumbs_name_the_home_page_so_the_link_says_where_it_leads(client):
    date = course_date()

    html = client.get(reverse("enrolment:enrol", args=[date.pk])).content.decode()

    assert '<a href="/">Startseite</a>' in html
