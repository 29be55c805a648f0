"""Finding courses by one bookable date.

Every filter about dates – place, month, format, free seats, free of charge, price –
is applied to the *same* date: a course is listed when at least one of its bookable
dates (planned, not started, registration deadline not passed; full dates count, they
take a waiting list) satisfies all of them, and its card shows the earliest such date.
Without date filters every course is listed, those with a bookable date first.

The filters about the course (topic, target group, trade, search text) are applied to
the course. Counts next to every option (facets) say how many courses the list would
hold with that option chosen and every other filter kept, so a click never ends on an
empty list without warning.

Everything is computed here from three small reads – the catalogue's courses, their
bookable dates and (when needed) their topics, target groups and trades – so the number
of queries does not depend on the filters or on how many courses there are. An academy
has hundreds of dates, not millions: the benchmark's 300 courses with 1,200 dates are
filtered and counted in a few milliseconds.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import FilteredRelation, IntegerField, Q, Value
from django.utils import timezone

from .models import CourseDate, TargetGroup, Topic, Trade

ONLINE = "online"

#: the form fields that filter on a date; the others filter on the course
DATE_FIELDS = ("ort", "monat", "format", "freie_plaetze", "kostenfrei", "preis")
TAXONOMY_FIELDS = ("thema", "zielgruppe", "gewerk")

#: columns of a bookable date read for filtering and for its card
_DATE_COLUMNS = (
    "pk",
    "course_id",
    "start",
    "end",
    "venue_name",
    "city",
    "is_online",
    "capacity",
    "seats_confirmed",
    "min_participants",
    "registration_deadline",
    "price_override",
    "status",
)


def sort_key(title: str) -> str:
    """German dictionary order (DIN 5007-1): ä as a, ß as ss, case ignored."""
    text = title.casefold().replace("ß", "ss")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Course:
    pk: int
    title: str
    published: datetime.datetime | None
    price: Decimal
    format: str


@dataclass(frozen=True, slots=True)
class Slot:
    """One bookable date as the filters see it."""

    pk: int
    course_id: int
    start: datetime.datetime
    place: str  # its city, or ONLINE
    month: str  # "2027-01", local time
    format: str  # online for online dates, else the course's format
    free: bool
    price: Decimal
    row: tuple  # the columns read, to build the date for a card

    def as_date(self) -> CourseDate:
        return CourseDate(**dict(zip(_DATE_COLUMNS, self.row, strict=True)))


@dataclass(frozen=True)
class Criteria:
    """What the visitor chose. Within one filter any of the chosen values matches
    (Riesa or Meißen); different filters must all match."""

    places: frozenset[str] = frozenset()
    month: str = ""
    formats: frozenset[str] = frozenset()
    free_seats: bool = False
    free_of_charge: bool = False
    max_price: Decimal | None = None
    taxonomy: dict[str, frozenset[str]] = field(default_factory=dict)
    search: frozenset[int] | None = None  # ids found by the search text

    def date_filters(self, skip: str = "") -> bool:
        """Whether any date filter (other than ``skip``) is chosen."""
        return any(self._date_values(name) for name in DATE_FIELDS if name != skip)

    def _date_values(self, name):
        return {
            "ort": self.places,
            "monat": self.month,
            "format": self.formats,
            "freie_plaetze": self.free_seats,
            "kostenfrei": self.free_of_charge,
            "preis": self.max_price is not None,
        }[name]

    def date_matches(self, slot: Slot, skip: str = "") -> bool:
        if skip != "ort" and self.places and slot.place not in self.places:
            return False
        if skip != "monat" and self.month and slot.month != self.month:
            return False
        if skip != "format" and self.formats and slot.format not in self.formats:
            return False
        if skip != "freie_plaetze" and self.free_seats and not slot.free:
            return False
        if skip != "kostenfrei" and self.free_of_charge and slot.price != 0:
            return False
        return skip == "preis" or self.max_price is None or slot.price <= self.max_price

    def course_matches(self, course_id: int, memberships, skip: str = "") -> bool:
        if skip != "q" and self.search is not None and course_id not in self.search:
            return False
        for name, chosen in self.taxonomy.items():
            if name != skip and chosen and chosen.isdisjoint(memberships(course_id, name)):
                return False
        return True


def read_catalogue(courses, now) -> tuple[dict[int, Course], dict[int, list[Slot]]]:
    """The courses (a queryset) and their bookable dates, each course's soonest first:
    one query, a course without such a date in one row of its own."""
    bookable = FilteredRelation(
        "dates",
        condition=Q(dates__status=CourseDate.Status.PLANNED, dates__start__gt=now)
        & (Q(dates__registration_deadline__isnull=True) | Q(dates__registration_deadline__gte=now)),
    )
    rows = (
        courses.annotate(bookable=bookable)
        .order_by("bookable__start", "bookable__id")
        .values_list(
            "pk",
            "title",
            "last_published_at",
            "price",
            "format",
            *(f"bookable__{column}" for column in _DATE_COLUMNS),
        )
    )
    found: dict[int, Course] = {}
    slots = defaultdict(list)
    for row in rows:
        course = found.get(row[0])
        if course is None:
            course = found[row[0]] = Course(*row[:5])
        date = row[5:]
        if date[0] is None:  # no bookable date
            continue
        pk, course_id, start, _end, _venue, city, is_online, capacity, seats = date[:9]
        override = date[11]
        slots[course.pk].append(
            Slot(
                pk=pk,
                course_id=course_id,
                start=start,
                place=ONLINE if is_online else city,
                month=timezone.localtime(start).strftime("%Y-%m"),
                format=ONLINE if is_online or course.format == ONLINE else course.format,
                free=seats < capacity,
                price=override if override is not None else course.price,
                row=date,
            )
        )
    return found, slots


TAXONOMIES = {"thema": Topic, "zielgruppe": TargetGroup, "gewerk": Trade}


def read_taxonomy() -> tuple[dict[str, list[tuple[str, str]]], dict[int, dict[str, set[str]]]]:
    """Slug and name of every topic, target group and trade in their order, and the
    slugs of each course's ones: one query (a union of the three, each joined to its
    courses)."""
    fields = list(TAXONOMIES)
    parts = [
        model.objects.order_by()
        .annotate(position=Value(position, output_field=IntegerField()))
        .values_list("position", "sort_order", "name", "slug", "courses")
        for position, model in enumerate(TAXONOMIES.values())
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by("position", "sort_order", "name")
    choices: dict[str, list[tuple[str, str]]] = {name: [] for name in fields}
    seen = set()
    memberships: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for position, _order, name, slug, course_id in rows:
        field_name = fields[position]
        if (field_name, slug) not in seen:
            seen.add((field_name, slug))
            choices[field_name].append((slug, name))
        if course_id is not None:
            memberships[course_id][field_name].add(slug)
    return choices, memberships


@dataclass
class Listing:
    """The courses to show, in order, each with the date its card shows."""

    entries: list[tuple[Course, Slot | None, int]]  # course, its date, matching dates
    facets: dict[str, dict]


class Finder:
    def __init__(self, courses: list[Course], slots, criteria: Criteria, memberships=None):
        self.courses = courses
        self.slots = slots
        self.criteria = criteria
        self._memberships = memberships  # a callable giving the dict, read when needed

    def memberships(self, course_id: int, name: str) -> set[str]:
        if callable(self._memberships):
            self._memberships = self._memberships()
        return self._memberships.get(course_id, {}).get(name, set())

    def matching_slots(self, course_id: int, skip: str = "") -> list[Slot]:
        return [s for s in self.slots.get(course_id, ()) if self.criteria.date_matches(s, skip)]

    def listing(self, sort: str = "termin", ranking: list[int] | None = None) -> list:
        """(course, the date its card shows, how many of its dates match), in order."""
        criteria = self.criteria
        filtered = criteria.date_filters()
        entries = []
        for course in self.courses:
            if not criteria.course_matches(course.pk, self.memberships):
                continue
            matching = self.matching_slots(course.pk)
            if filtered and not matching:
                continue
            entries.append((course, matching[0] if matching else None, len(matching)))
        if sort == "relevanz" and ranking is not None:
            position = {pk: number for number, pk in enumerate(ranking)}
            entries.sort(key=lambda e: (position.get(e[0].pk, len(position)), sort_key(e[0].title)))
        elif sort == "titel":
            entries.sort(key=lambda e: (sort_key(e[0].title), e[0].pk))
        else:
            far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
            entries.sort(
                key=lambda e: (
                    e[1] is None,
                    e[1].start if e[1] else far,
                    sort_key(e[0].title),
                    e[0].pk,
                )
            )
        return entries

    def facets(self, price_steps, taxonomy_values: dict[str, list[str]]) -> dict[str, dict]:
        """For every filter, for each of its options: how many courses would be listed
        with that option chosen (instead of the other options of the same filter) and
        every other filter as it is."""
        criteria = self.criteria
        counts: dict[str, dict] = {
            name: defaultdict(int) for name in (*DATE_FIELDS, *TAXONOMY_FIELDS)
        }
        for course in self.courses:
            pk = course.pk
            if criteria.course_matches(pk, self.memberships):
                for name, value in (
                    ("ort", lambda s: s.place),
                    ("monat", lambda s: s.month),
                    ("format", lambda s: s.format),
                ):
                    for option in {value(s) for s in self.matching_slots(pk, skip=name)}:
                        counts[name][option] += 1
                others = self.matching_slots(pk, skip="freie_plaetze")
                if any(s.free for s in others):
                    counts["freie_plaetze"][True] += 1
                others = self.matching_slots(pk, skip="kostenfrei")
                if any(s.price == 0 for s in others):
                    counts["kostenfrei"][True] += 1
                others = self.matching_slots(pk, skip="preis")
                if others:
                    cheapest = min(s.price for s in others)
                    for step in price_steps:
                        if cheapest <= step:
                            counts["preis"][step] += 1
            has_date = not criteria.date_filters() or bool(self.matching_slots(pk))
            if not has_date:
                continue
            for name in TAXONOMY_FIELDS:
                if criteria.course_matches(pk, self.memberships, skip=name):
                    for slug in self.memberships(pk, name):
                        counts[name][slug] += 1
        for name, values in taxonomy_values.items():
            counts[name] = {value: counts[name].get(value, 0) for value in values}
        result = {name: dict(values) for name, values in counts.items()}
        for name in ("freie_plaetze", "kostenfrei"):  # a checkbox: one number
            result[name] = result[name].get(True, 0)
        return result
