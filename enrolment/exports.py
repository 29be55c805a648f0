"""Participant lists as CSV and XLSX. Every cell is inert text: values that a
spreadsheet would read as a formula are prefixed with an apostrophe."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Enrolment, person_display

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def participant_rows(course_date):
    enrolments = (
        course_date.enrolments.exclude(status=Enrolment.Status.EXPIRED)
        .filter(anonymised_at__isnull=True)
        .order_by("status", "waitlist_position", "last_name", "first_name")
    )
    order = {
        "confirmed": 0,
        "partial": 1,
        "attended": 1,
        "no_show": 2,
        "waitlisted": 3,
        "pending": 4,
    }
    enrolments = sorted(
        enrolments,
        key=lambda e: (order.get(e.status, 9), e.waitlist_position or 0, e.last_name.lower()),
    )
    labels = [label for _name, label, _value in person_display(Enrolment())]
    headings = [_("Status"), _("Wartelistenplatz"), *labels, _("Angemeldet am")]
    rows = [
        [
            e.get_status_display(),
            e.waitlist_position or "",
            *(value for _name, _label, value in person_display(e)),
            timezone.localtime(e.created_at).strftime("%d.%m.%Y %H:%M"),
        ]
        for e in enrolments
        if e.status != Enrolment.Status.CANCELLED
    ]
    return headings, rows


def as_csv(course_date) -> bytes:
    headings, rows = participant_rows(course_date)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    # A byte order mark lets spreadsheet programs read the umlauts right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(course_date) -> bytes:
    headings, rows = participant_rows(course_date)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Teilnehmende")[:31]
    sheet.append(headings)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(course_date, extension: str) -> str:
    start = timezone.localtime(course_date.start)
    return f"teilnehmende-termin-{course_date.pk}-{start:%Y-%m-%d}.{extension}"
