"""Importing course dates from a spreadsheet: preview, row messages, all or nothing."""

import datetime
import io
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses import import_dates
from courses.models import CourseDate, CoursePage
from tests.factories import CoursePageFactory, UserFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
URL = "/admin/kurse/termine-importieren/"


def upload(name, content=None):
    content = (DATA / name).read_bytes() if content is None else content
    return SimpleUploadedFile(name, content)


@pytest.fixture
def course(catalogue):
    page = CoursePageFactory(
        parent=catalogue, title="Digitale Werkstatt", slug="digitale-werkstatt"
    )
    page.save_revision().publish()
    return CoursePage.objects.get(pk=page.pk)


@pytest.fixture
def editor(client):
    user = UserFactory(username="redakteurin")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


def local(year, month, day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def test_url_name():
    assert reverse("courses_import_dates") == URL


def test_valid_csv_preview_then_create(client, editor, course):
    response = client.post(URL, {"sheet": upload("termine.csv")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vorschau" in html
    assert "2 Termine werden angelegt" in html
    assert html.count("wird angelegt:") == 2  # each row names its outcome
    assert not CourseDate.objects.exists()  # the preview writes nothing

    token = response.context["token"]
    response = client.post(URL, {"token": token})
    assert response.status_code == 302
    dates = list(CourseDate.objects.order_by("start"))
    assert len(dates) == 2
    first, second = dates
    assert first.course_id == course.pk
    assert first.start == local(2030, 3, 15, 9)
    assert first.end == local(2030, 3, 15, 16)
    assert (first.venue_name, first.city) == ("Qualifizierungszentrum Riesa", "Riesa")
    assert first.capacity == 12
    assert first.registration_deadline == local(2030, 3, 8, 12)
    assert first.price_override == Decimal("49.00")
    assert second.is_online and second.price_override is None
    assert second.start == local(2030, 4, 20, 10)
    # in each date's history, so the next KURSNET update carries them
    from courses.opencat import changes_since

    assert changes_since(local(2020, 1, 1, 0)).dates == {first.pk, second.pk}

    # the course's revision knows the new dates: publishing it keeps them
    page = CoursePage.objects.get(pk=course.pk)
    page.get_latest_revision_as_object().save_revision().publish()
    assert CourseDate.objects.count() == 2

    # the same sheet a second time: duplicates, nothing written
    response = client.post(URL, {"sheet": upload("termine.csv")})
    assert "Diesen Termin gibt es für den Kurs schon." in response.content.decode()
    assert response.context["token"] == ""


def test_xlsx_sheet(client, editor, course):
    response = client.post(URL, {"sheet": upload("termine.xlsx")})
    assert response.context["all_valid"]
    client.post(URL, {"token": response.context["token"]})
    dates = list(CourseDate.objects.order_by("start"))
    assert [d.start for d in dates] == [local(2030, 5, 4, 9), local(2030, 6, 1, 9)]
    assert dates[0].price_override == Decimal("35.00")
    assert dates[0].city == "Meißen"


def test_bad_rows_write_nothing_and_each_is_explained(client, editor, course):
    response = client.post(URL, {"sheet": upload("termine_mit_fehlern.csv")})
    assert response.status_code == 200
    html = response.content.decode()
    rows = response.context["rows"]
    assert [row.is_valid for row in rows] == [True, False, False, False]
    assert "3 Zeilen haben Fehler. Es wurde nichts angelegt." in html
    assert "Einen Kurs „Gibt es nicht“ gibt es nicht." in rows[1].errors
    assert any("„morgen früh“ ist kein Datum" in e for e in rows[2].errors)
    assert any("„zwölf“ ist keine ganze Zahl" in e for e in rows[2].errors)
    assert "Ende: muss nach dem Beginn liegen." in rows[3].errors
    assert "Anmeldeschluss: muss vor dem Beginn liegen." in rows[3].errors
    assert any("„-5“ ist kein Betrag" in e for e in rows[3].errors)
    assert 'name="token"' not in html
    assert not CourseDate.objects.exists()


def test_not_a_spreadsheet(client, editor, course):
    for name, content in (
        ("kein_tabellenblatt.pdf", None),
        ("fake.xlsx", b"PK\x03\x04 this is no workbook"),
        ("leer.csv", b""),
        ("text.csv", b"Hallo Welt\nnur Text"),
    ):
        response = client.post(URL, {"sheet": upload(name, content)})
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "keine lesbare Tabelle" in html or "leer" in html or "fehlen Spalten" in html, name
        assert "rows" not in response.context or not response.context.get("rows"), name
    assert not CourseDate.objects.exists()


def test_missing_columns_named(client, editor, course):
    response = client.post(URL, {"sheet": upload("x.csv", b"Kurs;Beginn\nA;B\n")})
    assert "In der ersten Zeile fehlen Spalten: Ende, Plätze." in response.content.decode()


def test_tampered_token_writes_nothing(client, editor, course):
    response = client.post(URL, {"token": "abc"}, follow=True)
    assert "Die Vorschau ist abgelaufen" in response.content.decode()
    assert not CourseDate.objects.exists()


def test_all_or_nothing_when_a_course_vanished(course):
    rows = import_dates.validate(
        [
            {
                "course": "Digitale Werkstatt",
                "start": "01.02.2031 09:00",
                "end": "01.02.2031 12:00",
                "capacity": "5",
            },
            {
                "course": "Digitale Werkstatt",
                "start": "02.02.2031 09:00",
                "end": "02.02.2031 12:00",
                "capacity": "5",
            },
        ]
    )
    payload = [row.data for row in rows]
    payload[1] = {**payload[1], "course": 999999}
    with pytest.raises(import_dates.SheetError):
        import_dates.create_dates(payload)
    assert not CourseDate.objects.exists()


def test_only_staff_may_import(client, course):
    trainer = UserFactory(username="trainerin")
    trainer.groups.add(Group.objects.get(name="Trainer"))
    client.force_login(trainer)
    assert client.get(URL).status_code in (302, 403)
    client.post(URL, {"sheet": upload("termine.csv")})
    assert not CourseDate.objects.exists()


def test_staff_sample_sheet_is_readable():
    sample = Path(import_dates.__file__).parent / "fixtures" / "termine-beispiel.csv"
    rows = import_dates.read_sheet(SimpleUploadedFile("x.csv", sample.read_bytes()))
    assert len(rows) == 3 and rows[0]["course"].startswith("Digitale Auftragsabwicklung")


def one_row(capacity="12", price="49,00", course="Digitale Werkstatt") -> bytes:
    head = "Kurs;Beginn;Ende;Ort;Plätze;Anmeldeschluss;Preis\n"
    row = f"{course};15.03.2030 09:00;15.03.2030 16:00;Riesa;{capacity};;{price}\n"
    return (head + row).encode()


@pytest.mark.parametrize(
    "capacity",
    [
        "Infinity",
        "-Infinity",
        "NaN",
        "sNaN",
        "1e99999999",
        "1E3",
        "9" * 5000,
        "12.5",
        "0x10",
        "0",
        "1001",
        "١٢",  # Arabic-Indic digits
    ],
)
def test_absurd_capacities_get_a_row_message(client, editor, course, capacity):
    """Finding: "Infinity" was a server error, "1e99999999" pinned the worker."""
    started = time.monotonic()
    response = client.post(URL, {"sheet": upload("x.csv", one_row(capacity=capacity))})
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert any("ist keine ganze Zahl zwischen 1 und 1000" in e for e in row.errors)
    assert not CourseDate.objects.exists()


@pytest.mark.parametrize("capacity", ["12", "12,0", "12.00", " 7 "])
def test_whole_numbers_are_read(client, editor, course, capacity):
    response = client.post(URL, {"sheet": upload("x.csv", one_row(capacity=capacity))})
    (row,) = response.context["rows"]
    assert row.is_valid, row.errors
    assert row.data["capacity"] == int(capacity.strip().split(",")[0].split(".")[0])


@pytest.mark.parametrize("price", ["Infinity", "NaN", "sNaN", "1e99999999", "9" * 5000, "1E2"])
def test_absurd_prices_get_a_row_message(client, editor, course, price):
    started = time.monotonic()
    response = client.post(URL, {"sheet": upload("x.csv", one_row(price=price))})
    assert time.monotonic() - started < 5
    (row,) = response.context["rows"]
    assert any("ist kein Betrag in Euro" in e for e in row.errors)


def test_nul_anywhere_in_a_csv_file_is_not_a_sheet(client, editor, course):
    """A NUL after the first 4 KB used to reach the course look-up (500 on PostgreSQL)."""
    content = one_row() + b"Digitale Werkstatt" + b" " * 5000 + b"\x00;x;y;z;1;;\n"
    response = client.post(URL, {"sheet": upload("x.csv", content)})
    assert response.status_code == 200
    assert "keine lesbare Tabelle" in response.content.decode()
    response = client.post(URL, {"sheet": upload("x.csv", one_row(course="Digitale\x00Werkstatt"))})
    assert "keine lesbare Tabelle" in response.content.decode()


def test_page_is_titled_and_offers_sample_tables(client, editor, course):
    html = client.get(URL).content.decode()
    assert "<title>Termine importieren" in html
    crumbs = html.split('aria-label="Breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert "Übersicht" in crumbs and "Termine importieren" in crumbs
    assert "Home" not in crumbs
    for fmt in ("xlsx", "csv"):
        assert reverse("courses_import_sample", args=[fmt]) in html


def test_sample_tables_have_every_column_and_import_cleanly(client, editor, course):
    from openpyxl import load_workbook

    response = client.get(reverse("courses_import_sample", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Termine"]
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert rows[0] == list(import_dates.COLUMN_LABELS().values())
    assert "Mindestteilnehmerzahl" in rows[0] and rows[1][0] == "Digitale Werkstatt"

    response = client.get(reverse("courses_import_sample", args=["csv"]))
    assert response.content.startswith("\ufeff".encode())
    assert response.content.decode("utf-8-sig").splitlines()[0].split(";") == rows[0]

    for name, body in (("beispiel.csv", response.content), ("beispiel.xlsx", None)):
        if body is None:
            body = client.get(reverse("courses_import_sample", args=["xlsx"])).content
        preview = client.post(URL, {"sheet": SimpleUploadedFile(name, body)})
        assert preview.context["all_valid"], [r.errors for r in preview.context["rows"]]
    created = client.post(URL, {"token": preview.context["token"]}, follow=True)
    assert "2 Termine wurden angelegt." in created.content.decode()
    minimums = sorted(CourseDate.objects.values_list("min_participants", flat=True), key=str)
    assert minimums == [5, None]


def test_minimum_number_is_checked_and_one_date_is_singular(client, editor, course):
    sheet = (
        "Kurs;Beginn;Ende;Plätze;Mindestteilnehmerzahl\n"
        "Digitale Werkstatt;15.03.2030 09:00;15.03.2030 16:00;8;20\n"
    ).encode()
    html = client.post(URL, {"sheet": upload("t.csv", sheet)}).content.decode()
    assert "darf nicht größer sein als die Plätze" in html
    assert "wird nicht angelegt" in html
    sheet = sheet.replace(b";20\n", b";4\n")
    response = client.post(URL, {"sheet": upload("t.csv", sheet)})
    html = response.content.decode()
    assert "1 Termin wird angelegt" in html
    assert "wird angelegt: Digitale Werkstatt am 15.03.2030, 09:00 Uhr" in html
    done = client.post(URL, {"token": response.context["token"]}, follow=True)
    assert "1 Termin wurde angelegt." in done.content.decode()
    assert CourseDate.objects.get().min_participants == 4


def test_dry_run_names_each_rows_outcome_when_one_row_is_wrong(client, editor, course):
    sheet = (
        "Kurs;Beginn;Ende;Plätze\n"
        "Digitale Werkstatt;15.03.2030 09:00;15.03.2030 16:00;8\n"
        "Gibt es nicht;16.03.2030 09:00;16.03.2030 16:00;8\n"
    ).encode()
    html = client.post(URL, {"sheet": upload("t.csv", sheet)}).content.decode()
    assert "in Ordnung, wird aber erst mit korrigierter Tabelle angelegt" in html
    assert "wird nicht angelegt" in html
    assert not CourseDate.objects.exists()
