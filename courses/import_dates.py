"""Import course dates from a spreadsheet (CSV or XLSX).

Columns (German or English headings, any order): Kurs/course, Beginn/start,
Ende/end, Ort/venue, Plätze/capacity, Mindestteilnehmerzahl/min_participants,
Anmeldeschluss/deadline, Preis/price. ``sample_table()`` is a filled-in example
(offered as CSV and XLSX on the import page).
Every row is checked first; nothing is written unless all rows are valid, and
then all rows are written in one transaction. Dates are rows of their own, not
part of the course page or its revisions, so importing never touches a page.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import CourseDate, CoursePage

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
SIGNING_SALT = "courses.import_dates"

HEADINGS = {
    "course": ("kurs", "course", "kurstitel", "titel"),
    "start": ("beginn", "start"),
    "end": ("ende", "end"),
    "venue": ("ort", "venue", "veranstaltungsort"),
    "capacity": ("plätze", "plaetze", "platze", "capacity", "kapazität", "teilnehmende"),
    "min_participants": (
        "mindestteilnehmerzahl",
        "mindestzahl",
        "mindestens",
        "min. teilnehmende",
        "min_participants",
        "minimum",
    ),
    "deadline": ("anmeldeschluss", "deadline"),
    "price": ("preis", "price", "preis in euro"),
}
REQUIRED = ("course", "start", "end", "capacity")
DATE_FORMATS = (
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y, %H:%M",
    "%d.%m.%y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
)


class SheetError(Exception):
    """The file as a whole cannot be read; ``message`` is fit to show."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class ImportRow:
    number: int  # the row number in the sheet (heading = 1)
    raw: dict
    errors: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
    course: CoursePage | None = None
    blocked: bool = False  # valid, but another row is not: nothing is written

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def outcome(self) -> str:
        """What importing would do with this row, in words."""
        if self.errors:
            return _("wird nicht angelegt")
        start = timezone.localtime(datetime.datetime.fromisoformat(self.data["start"]))
        if self.blocked:
            text = _(
                "in Ordnung, wird aber erst mit korrigierter Tabelle angelegt: %(course)s am %(when)s"
            )
        else:
            text = _("wird angelegt: %(course)s am %(when)s")
        return text % {
            "course": self.course.title,
            "when": date_format(start, "d.m.Y, H:i") + " " + _("Uhr"),
        }


def read_sheet(uploaded) -> list[dict]:
    """The rows of an uploaded CSV or XLSX file as dicts keyed by our column names."""
    content = uploaded.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise SheetError(_("Die Datei ist zu groß (höchstens 2 MB)."))
    if not content.strip():
        raise SheetError(_("Die Datei ist leer."))
    table = _xlsx_rows(content) if content.startswith(b"PK\x03\x04") else _csv_rows(content)
    table = [row for row in table if any(_text(cell) for cell in row)]
    if not table:
        raise SheetError(_("Die Datei ist leer."))
    columns = _columns(table[0])
    if len(table) - 1 > MAX_ROWS:
        raise SheetError(_("Höchstens %(n)d Termine auf einmal.") % {"n": MAX_ROWS})
    rows = []
    for cells in table[1:]:
        rows.append(
            {
                name: (cells[index] if index < len(cells) else None)
                for name, index in columns.items()
            }
        )
    if not rows:
        raise SheetError(_("Die Tabelle enthält keine Termine, nur die Überschriften."))
    return rows


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError) as error:
        raise SheetError(not_a_sheet_message()) from error
    if any(isinstance(cell, str) and "\x00" in cell for row in rows for cell in row):
        raise SheetError(not_a_sheet_message())  # "_x0000_" in a cell: nothing to store
    return rows


def _csv_rows(content: bytes) -> list[list]:
    if b"\x00" in content:  # binary, or text PostgreSQL cannot store
        raise SheetError(not_a_sheet_message())
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max(";,\t", key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise SheetError(not_a_sheet_message())
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def not_a_sheet_message() -> str:
    return _(
        "Diese Datei ist keine lesbare Tabelle. Bitte laden Sie eine CSV-Datei (Trennzeichen "
        "Semikolon oder Komma) oder eine Excel-Datei (XLSX) hoch."
    )


def _columns(heading_row) -> dict:
    found = {}
    for index, cell in enumerate(heading_row):
        label = _text(cell).lower()
        for name, aliases in HEADINGS.items():
            if label in aliases and name not in found:
                found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise SheetError(
            _(
                "In der ersten Zeile fehlen Spalten: %(missing)s. Erwartet werden die "
                "Überschriften Kurs, Beginn, Ende, Ort, Plätze, Mindestteilnehmerzahl, "
                "Anmeldeschluss, Preis."
            )
            % {"missing": ", ".join(COLUMN_LABELS()[name] for name in missing)}
        )
    return found


def COLUMN_LABELS():  # noqa: N802 - a table, translated when asked
    return {
        "course": _("Kurs"),
        "start": _("Beginn"),
        "end": _("Ende"),
        "venue": _("Ort"),
        "capacity": _("Plätze"),
        "min_participants": _("Mindestteilnehmerzahl"),
        "deadline": _("Anmeldeschluss"),
        "price": _("Preis"),
    }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_datetime(value):
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(0))
    else:
        text = _text(value)
        for fmt in DATE_FORMATS:
            try:
                moment = datetime.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


# Numbers in cells are read only in plain digits: Decimal() would also take
# "Infinity", "NaN" or "1e99999999" (whose conversion to int never ends).
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}(?:[.,]0{0,6})?")
PLAIN_AMOUNT = re.compile(r"[0-9]{1,9}(?:\.[0-9]{0,20})?")


def whole_number(text: str, low: int, high: int) -> int | None:
    """A whole number between ``low`` and ``high`` written in digits ("12", "12,0"),
    else None."""
    text = (text or "").strip()
    if not WHOLE_NUMBER.fullmatch(text):
        return None
    value = int(re.split(r"[.,]", text)[0])
    return value if low <= value <= high else None


def _find_course(name: str):
    matches = list(
        CoursePage.objects.filter(Q(title__iexact=name) | Q(slug__iexact=name)).order_by("pk")[:2]
    )
    if len(matches) > 1:
        exact_slug = [page for page in matches if page.slug.lower() == name.lower()]
        if len(exact_slug) == 1:
            return exact_slug[0], None
        return None, _("Mehrere Kurse heißen „%(name)s“; bitte die Kurzadresse (Slug) angeben.") % {
            "name": name
        }
    if not matches:
        return None, _("Einen Kurs „%(name)s“ gibt es nicht.") % {"name": name}
    return matches[0], None


def validate(raw_rows: list[dict], *, now=None) -> list[ImportRow]:
    now = now or timezone.now()
    labels = COLUMN_LABELS()
    result = []
    seen = set()
    for offset, raw in enumerate(raw_rows):
        row = ImportRow(number=offset + 2, raw={k: _text(v) for k, v in raw.items()})
        errors = row.errors
        name = row.raw.get("course", "")
        if not name:
            errors.append(_("Kurs: bitte den Kurstitel angeben."))
        else:
            row.course, error = _find_course(name)
            if error:
                errors.append(error)
        moments = {}
        for key in ("start", "end", "deadline"):
            try:
                moments[key] = parse_datetime(raw.get(key))
            except ValueError:
                moments[key] = None
                errors.append(
                    _("%(column)s: „%(value)s“ ist kein Datum mit Uhrzeit wie 15.03.2027 09:00.")
                    % {"column": labels[key], "value": row.raw.get(key, "")}
                )
        start, end, deadline = moments["start"], moments["end"], moments["deadline"]
        if start is None and not row.raw.get("start"):
            errors.append(_("Beginn: bitte angeben."))
        if end is None and not row.raw.get("end"):
            errors.append(_("Ende: bitte angeben."))
        if start and end and end <= start:
            errors.append(_("Ende: muss nach dem Beginn liegen."))
        if start and start <= now:
            errors.append(_("Beginn: liegt in der Vergangenheit."))
        if deadline and start and deadline > start:
            errors.append(_("Anmeldeschluss: muss vor dem Beginn liegen."))
        capacity = whole_number(row.raw.get("capacity", ""), 1, 1000)
        if capacity is None:
            errors.append(
                _("Plätze: „%(value)s“ ist keine ganze Zahl zwischen 1 und 1000.")
                % {"value": row.raw.get("capacity", "")}
            )
        minimum = None
        if row.raw.get("min_participants", ""):
            minimum = whole_number(row.raw["min_participants"], 0, 1000)
            if minimum is None:
                errors.append(
                    _(
                        "Mindestteilnehmerzahl: „%(value)s“ ist keine ganze Zahl zwischen 0 und 1000."
                    )
                    % {"value": row.raw["min_participants"]}
                )
            elif capacity is not None and minimum > capacity:
                errors.append(_("Mindestteilnehmerzahl: darf nicht größer sein als die Plätze."))
        price = None
        price_text = row.raw.get("price", "").replace("€", "").replace(" ", "")
        if price_text:
            try:
                if "," in price_text:  # German: 1.250,00
                    price_text = price_text.replace(".", "").replace(",", ".")
                if not PLAIN_AMOUNT.fullmatch(price_text):  # no Infinity, NaN or 1e999999
                    raise InvalidOperation
                price = Decimal(price_text)
                if price < 0 or price >= Decimal("1000000"):
                    raise InvalidOperation
                price = price.quantize(Decimal("0.01"))
            except InvalidOperation:
                price = None
                errors.append(
                    _("Preis: „%(value)s“ ist kein Betrag in Euro wie 49,00.")
                    % {"value": row.raw.get("price", "")}
                )
        venue = row.raw.get("venue", "")[:240]
        if row.course and start:
            key = (row.course.pk, start)
            if key in seen:
                errors.append(_("Dieser Termin steht zweimal in der Tabelle."))
            elif CourseDate.objects.filter(course=row.course, start=start).exists():
                errors.append(_("Diesen Termin gibt es für den Kurs schon."))
            seen.add(key)
        if not errors:
            row.data = {
                "course": row.course.pk,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "venue": venue,
                "capacity": capacity,
                "min_participants": minimum,
                "deadline": deadline.isoformat() if deadline else None,
                "price": str(price) if price is not None else None,
            }
        result.append(row)
    if any(row.errors for row in result):
        for row in result:
            row.blocked = True
    return result


def sign(rows: list[ImportRow]) -> str:
    return signing.dumps([row.data for row in rows], salt=SIGNING_SALT, compress=True)


def unsign(token: str) -> list[dict]:
    return signing.loads(token, salt=SIGNING_SALT, max_age=3600)


def _date_fields(data: dict) -> dict:
    venue = data["venue"]
    values = {
        "start": datetime.datetime.fromisoformat(data["start"]),
        "end": datetime.datetime.fromisoformat(data["end"]),
        "capacity": data["capacity"],
        "min_participants": data.get("min_participants"),
        "registration_deadline": (
            datetime.datetime.fromisoformat(data["deadline"]) if data["deadline"] else None
        ),
        "price_override": Decimal(data["price"]) if data["price"] is not None else None,
    }
    if venue.strip().lower() == "online":
        values["is_online"] = True
    elif "," in venue:
        name, city = venue.rsplit(",", 1)
        values["venue_name"], values["city"] = name.strip()[:160], city.strip()[:80]
    else:
        values["venue_name"] = venue[:160]
    return values


def create_dates(payload: list[dict]) -> list[CourseDate]:
    """Write all dates or none. The payload is re-checked (a course may be gone)."""
    created = []
    with transaction.atomic():
        for data in payload:
            course = CoursePage.objects.select_for_update().filter(pk=data["course"]).first()
            if course is None:
                raise SheetError(_("Ein Kurs der Tabelle wurde inzwischen gelöscht."))
            values = _date_fields(data)
            if CourseDate.objects.filter(course=course, start=values["start"]).exists():
                raise SheetError(_("Einen der Termine gibt es inzwischen schon."))
            date = CourseDate(course=course, **values)
            try:
                date.full_clean(exclude=["course", "sessions"])
            except ValidationError as error:
                raise SheetError(" ".join(error.messages)) from error
            date.save()
            created.append(date)
    return created


def sample_table(*, now=None) -> tuple[list[str], list[list]]:
    """Headings and two example rows (an on-site and an online date) of an import
    table, with a course that exists where there is one."""
    now = timezone.localtime(now or timezone.now())
    course = CoursePage.objects.live().order_by("title").values_list("title", flat=True).first()
    course = course or _("Digitale Auftragsabwicklung")
    first = (now + datetime.timedelta(days=60)).replace(hour=9, minute=0)
    second = first + datetime.timedelta(days=14)
    labels = COLUMN_LABELS()
    rows = [
        [
            course,
            f"{first:%d.%m.%Y} 09:00",
            f"{first:%d.%m.%Y} 16:00",
            _("Qualifizierungszentrum Riesa, Riesa"),
            12,
            5,
            f"{first - datetime.timedelta(days=7):%d.%m.%Y} 12:00",
            "149,00",
        ],
        [
            course,
            f"{second:%d.%m.%Y} 17:00",
            f"{second:%d.%m.%Y} 19:00",
            "online",
            20,
            "",
            "",
            "",
        ],
    ]
    return list(labels.values()), rows
