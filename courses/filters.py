"""Catalogue filters: GET parameters in plain German words, e.g.
``/kurse/?thema=digitalisierung&monat=2027-01&freie_plaetze=1``.

Unknown or malformed values are ignored (the page still answers normally).
"""

import datetime
import re
from functools import partial

import django_filters
from django import forms
from django.db.models import Exists, F, Min, OuterRef, Q, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from home.search import rank

from .models import CourseDate, CourseFormat, CoursePage, TargetGroup, Topic, Trade

ONLINE = "online"
MAX_SEARCH_WORDS = 10
MAX_SEARCH_LENGTH = 200
MONTHS_AHEAD = 12


CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
SELECT = forms.Select(attrs={"class": "form-select"})


def search_words(value: str) -> list[str]:
    """Plain words of a search text (no operators, bounded length)."""
    return re.findall(r"\w+", (value or "")[:MAX_SEARCH_LENGTH])[:MAX_SEARCH_WORDS]


def month_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    today = today or timezone.localdate()
    year, month = today.year, today.month
    choices = []
    for _step in range(MONTHS_AHEAD):
        first = datetime.date(year, month, 1)
        choices.append((f"{year:04d}-{month:02d}", date_format(first, "F Y")))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return choices


def upcoming_dates(now=None):
    """Planned dates that have not started yet (what the catalogue filters on)."""
    return CourseDate.objects.upcoming(now).planned()


class AnyPlaceField(forms.MultipleChoiceField):
    """Offers the places with dates, but accepts any place name (a bookmarked place
    without dates simply finds nothing)."""

    def valid_value(self, value):
        return 0 < len(value) <= 80


class PlaceFilter(django_filters.MultipleChoiceFilter):
    field_class = AnyPlaceField


class CheckboxFilter(django_filters.Filter):
    """A single checkbox; its method filters only when it is ticked."""

    field_class = forms.BooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput(attrs={"class": "form-check-input"}))
        super().__init__(*args, **kwargs)


_TAXONOMIES = {"thema": Topic, "zielgruppe": TargetGroup, "gewerk": Trade}


def taxonomy_choices() -> dict[str, list[tuple[str, str]]]:
    """Slug and name of every topic, target group and trade, in their order: one query."""
    parts = [
        model.objects.order_by()
        .annotate(field=Value(field), position=Value(position))
        .values_list("position", "field", "sort_order", "name", "slug")
        for position, (field, model) in enumerate(_TAXONOMIES.items())
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by("position", "sort_order", "name")
    choices = {field: [] for field in _TAXONOMIES}
    for _position, field, _order, name, slug in rows:
        choices[field].append((slug, name))
    return choices


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suchbegriff"),
        method="filter_search",
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    thema = django_filters.ModelMultipleChoiceFilter(
        label=_("Thema"),
        field_name="topics__slug",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        widget=CHECKBOXES,
        distinct=True,
    )
    zielgruppe = django_filters.ModelMultipleChoiceFilter(
        label=_("Zielgruppe"),
        field_name="target_groups__slug",
        to_field_name="slug",
        queryset=TargetGroup.objects.all(),
        widget=CHECKBOXES,
        distinct=True,
    )
    gewerk = django_filters.ModelMultipleChoiceFilter(
        label=_("Gewerkegruppe"),
        field_name="trades__slug",
        to_field_name="slug",
        queryset=Trade.objects.all(),
        widget=CHECKBOXES,
        distinct=True,
    )
    format = django_filters.MultipleChoiceFilter(
        label=_("Format"),
        field_name="format",
        choices=CourseFormat.choices,
        widget=CHECKBOXES,
    )
    ort = PlaceFilter(
        label=_("Ort"),
        method="filter_location",
        widget=CHECKBOXES,
    )
    monat = django_filters.ChoiceFilter(
        label=_("Monat"), method="filter_month", empty_label=_("alle Monate"), widget=SELECT
    )
    freie_plaetze = CheckboxFilter(label=_("nur mit freien Plätzen"), method="filter_free_seats")
    kostenfrei = CheckboxFilter(label=_("kostenfrei"), method="filter_free_of_charge")
    sortierung = django_filters.ChoiceFilter(
        label=_("Sortieren nach"),
        method="filter_noop",
        choices=[("termin", _("nächstem Termin")), ("titel", _("Titel"))],
        empty_label=None,
        widget=SELECT,
    )

    class Meta:
        model = CoursePage
        fields: list[str] = []

    def __init__(self, data=None, *args, now=None, **kwargs):
        self.now = now or timezone.now()
        super().__init__(data, *args, **kwargs)
        self.filters["monat"].extra["choices"] = month_choices(timezone.localdate(self.now))
        self.filters["ort"].extra["choices"] = self.location_choices()

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_choices_as_pairs", False):
            # checkboxes of topics, target groups and trades: slug and name only, all
            # three read at once when the form is rendered (validation still asks for
            # the objects)
            choices = SimpleLazyObject(taxonomy_choices)
            for name in _TAXONOMIES:
                form.fields[name].widget.choices = partial(choices.__getitem__, name)
            form._choices_as_pairs = True
        return form

    def location_choices(self) -> list[tuple[str, str]]:
        places = (
            upcoming_dates(self.now)
            .filter(is_online=False, course__live=True)
            .exclude(city="")
            .values_list("city", flat=True)
            .distinct()
            .order_by("city")
        )
        return [*((city, city) for city in places), (ONLINE, _("Online"))]

    def _with_date(self, qs, **conditions):
        dates = upcoming_dates(self.now).filter(course=OuterRef("pk"), **conditions)
        return qs.filter(Exists(dates))

    def filter_search(self, qs, name, value):
        """The site's search (``home.search``), ranked as on ``/suche/``; the ranked ids
        are kept for ordering by relevance."""
        words = search_words(value)
        if not words:
            return qs
        ranking = rank(" ".join(words), qs)
        self.search_ranking = ranking.ids
        self.search_suggestion = ranking.suggestion
        return qs.filter(pk__in=ranking.ids)

    def filter_location(self, qs, name, values):
        condition = Q()
        cities = [v for v in values if v != ONLINE]
        if cities:
            condition |= Q(city__in=cities, is_online=False)
        if ONLINE in values:
            condition |= Q(is_online=True)
        dates = upcoming_dates(self.now).filter(condition, course=OuterRef("pk"))
        return qs.filter(Exists(dates))

    def filter_month(self, qs, name, value):
        year, month = (int(part) for part in value.split("-"))
        tz = timezone.get_current_timezone()
        first = datetime.datetime(year, month, 1, tzinfo=tz)
        following = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
        return self._with_date(qs, start__gte=first, start__lt=following)

    def filter_free_seats(self, qs, name, value):
        if not value:
            return qs
        dates = (
            CourseDate.objects.open_for_enrolment(self.now)
            .with_free_seats()
            .filter(course=OuterRef("pk"))
        )
        return qs.filter(Exists(dates))

    def filter_free_of_charge(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(price=0)

    def filter_noop(self, qs, name, value):
        return qs

    @property
    def sort(self) -> str:
        if not self.is_bound or "sortierung" in self.errors:
            return "termin"
        return self.form.cleaned_data.get("sortierung") or "termin"

    @property
    def invalid_fields(self) -> list[str]:
        return list(self.form.errors) if self.is_bound else []

    def sorted_courses(self) -> list[tuple]:
        return sorted_courses(self.qs, self.now, self.sort)


def sorted_courses(courses, now, sort="termin") -> list[tuple]:
    """``(id, time of the last publish)`` of the courses in the chosen order, from one
    small query (grouped by the id, not by every column of the page): by next date
    (courses without one last) or by title."""
    ids = courses.order_by().values("pk")
    if sort == "titel":
        ids = ids.order_by("title", "pk")
    else:
        next_start = Min(
            "dates__start",
            filter=Q(dates__start__gte=now, dates__status=CourseDate.Status.PLANNED),
        )
        ids = ids.annotate(next_start=next_start).order_by(
            F("next_start").asc(nulls_last=True), "title", "pk"
        )
    return list(ids.values_list("pk", "last_published_at"))
