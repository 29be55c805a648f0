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


LONG_A = "Betriebsnachfolge rechtzeitig planen: Übergabe an die nächste Generation"
LONG_B = "Betriebsnachfolge rechtzeitig planen: Übergabe an Mitarbeitende"


def test_long_course_names_are_shown_in_full_wrapped_with_tooltip_and_table(client, editor):
    assert LONG_A[:40] == LONG_B[:40]  # cut at 40 characters, the two looked the same
    for title in (LONG_A, LONG_B):
        confirmed(course_date(course_page(title=title), capacity=4), 1)
    html = client.get(reverse("enrolment_statistics")).content.decode()
    for title in (LONG_A, LONG_B):
        assert f"<title>{title}: 1 / 4 (25 %)</title>" in html  # tooltip of the bar
        assert f'<th scope="row">{title}</th>' in html  # the table beside the chart
    # the label wraps onto lines left of the bar instead of running off the left edge
    assert "<tspan" in html and "Übergabe an die nächste" in html
    assert 'class="academy-chart__scroll"' in html  # scrolls sideways on a narrow screen
    assert 'width="100%"' not in html


def test_filters_by_topic_and_period(client, editor, data):
    from courses.models import Topic

    other = course_page(title="Nachfolge-Abend")
    craft = Topic.objects.create(name="Betriebsnachfolge", slug="betriebsnachfolge")
    other.topics.set([craft])
    other.save()
    confirmed(course_date(other, capacity=5), 9)
    url = reverse("enrolment_statistics")
    html = client.get(url).content.decode()
    assert "Nachfolge-Abend" in html and "Digitale Werkstatt" in html
    html = client.get(url, {"thema": craft.pk}).content.decode()
    assert "Nachfolge-Abend" in html and "Digitale Werkstatt" not in html
    response = client.get(url, {"thema": craft.pk, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Anmeldungen pro Thema", "Betriebsnachfolge", "1", "", ""] in rows
    # a period before every enrolment: nothing counted, the months of that period listed
    html = client.get(url, {"von": "2020-01-01", "bis": "2020-03-31"}).content.decode()
    assert "Januar 2020" in html and "März 2020" in html and "Mai 2020" not in html
    assert "Digitale Werkstatt: 3" not in html
    scope = reports.scope_from({"von": None, "bis": None, "thema": craft})
    assert [(r.label, r.value) for r in reports.per_topic(scope)] == [("Betriebsnachfolge", 1)]
