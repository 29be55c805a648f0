"""The statistics report: enrolments per month and per topic, occupancy per course,
share of roles. Drawn as server-side SVG bar charts; the same figures as a table and
as CSV/XLSX download (Wagtail's report view).

"Anmeldungen" counts every enrolment whose e-mail address was confirmed
(confirmed, waitlisted, attended, not attended, cancelled later); unconfirmed and
expired requests are left out. Anonymised enrolments keep role and date and still count.
"""

import datetime
import textwrap
from dataclasses import dataclass

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput

from courses.models import CourseDate, Topic
from home.admin_display import ADMIN_ROOT
from home.spreadsheets import GermanSpreadsheetMixin

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
MAX_MONTHS = 36


@dataclass
class Row:
    section: str
    label: str
    value: int
    capacity: int | None = None
    percent: int | None = None


@dataclass
class Scope:
    """What the report counts: enrolments made (dates starting) from ``start`` until
    before ``end``, of courses of ``topic``; None means no bound."""

    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    topic: Topic | None = None


def counted_enrolments(scope: Scope | None = None):
    scope = scope or Scope()
    queryset = Enrolment.objects.filter(
        status__in=COUNTED_STATUSES, email_confirmed_at__isnull=False
    )
    if scope.start:
        queryset = queryset.filter(created_at__gte=scope.start)
    if scope.end:
        queryset = queryset.filter(created_at__lt=scope.end)
    if scope.topic:
        queryset = queryset.filter(course_date__course__topics=scope.topic)
    return queryset


def last_months(now, months):
    """(year, month) of the last ``months`` months, oldest first, this month last."""
    year, month = now.year, now.month
    result = []
    for _i in range(months):
        result.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return result[::-1]


def month_start(moment, year, month):
    return moment.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def per_month(*, now=None, months=MONTHS, scope: Scope | None = None) -> list[Row]:
    scope = scope or Scope()
    now = timezone.localtime(now or timezone.now())
    if scope.end:
        now = timezone.localtime(scope.end - datetime.timedelta(microseconds=1))
    if scope.start:
        start = timezone.localtime(scope.start)
        months = (now.year - start.year) * 12 + now.month - start.month + 1
        months = max(1, min(months, MAX_MONTHS))
    keys = last_months(now, months)
    first = month_start(now, *keys[0])
    counts = {}
    for row in (
        counted_enrolments(Scope(start=first, end=scope.end, topic=scope.topic))
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    ):
        month = (
            timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"]
        )
        counts[(month.year, month.month)] = counts.get((month.year, month.month), 0) + row["n"]
    return [
        Row(
            _("Anmeldungen pro Monat"),
            date_format(month_start(now, year, month), "F Y"),
            counts.get((year, month), 0),
        )
        for year, month in keys
    ]


def per_topic(scope: Scope | None = None) -> list[Row]:
    scope = scope or Scope()
    queryset = counted_enrolments(Scope(start=scope.start, end=scope.end))
    key = "course_date__course__topics__name"
    if scope.topic:
        queryset = queryset.filter(course_date__course__topics=scope.topic)
        data = [{key: scope.topic.name, "n": queryset.distinct().count()}]
    else:
        data = queryset.values(key).annotate(n=Count("pk", distinct=True)).order_by("-n", key)
    return [
        Row(_("Anmeldungen pro Thema"), item[key] or _("ohne Thema"), item["n"])
        for item in data
        if item["n"] or not scope.topic
    ]


def occupancy_per_course(scope: Scope | None = None) -> list[Row]:
    scope = scope or Scope()
    dates = CourseDate.objects.planned()
    if scope.start:
        dates = dates.filter(start__gte=scope.start)
    if scope.end:
        dates = dates.filter(start__lt=scope.end)
    if scope.topic:
        dates = dates.filter(course__topics=scope.topic)
    data = (
        CourseDate.objects.filter(pk__in=dates.values("pk"))
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


def role_share(scope: Scope | None = None) -> list[Row]:
    labels = dict(Enrolment.Role.choices)
    data = list(
        counted_enrolments(scope)
        .values("role")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "role")
    )
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


def all_rows(*, now=None, scope: Scope | None = None) -> list[Row]:
    return [
        *per_month(now=now, scope=scope),
        *per_topic(scope),
        *occupancy_per_course(scope),
        *role_share(scope),
    ]


BAR_HEIGHT = 22
LINE_HEIGHT = 16
LABEL_WIDTH = 260
LABEL_CHARS = 34  # characters of a label line at 13 px in LABEL_WIDTH
BAR_WIDTH = 340
COLOURS = ("#007d7e", "#0b5394", "#8a4f00", "#6a1b9a")


def label_lines(label: str) -> list[str]:
    """A label broken into lines that fit left of the bars (long words are split)."""
    return textwrap.wrap(label, LABEL_CHARS, break_on_hyphens=True) or [""]


def bar_chart(title: str, rows: list[Row], *, percent=False, colour=COLOURS[0]) -> str:
    """A horizontal bar chart as inline SVG with a text alternative (title and desc):
    labels wrap onto as many lines as they need, each bar names its full label and
    value as a tooltip, the chart scrolls sideways on a narrow screen, and a table
    beside it holds the same figures."""
    if not rows:
        return format_html("<p>{}</p>", _("Noch keine Daten."))
    values = [row.percent if percent else row.value for row in rows]
    top = 100 if percent else max(max(values), 1)
    width = LABEL_WIDTH + BAR_WIDTH + 110
    bars = []
    texts = []
    y = 4
    for row, value in zip(rows, values, strict=True):
        lines = label_lines(row.label)
        height = max(BAR_HEIGHT, LINE_HEIGHT * len(lines) + 6)
        length = round(BAR_WIDTH * (value or 0) / top)
        text = f"{value} %" if percent else str(value)
        if row.capacity is not None and not percent:
            text = f"{row.value} / {row.capacity}"
        if percent and row.section == _("Belegung pro Kurs"):
            text = f"{row.value} / {row.capacity} ({value} %)"
        texts.append(text)
        first_line = y + (height - LINE_HEIGHT * len(lines)) / 2 + 12
        label = format_html_join(
            "",
            '<tspan x="{}" y="{}">{}</tspan>',
            (
                (LABEL_WIDTH - 8, round(first_line + LINE_HEIGHT * i, 1), line)
                for i, line in enumerate(lines)
            ),
        )
        bars.append(
            format_html(
                '<g class="academy-chart__bar"><title>{tooltip}</title>'
                '<text text-anchor="end" font-size="13">{label}</text>'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}"></rect>'
                '<text x="{vx}" y="{ty}" font-size="13">{text}</text></g>',
                tooltip=f"{row.label}: {text}",
                label=label,
                x=LABEL_WIDTH,
                y=round(y + (height - (BAR_HEIGHT - 6)) / 2, 1),
                w=length,
                h=BAR_HEIGHT - 6,
                colour=colour,
                vx=LABEL_WIDTH + length + 6,
                ty=round(y + height / 2 + 5, 1),
                text=text,
            )
        )
        y += height
    description = "; ".join(
        f"{row.label}: {row.value}" + (f" / {row.capacity}" if row.capacity is not None else "")
        for row in rows
    )
    table = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td></tr>',
        ((row.label, text) for row, text in zip(rows, texts, strict=True)),
    )
    return format_html(
        '<figure class="academy-chart"><figcaption><h2>{title}</h2></figcaption>'
        '<div class="academy-chart__body">'
        '<div class="academy-chart__scroll" tabindex="0" role="region" aria-label="{title}">'
        '<svg role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{title}</title><desc>{desc}</desc>{bars}</svg>'
        "</div>"
        '<table class="listing academy-chart__table"><caption class="w-sr-only">{title}</caption>'
        '<thead><tr><th scope="col">{name}</th><th scope="col">{figure}</th></tr></thead>'
        "<tbody>{table}</tbody></table>"
        "</div></figure>",
        title=title,
        w=width,
        h=y + 4,
        desc=description,
        bars=format_html_join("", "{}", ((bar,) for bar in bars)),
        name=_("Bezeichnung"),
        figure=_("Wert"),
        table=table,
    )


class StatisticsFilterSet(WagtailFilterSet):
    """Period and topic of the statistics (the filters only set the scope)."""

    von = django_filters.DateFilter(
        label=gettext_lazy("Von"), method="keep", widget=AdminDateInput()
    )
    bis = django_filters.DateFilter(
        label=gettext_lazy("Bis einschließlich"), method="keep", widget=AdminDateInput()
    )
    thema = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Thema"),
        queryset=Topic.objects.order_by("sort_order", "name"),
        method="keep",
        empty_label=gettext_lazy("Alle Themen"),
    )

    class Meta:
        model = Enrolment
        fields = []

    def keep(self, queryset, name, value):
        return queryset


def scope_from(data: dict) -> Scope:
    def midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

    start = midnight(data["von"]) if data.get("von") else None
    end = midnight(data["bis"] + datetime.timedelta(days=1)) if data.get("bis") else None
    return Scope(start=start, end=end, topic=data.get("thema"))


class StatisticsReportView(GermanSpreadsheetMixin, ReportView):
    page_title = gettext_lazy("Statistik der Akademie")
    export_sheet_title = gettext_lazy("Statistik")
    header_icon = "table"
    breadcrumbs_items = ADMIN_ROOT
    filterset_class = StatisticsFilterSet
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

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_scope(self) -> Scope:
        if self.filters and self.filters.is_valid():
            return scope_from(self.filters.form.cleaned_data)
        return Scope()

    def get_queryset(self):
        return all_rows(scope=self.get_scope())

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
