"""One spreadsheet dialect for every download of the project.

CSV: semicolons (what a German spreadsheet program expects), UTF-8 with a byte order
mark (so umlauts open right), every line ended by CRLF. XLSX: a named sheet, never
"Sheet1". In both, every cell a person could have typed is inert: text starting with
= + - @ (or a tab or carriage return) gets an apostrophe in front, so no program reads
it as a formula. Dates and times are written in German and in Europe/Berlin, empty
values stay empty (never "None"), yes/no is "ja"/"nein", choices show their label.

``csv_bytes`` / ``xlsx_bytes`` write a table; ``GermanSpreadsheetMixin`` makes the
downloads of Wagtail's listings and reports (``?export=csv|xlsx``) use the same.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import number_format
from django.utils.translation import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


def safe_text(text: str) -> str:
    """Text that no spreadsheet program reads as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell_text(value) -> str:
    """A value as a person reads it in a German spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal | float):
        return number_format(value, decimal_pos=2, use_l10n=True)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(cell_text(item) for item in value)
    return safe_text(force_str(value))


def xlsx_cell(value):
    """Whole numbers stay numbers (a sum works on them), nothing stays an empty cell;
    everything else is text."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return cell_text(value)


def csv_bytes(headings, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([cell_text(value) for value in headings])
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def sheet_name(title) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    name = "".join(" " if char in "[]:*?/\\" else char for char in force_str(title))
    return name.strip()[:31] or _("Tabelle")


def xlsx_bytes(title, headings, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name(title))

    def line(values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, xlsx_cell(value))
            if cell.data_type == "f":  # never a formula, whatever openpyxl guessed
                cell.data_type = "s"
            cells.append(cell)
        return cells

    sheet.append(line(headings))
    for row in rows:
        sheet.append(line(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(body: bytes, filename: str) -> HttpResponse:
    content_type = XLSX_CONTENT_TYPE if filename.endswith(".xlsx") else CSV_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def display_value(item, field: str):
    """``field`` of ``item`` as shown: the label of a choice, not its stored value."""
    if isinstance(item, models.Model) and "." not in field and "__" not in field:
        label = getattr(item, f"get_{field}_display", None)
        if callable(label):
            return label()
    value = item
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if callable(value) and not isinstance(value, models.Model):
            value = value()
    return value


class GermanSpreadsheetMixin:
    """For Wagtail views with ``list_export`` (IndexView, ReportView): their CSV and
    XLSX downloads in the project's dialect. ``export_sheet_title`` names the sheet."""

    export_sheet_title = None

    def get_export_sheet_title(self):
        return self.export_sheet_title or getattr(self, "page_title", "") or _("Tabelle")

    def export_table(self, queryset):
        headings = [self.get_heading(queryset, field) for field in self.list_export]
        rows = ([display_value(item, field) for field in self.list_export] for item in queryset)
        return headings, rows

    def write_csv_response(self, queryset):
        headings, rows = self.export_table(queryset)
        return download(csv_bytes(headings, rows), f"{self.get_filename()}.csv")

    def write_xlsx_response(self, queryset):
        headings, rows = self.export_table(queryset)
        body = xlsx_bytes(self.get_export_sheet_title(), headings, rows)
        return download(body, f"{self.get_filename()}.xlsx")
