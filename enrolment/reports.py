"""The statistics report: enrolments per month and per topic, occupancy per course,
share of roles. Drawn as server-side SVG bar charts; the same figures as a table and
as CSV/XLSX download (Wagtail's report view).

"Anmeldungen" counts every enrolment whose e-mail address was confirmed
(confirmed, waitlisted, attended, not attended, cancelled later); unconfirmed and
expired requests are left out. Anonymised enrolments keep role and date and still count.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from courses.models import CourseDate

from .models import Enrolment

COUNTED_STATUSES = (
    Enrolment.Status.CONFIRMED,
    Enrolment.Status.WAITLISTED,
    Enrolment.Status.PARTIAL,
    Enrolment.Status.ATTENDED,
    Enrolment.Status.NO_SHOW,
    Enrolment.Status.CANCELLED,
)
MONTHS = 12


@dataclass
class Row:
    section: str
    label: str
    value: int
    capacity: int | None = None
    percent: int | None = None


def counted_enrolments():
    return Enrolment.objects.filter(status__in=COUNTED_STATUSES, email_confirmed_at__isnull=False)


def last_months(now, months):
    """(year, month) of the last ``months`` months, oldest first, this month last."""
    year, month = now.year, now.month
    result = []
    for _i in range(months):
        result.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return result[::-1]


def per_month(*, now=None, months=MONTHS) -> list[Row]:
    now = timezone.localtime(now or timezone.now())
    keys = last_months(now, months)
    first = now.replace(
        year=keys[0][0], month=keys[0][1], day=1, hour=0, minute=0, second=0, microsecond=0
    )
    counts = {}
    for row in (
        counted_enrolments()
        .filter(created_at__gte=first)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        month = (
            timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"]
        )
        counts[(month.year, month.month)] = counts.get((month.year, month.month), 0) + row["n"]
    return [
        Row(
            _("Anmeldungen pro Monat"),
            date_format(first.replace(year=year, month=month), "F Y"),
            counts.get((year, month), 0),
        )
        for year, month in keys
    ]


def per_topic() -> list[Row]:
    data = (
        counted_enrolments()
        .values("course_date__course__topics__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "course_date__course__topics__name")
    )
    return [
        Row(
            _("Anmeldungen pro Thema"),
            item["course_date__course__topics__name"] or _("ohne Thema"),
            item["n"],
        )
        for item in data
    ]


def occupancy_per_course() -> list[Row]:
    data = (
        CourseDate.objects.planned()
        .values("course__title")
        .annotate(taken=Sum("seats_confirmed"), capacity=Sum("capacity"))
        .order_by("course__title")
    )
    rows = []
    for item in data:
        capacity = item["capacity"] or 0
        taken = item["taken"] or 0
        percent = round(100 * taken / capacity) if capacity else 0
        rows.append(
            Row(_("Belegung pro Kurs"), item["course__title"], taken, capacity, min(percent, 100))
        )
    return rows


def role_share() -> list[Row]:
    labels = dict(Enrolment.Role.choices)
    data = counted_enrolments().values("role").annotate(n=Count("pk")).order_by("-n", "role")
    total = sum(item["n"] for item in data)
    return [
        Row(
            _("Anteil der Rollen"),
            str(labels.get(item["role"], item["role"] or _("ohne Angabe"))),
            item["n"],
            total,
            round(100 * item["n"] / total) if total else 0,
        )
        for item in data
    ]


def all_rows(*, now=None) -> list[Row]:
    return [*per_month(now=now), *per_topic(), *occupancy_per_course(), *role_share()]


BAR_HEIGHT = 22
LABEL_WIDTH = 260
BAR_WIDTH = 340
COLOURS = ("#007d7e", "#0b5394", "#8a4f00", "#6a1b9a")


def bar_chart(title: str, rows: list[Row], *, percent=False, colour=COLOURS[0]) -> str:
    """A horizontal bar chart as inline SVG with a text alternative (title and desc)."""
    if not rows:
        return format_html("<p>{}</p>", _("Noch keine Daten."))
    values = [row.percent if percent else row.value for row in rows]
    top = 100 if percent else max(max(values), 1)
    height = BAR_HEIGHT * len(rows) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 80
    bars = []
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = 4 + i * BAR_HEIGHT
        length = round(BAR_WIDTH * (value or 0) / top)
        text = f"{value} %" if percent else str(value)
        if row.capacity is not None and not percent:
            text = f"{row.value} / {row.capacity}"
        if percent and row.section == _("Belegung pro Kurs"):
            text = f"{row.value} / {row.capacity} ({value} %)"
        bars.append(
            format_html(
                '<text x="{lx}" y="{ty}" text-anchor="end" font-size="13">{label}</text>'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}"></rect>'
                '<text x="{vx}" y="{ty}" font-size="13">{text}</text>',
                lx=LABEL_WIDTH - 8,
                ty=y + 15,
                label=row.label[:40],
                x=LABEL_WIDTH,
                y=y + 2,
                w=length,
                h=BAR_HEIGHT - 6,
                colour=colour,
                vx=LABEL_WIDTH + length + 6,
                text=text,
            )
        )
    description = "; ".join(
        f"{row.label}: {row.value}" + (f" / {row.capacity}" if row.capacity is not None else "")
        for row in rows
    )
    return format_html(
        '<figure class="academy-chart"><figcaption><h2>{title}</h2></figcaption>'
        '<svg role="img" width="100%" viewBox="0 0 {w} {h}" style="max-width:{w}px" '
        'xmlns="http://www.w3.org/2000/svg"><title>{title}</title><desc>{desc}</desc>{bars}</svg>'
        "</figure>",
        title=title,
        w=width,
        h=height,
        desc=description,
        bars=format_html_join("", "{}", ((bar,) for bar in bars)),
    )


class StatisticsReportView(ReportView):
    page_title = gettext_lazy("Statistik der Akademie")
    header_icon = "table"
    index_url_name = "enrolment_statistics"
    index_results_url_name = "enrolment_statistics_results"
    results_template_name = "enrolment/admin/statistics_results.html"
    paginate_by = None
    export_filename = "statistik"
    list_export = ["section", "label", "value", "capacity", "percent"]
    export_headings = {
        "section": gettext_lazy("Auswertung"),
        "label": gettext_lazy("Bezeichnung"),
        "value": gettext_lazy("Anzahl"),
        "capacity": gettext_lazy("von (Plätze / gesamt)"),
        "percent": gettext_lazy("Prozent"),
    }
    columns = [
        Column("section", label=gettext_lazy("Auswertung")),
        Column("label", label=gettext_lazy("Bezeichnung")),
        Column("value", label=gettext_lazy("Anzahl")),
        Column("capacity", label=gettext_lazy("von (Plätze / gesamt)")),
        Column("percent", label=gettext_lazy("Prozent")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("enrolment.view_enrolment"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return all_rows()

    def get_filtered_queryset(self):
        return self.get_queryset()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        rows = context["object_list"]

        def section(name):
            return [row for row in rows if row.section == name]

        context["charts"] = [
            bar_chart(_("Anmeldungen pro Monat"), section(_("Anmeldungen pro Monat"))),
            bar_chart(
                _("Anmeldungen pro Thema"), section(_("Anmeldungen pro Thema")), colour=COLOURS[1]
            ),
            bar_chart(
                _("Belegung pro Kurs (belegte von allen Plätzen)"),
                section(_("Belegung pro Kurs")),
                percent=True,
                colour=COLOURS[2],
            ),
            bar_chart(
                _("Anteil der Rollen"),
                section(_("Anteil der Rollen")),
                percent=True,
                colour=COLOURS[3],
            ),
        ]
        return context
