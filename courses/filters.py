"""Catalogue filters: GET parameters in plain German words, e.g.
``/kurse/?thema=digitalisierung&monat=2027-01&freie_plaetze=1``.

Unknown or malformed values are ignored (the page still answers normally). The form
validates; :mod:`courses.finder` applies the filters – all date filters to one date.
"""

import datetime
import re
from decimal import Decimal
from functools import partial

import django_filters
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from home.search import rank

from .finder import ONLINE, TAXONOMIES, Criteria, read_taxonomy
from .models import CourseFormat, CoursePage

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


#: "Preis bis" (euros): the options of the price filter
PRICE_STEPS = (0, 100, 250, 500, 1000)


def price_choices() -> list[tuple[str, str]]:
    return [
        (str(step), _("kostenfrei") if step == 0 else _("bis %(euro)s €") % {"euro": step})
        for step in PRICE_STEPS
        if step
    ]


def _place_choices(places):
    return [*((place, place) for place in places), (ONLINE, _("Online"))]


def _choices_of(taxonomy, name):
    return taxonomy[name]


def with_count(label, count) -> str:
    return f"{label} ({count})"


class CatalogueFilter(django_filters.FilterSet):
    """The catalogue's form: it validates what the address says and tells which
    courses the search text finds; :mod:`courses.finder` applies the other filters
    (the date filters to one date)."""

    q = django_filters.CharFilter(
        label=_("Suchbegriff"),
        method="filter_search",
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    thema = django_filters.MultipleChoiceFilter(
        label=_("Thema"), method="filter_noop", widget=CHECKBOXES
    )
    zielgruppe = django_filters.MultipleChoiceFilter(
        label=_("Zielgruppe"), method="filter_noop", widget=CHECKBOXES
    )
    gewerk = django_filters.MultipleChoiceFilter(
        label=_("Gewerkegruppe"), method="filter_noop", widget=CHECKBOXES
    )
    format = django_filters.MultipleChoiceFilter(
        label=_("Format"), method="filter_noop", choices=CourseFormat.choices, widget=CHECKBOXES
    )
    ort = PlaceFilter(label=_("Ort"), method="filter_noop", widget=CHECKBOXES)
    monat = django_filters.ChoiceFilter(
        label=_("Monat"), method="filter_noop", empty_label=_("alle Monate"), widget=SELECT
    )
    preis = django_filters.ChoiceFilter(
        label=_("Preis"),
        method="filter_noop",
        empty_label=_("beliebig"),
        choices=price_choices,
        widget=SELECT,
    )
    freie_plaetze = CheckboxFilter(label=_("nur mit freien Plätzen"), method="filter_noop")
    kostenfrei = CheckboxFilter(label=_("kostenfrei"), method="filter_noop")
    sortierung = django_filters.ChoiceFilter(
        label=_("Sortieren nach"),
        method="filter_noop",
        choices=[("termin", _("nächstem Termin")), ("titel", _("Titel"))],
        # searched: the best hits first; else the next date
        empty_label=_("bester Treffer"),
        widget=SELECT,
    )

    class Meta:
        model = CoursePage
        fields: list[str] = []

    def __init__(self, data=None, *args, now=None, places=(), taxonomy=None, **kwargs):
        self.now = now or timezone.now()
        super().__init__(data, *args, **kwargs)
        self.filters["monat"].extra["choices"] = month_choices(timezone.localdate(self.now))
        # the places with bookable dates (read when the form is shown)
        self.filters["ort"].extra["choices"] = partial(_place_choices, places)
        # the choices of topics, target groups and trades, read when validated or shown
        if taxonomy is None:
            taxonomy = SimpleLazyObject(lambda: read_taxonomy()[0])
        for name in TAXONOMIES:
            self.filters[name].extra["choices"] = partial(_choices_of, taxonomy, name)
        self.taxonomy = taxonomy
        self.counts = None

    def show_counts(self, counts) -> None:
        """Show next to each option how many courses it leads to (``counts``: read
        when the form is rendered)."""
        self.counts = counts

    @property
    def form(self):
        form = super().form
        if self.counts is not None and not getattr(form, "_with_counts", False):
            for name in (*TAXONOMIES, "format", "ort", "monat", "preis"):
                form.fields[name].widget.choices = partial(self._counted_choices, form, name)
            form._with_counts = True
        return form

    def _counted_choices(self, form, name):
        counts = self.counts[name]
        choices = []
        for value, label in form.fields[name].choices:
            if value == "":
                choices.append((value, label))
                continue
            key = Decimal(value) if name == "preis" else value
            choices.append((value, with_count(label, counts.get(key, 0))))
        return choices

    def cleaned(self) -> dict:
        """The values that are valid (the others are left out)."""
        self.form.is_valid()
        return self.form.cleaned_data

    def criteria(self) -> Criteria:
        """What was chosen, as far as it is valid (invalid values are left out)."""
        if not self.is_bound:
            return Criteria()
        data = self.cleaned()
        price = data.get("preis")
        return Criteria(
            places=frozenset(data.get("ort") or ()),
            month=data.get("monat") or "",
            formats=frozenset(data.get("format") or ()),
            free_seats=bool(data.get("freie_plaetze")),
            free_of_charge=bool(data.get("kostenfrei")),
            max_price=Decimal(price) if price else None,
            taxonomy={name: frozenset(data.get(name) or ()) for name in TAXONOMIES},
            search=self.found_ids(),
        )

    def found_ids(self) -> frozenset[int] | None:
        """The ids of the courses the search text finds (None: no search text)."""
        if not (self.is_bound and self.form.cleaned_data.get("q")):
            return None
        self.qs  # runs filter_search, which ranks the courses  # noqa: B018
        ranking = getattr(self, "search_ranking", None)  # None: no words to search for
        return None if ranking is None else frozenset(ranking)

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

    def filter_noop(self, qs, name, value):
        return qs

    @property
    def sort(self) -> str:
        """The order chosen; else ("bester Treffer") by relevance when a text is
        searched, by the next date when not."""
        if not self.is_bound:
            return "termin"
        data = self.cleaned()
        chosen = data.get("sortierung") or None
        return chosen or ("relevanz" if data.get("q") else "termin")

    @property
    def invalid_fields(self) -> list[str]:
        return list(self.form.errors) if self.is_bound else []
