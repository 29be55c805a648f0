"""The statistics report: figures against the database, SVG charts, CSV/XLSX."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from enrolment import reports, services
from tests.enrolment.builders import confirmed, course_date, course_page, person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="redakteurin")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


@pytest.fixture
def data():
    course = course_page(title="Digitale Werkstatt")
    date = course_date(course, capacity=4)
    confirmed(date, 1)  # role master
    services.staff_enrol(date.pk, person(2, role="apprentice"))
    services.staff_enrol(date.pk, person(3, role="apprentice"))
    services.request_enrolment(date.pk, person(4))  # unconfirmed: not counted
    return course, date


def test_figures_match_the_database(data):
    course, date = data
    months = reports.per_month()
    assert len(months) == 12
    assert months[-1].value == 3 and sum(r.value for r in months) == 3
    topics = reports.per_topic()
    assert [(r.label, r.value) for r in topics] == [("Digitalisierung", 3)]
    occupancy = {r.label: r for r in reports.occupancy_per_course()}
    assert occupancy["Digitale Werkstatt"].value == 3
    assert occupancy["Digitale Werkstatt"].capacity == 4
    assert occupancy["Digitale Werkstatt"].percent == 75
    roles = {r.label: (r.value, r.percent) for r in reports.role_share()}
    assert roles == {"Auszubildende/r": (2, 67), "Meister/in": (1, 33)}


def test_report_page_draws_svg_charts(client, editor, data):
    response = client.get(reverse("enrolment_statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg role="img"') >= 4
    assert "<title>Anmeldungen pro Monat</title>" in html
    assert "Auszubildende/r: 2" in html  # text alternative of the role chart
    assert "3 / 4 (75 %)" in html


def test_report_downloads_csv_and_xlsx(client, editor, data):
    url = reverse("enrolment_statistics")
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())  # the one CSV dialect
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0] == ["Auswertung", "Bezeichnung", "Anzahl", "von (Plätze / gesamt)", "Prozent"]
    assert ["Belegung pro Kurs", "Digitale Werkstatt", "3", "4", "75"] in rows
    assert ["Anteil der Rollen", "Auszubildende/r", "2", "3", "67"] in rows

    response = client.get(url, {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Statistik"]
    sheet = workbook.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["Anmeldungen pro Thema", "Digitalisierung", 3, None, None] in values


def test_report_is_staff_only(client, data):
    user = UserFactory(username="t")
    user.groups.add(Group.objects.get(name="Trainer"))
    client.force_login(user)
    for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
        response = client.get(reverse("enrolment_statistics"), params)
        assert response.status_code in (302, 403)
        assert not response.has_header("Content-Disposition")


def test_empty_report(client, editor):
    html = client.get(reverse("enrolment_statistics")).content.decode()
    assert "Noch keine Daten." in html
