"""Participant lists as CSV and XLSX, in the project's one spreadsheet dialect
(``home.spreadsheets``: semicolons, UTF-8 with BOM, every cell inert text)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from home.spreadsheets import csv_bytes, xlsx_bytes

from .models import Enrolment, person_display


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
            e.created_at,
        ]
        for e in enrolments
        if e.status != Enrolment.Status.CANCELLED
    ]
    return headings, rows


def as_csv(course_date) -> bytes:
    return csv_bytes(*participant_rows(course_date))


def as_xlsx(course_date) -> bytes:
    return xlsx_bytes(_("Teilnehmende"), *participant_rows(course_date))


def filename(course_date, extension: str) -> str:
    start = timezone.localtime(course_date.start)
    return f"teilnehmende-termin-{course_date.pk}-{start:%Y-%m-%d}.{extension}"
