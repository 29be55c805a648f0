"""What staff read in the admin and in downloads: German labels, local time, no
"None", one CSV dialect."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from enrolment import services
from enrolment.mail import queue_mail
from enrolment.models import Enrolment, OutgoingMail
from home.spreadsheets import csv_bytes, xlsx_bytes
from tests.enrolment.builders import confirmed, course_date, person
from tests.factories import UserFactory
from tests.test_admin_german import shown_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(username="redakteurin")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_the_one_csv_dialect():
    body = csv_bytes(
        ["Name", "Wann", "Betrag", "Leer", "Ja"],
        [
            ["=1+1", utc(2027, 1, 15, 8, 0), 49.5, None, True],
            ["+49 351", "-x", "@SUM(A1)", "\tTab", "Müller; Söhne"],
        ],
    )
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Name;Wann;Betrag;Leer;Ja"
    assert lines[1] == "'=1+1;15.01.2027 09:00;49,50;;ja"  # Europe/Berlin, German number
    assert lines[2] == "'+49 351;'-x;'@SUM(A1);'\tTab;\"Müller; Söhne\""


def test_xlsx_sheets_are_named_and_cells_inert():
    workbook = load_workbook(io.BytesIO(xlsx_bytes("Teilnehmende: Kurs/1", ["A"], [["=2*3"]])))
    assert workbook.sheetnames == ["Teilnehmende  Kurs 1"]
    assert workbook.active["A2"].value == "'=2*3"


def test_every_csv_export_uses_the_dialect(client, staff):
    date = course_date()
    confirmed(date, 1)
    services.staff_enrol(date.pk, person(2, company="=HYPERLINK(1)"))
    for url in (
        reverse("enrolment_export", args=[date.pk, "csv"]),
        reverse("enrolment_admin:index") + "?export=csv",
        reverse("enrolment_outbox:index") + "?export=csv",
        reverse("enrolment_statistics") + "?export=csv",
    ):
        response = client.get(url)
        assert response["Content-Type"] == "text/csv; charset=utf-8", url
        assert response.content.startswith(b"\xef\xbb\xbf"), url
        text = response.content.decode("utf-8-sig")
        assert ";" in text.splitlines()[0], url
        assert "None" not in text and ";=" not in text, url


def test_listing_download_shows_german_status_and_local_time(client, staff):
    date = course_date()
    enrolment = confirmed(date, 1)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=utc(2027, 7, 1, 6, 30))
    response = client.get(reverse("enrolment_admin:index"), {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Anmeldungen"]
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "angemeldet" in values and "confirmed" not in values
    assert "01.07.2027 08:30" in values  # summer time in Berlin


def test_inspect_views_show_local_time_and_no_none(client, staff):
    date = course_date()
    enrolment = confirmed(date, 1)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=utc(2027, 1, 15, 8, 0))
    html = client.get(reverse("enrolment_admin:inspect", args=[enrolment.pk])).content.decode()
    assert "15.01.2027, 09:00 Uhr" in html
    assert "None" not in " ".join(shown_text(html).parts).split()
    assert "angemeldet" in html

    mail = queue_mail("confirmed", Enrolment.objects.get(pk=enrolment.pk))
    html = client.get(reverse("enrolment_outbox:inspect", args=[mail.pk])).content.decode()
    assert "Anmeldebestätigung" in html
    words = " ".join(shown_text(html).parts).split()
    assert "confirmed" not in words and "None" not in words
    local = timezone.localtime(mail.created_at).strftime("%d.%m.%Y, %H:%M")
    assert local in html
    assert OutgoingMail.objects.get(pk=mail.pk).get_kind_display() == "Anmeldebestätigung"


def test_outbox_filter_offers_kinds_in_german(client, staff):
    html = client.get(reverse("enrolment_outbox:index")).content.decode()
    assert ">Anmeldebestätigung</option>" in html


def test_cancelling_a_date_says_how_many_in_german_plural(client, staff):
    date = course_date()
    confirmed(date, 1)
    response = client.post(
        reverse("enrolment_cancel_date", args=[date.pk]),
        {"reason": "Die Trainerin ist erkrankt."},
        follow=True,
    )
    assert "1 Person wird per E-Mail informiert." in response.content.decode()
