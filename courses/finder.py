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

Everything is computed here from small reads: the catalogue's courses (id, title,
price, format), their bookable dates in the few columns the filters need (with date
filters chosen, only the dates that meet them), and – when the form is shown – topics,
target groups and trades with their courses, and every bookable date for the counts. On
the benchmark's 300 courses with 1,200 dates this costs about 10 ms; one query joining
courses and dates took SQLite 200 ms.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, LessThanOrEqual
from django.utils import timezone

from .models import CourseDate, CoursePage, TargetGroup, Topic, Trade

ONLINE = "online"

#: the form fields that filter on a date; the others filter on the course
DATE_FIELDS = ("ort", "monat", "format", "freie_plaetze", "kostenfrei", "preis")
TAXONOMY_FIELDS = ("thema", "zielgruppe", "gewerk")


#: what the filters (and a card's key: the seats) need of a bookable date
_DATE_COLUMNS = (
    "pk",
    "course_id",
    "start",
    "city",
    "is_online",
    "capacity",
    "seats_confirmed",
    "price_override",
)


@lru_cache(maxsize=4096)
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
    row: tuple  # the columns read (a card's key shows its seats)

    @property
    def card_state(self) -> str:
        """What a card shows of this date that can change without an edit: its seats."""
        _pk, _course, _start, _city, _online, capacity, seats, override = self.row
        return f"{self.pk}:{seats}:{capacity}:{override}"


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

    def date_condition(self) -> Q:
        """The date filters as a database condition on bookable dates (the same rules as
        :meth:`date_matches`)."""
        condition = Q()
        if self.places:
            where = Q(city__in=self.places - {ONLINE}, is_online=False)
            if ONLINE in self.places:
                where |= Q(is_online=True)
            condition &= where
        if self.month:
            year, month = (int(part) for part in self.month.split("-"))
            local = timezone.get_current_timezone()
            first = datetime.datetime(year, month, 1, tzinfo=local)
            following = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=local)
            condition &= Q(start__gte=first, start__lt=following)
        if self.formats:
            where = Q(pk__in=[])
            for name in self.formats:
                if name == ONLINE:
                    where |= Q(is_online=True) | Q(course__format=ONLINE)
                else:
                    where |= Q(is_online=False, course__format=name)
            condition &= where
        if self.free_seats:
            condition &= Q(seats_confirmed__lt=F("capacity"))
        price = Coalesce("price_override", "course__price")
        if self.free_of_charge:
            condition &= Q(Exact(price, 0))
        if self.max_price is not None:
            condition &= Q(LessThanOrEqual(price, self.max_price))
        return condition

    def course_matches(self, course_id: int, memberships, skip: str = "") -> bool:
        if skip != "q" and self.search is not None and course_id not in self.search:
            return False
        for name, chosen in self.taxonomy.items():
            if name != skip and chosen and chosen.isdisjoint(memberships(course_id, name)):
                return False
        return True


def read_courses(courses) -> dict[int, Course]:
    """The courses of a queryset: id, title, last publish, price, format."""
    rows = courses.order_by().values_list("pk", "title", "last_published_at", "price", "format")
    return {row[0]: Course(*row) for row in rows}


def bookable_dates(courses: dict[int, Course], now):
    return CourseDate.objects.open_for_enrolment(now).filter(course_id__in=list(courses))


def read_slots(courses: dict[int, Course], now, criteria=None) -> dict[int, list[Slot]]:
    """The bookable dates of these courses, each course's soonest first, in the few
    columns the filters need; with ``criteria``, only the dates that meet all its date
    filters (the database leaves out the rest: a filtered list reads a few rows, not
    the catalogue's 1,200 dates)."""
    dates = bookable_dates(courses, now)
    if criteria is not None:
        dates = dates.filter(criteria.date_condition())
    rows = dates.order_by("start", "pk").values_list(*_DATE_COLUMNS)
    local = timezone.get_current_timezone()
    slots = defaultdict(list)
    for row in rows:
        pk, course_id, start, city, is_online, capacity, seats, override = row
        course = courses[course_id]
        there = start.astimezone(local)
        slots[course_id].append(
            Slot(
                pk=pk,
                course_id=course_id,
                start=start,
                place=ONLINE if is_online else city,
                month=f"{there.year:04d}-{there.month:02d}",
                format=ONLINE if is_online or course.format == ONLINE else course.format,
                free=seats < capacity,
                price=override if override is not None else course.price,
                row=row,
            )
        )
    return slots


def seat_state(slots: dict[int, list[Slot]]) -> str:
    """What the counts next to the options depend on besides the content version (which
    every date edit moves on): the bookable dates and which of them have a free seat."""
    every = [s for dates in slots.values() for s in dates]
    free = [s.pk for s in every if s.free]
    return f"{len(every)}:{sum(s.pk for s in every)}:{len(free)}:{sum(free)}"


def read_seat_state(courses: dict[int, Course], now) -> str:
    """:func:`seat_state` counted by the database (one row, for a filtered list)."""
    free = Q(seats_confirmed__lt=F("capacity"))
    row = bookable_dates(courses, now).aggregate(
        n=Count("pk"), ids=Sum("pk"), n_free=Count("pk", filter=free), free=Sum("pk", filter=free)
    )
    return f"{row['n']}:{row['ids'] or 0}:{row['n_free']}:{row['free'] or 0}"


TAXONOMIES = {"thema": Topic, "zielgruppe": TargetGroup, "gewerk": Trade}
TAXONOMIES_ORDER = {name: position for position, name in enumerate(TAXONOMIES)}


def read_chosen(chosen: dict[str, frozenset[str]]) -> dict[int, dict[str, set[str]]]:
    """Which courses have the chosen topics, target groups and trades (only those: what
    filtering needs, one small query)."""
    through = {
        "thema": (CoursePage.topics.through, "topic__slug"),
        "zielgruppe": (CoursePage.target_groups.through, "targetgroup__slug"),
        "gewerk": (CoursePage.trades.through, "trade__slug"),
    }
    names = [name for name in TAXONOMIES if chosen.get(name)]
    found: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    if not names:
        return found
    parts = [
        through[name][0]
        .objects.filter(**{f"{through[name][1]}__in": chosen[name]})
        .order_by()
        .annotate(kind=Value(TAXONOMIES_ORDER[name], output_field=IntegerField()))
        .values_list("kind", "coursepage_id", through[name][1])
        for name in names
    ]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    fields = list(TAXONOMIES)
    for kind, course_id, slug in rows:
        found[course_id][fields[kind]].add(slug)
    return found


def read_taxonomy_choices() -> dict[str, list[tuple[str, str]]]:
    """Slug and name of every topic, target group and trade in their order (to check
    what the address names, without reading which courses have them)."""
    fields = list(TAXONOMIES)
    parts = [
        model.objects.order_by()
        .annotate(position=Value(position, output_field=IntegerField()))
        .values_list("position", "sort_order", "name", "slug")
        for position, model in enumerate(TAXONOMIES.values())
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by("position", "sort_order", "name")
    choices: dict[str, list[tuple[str, str]]] = {name: [] for name in fields}
    for position, _order, name, slug in rows:
        choices[fields[position]].append((slug, name))
    return choices


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
    """``slots``: the bookable dates the list is made from (only those meeting the date
    filters will do); ``all_slots``: every bookable date, for the counts next to the
    options (a callable, read when they are shown; default ``slots``)."""

    def __init__(
        self,
        courses: list[Course],
        slots,
        criteria: Criteria,
        memberships=None,
        all_slots=None,
        all_memberships=None,
    ):
        self.courses = courses
        self.slots = slots
        self.criteria = criteria
        self._memberships = memberships  # a callable giving the dict, read when needed
        self._all_slots = all_slots
        self._all_memberships = all_memberships

    def memberships(self, course_id: int, name: str) -> set[str]:
        if callable(self._memberships):
            self._memberships = self._memberships()
        return self._memberships.get(course_id, {}).get(name, set())

    def matching_slots(self, course_id: int, skip: str = "", slots=None) -> list[Slot]:
        slots = self.slots if slots is None else slots
        return [s for s in slots.get(course_id, ()) if self.criteria.date_matches(s, skip)]

    def all_memberships(self, course_id: int, name: str) -> set[str]:
        """Every topic, target group and trade of a course (for the counts)."""
        if self._all_memberships is None:
            return self.memberships(course_id, name)
        if callable(self._all_memberships):
            self._all_memberships = self._all_memberships()
        return self._all_memberships.get(course_id, {}).get(name, set())

    def all_slots(self):
        if self._all_slots is None:
            return self.slots
        if callable(self._all_slots):
            self._all_slots = self._all_slots()
        return self._all_slots

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
        every = self.all_slots()
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
                    for option in {value(s) for s in self.matching_slots(pk, name, every)}:
                        counts[name][option] += 1
                others = self.matching_slots(pk, "freie_plaetze", every)
                if any(s.free for s in others):
                    counts["freie_plaetze"][True] += 1
                others = self.matching_slots(pk, "kostenfrei", every)
                if any(s.price == 0 for s in others):
                    counts["kostenfrei"][True] += 1
                others = self.matching_slots(pk, "preis", every)
                if others:
                    cheapest = min(s.price for s in others)
                    for step in price_steps:
                        if cheapest <= step:
                            counts["preis"][step] += 1
            has_date = not criteria.date_filters() or bool(self.matching_slots(pk, "", every))
            if not has_date:
                continue
            for name in TAXONOMY_FIELDS:
                if criteria.course_matches(pk, self.memberships, skip=name):
                    for slug in self.all_memberships(pk, name):
                        counts[name][slug] += 1
        for name, values in taxonomy_values.items():
            counts[name] = {value: counts[name].get(value, 0) for value in values}
        result = {name: dict(values) for name, values in counts.items()}
        for name in ("freie_plaetze", "kostenfrei"):  # a checkbox: one number
            result[name] = result[name].get(True, 0)
        return result
