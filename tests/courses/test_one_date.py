"""The date filters of the catalogue mean one bookable date.

The reported cases first, then a loop over generated catalogues (courses with several
dates in different places, months, formats, prices and seat states) and random filter
combinations, checked against a plain reading of the rules from the model's own
properties."""

import datetime
import random
import re
import zoneinfo
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import time_machine
from django.utils import timezone

from courses.models import CourseDate, CourseFormat
from tests.factories import CourseDateFactory, CoursePageFactory, TopicFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db

CARD = re.compile(
    r'<h3 class="card-title h5"><a href="[^"]*">([^<]*)</a></h3>.*?'
    r'<dd class="card-date"(?: data-date="(\d+)")?',
    re.S,
)


def cards(client, query: dict | str = "") -> list[tuple[str, int | None]]:
    """(title, id of the date shown) of each card, in order."""
    if isinstance(query, dict):
        query = urlencode(query, doseq=True)
    response = client.get("/kurse/?" + query)
    assert response.status_code == 200
    return [
        (title, int(pk) if pk else None) for title, pk in CARD.findall(response.content.decode())
    ]


def month(days: int) -> str:
    return timezone.localtime(in_days(days)).strftime("%Y-%m")


def full(date):
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=date.capacity)


@pytest.fixture(autouse=True)
def _a_fixed_day():
    """10 March 2027: the dates below (in 5, 40 and 70 days) fall in three different
    months whatever day the tests run."""
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    with time_machine.travel(datetime.datetime(2027, 3, 10, 8, tzinfo=berlin), tick=True):
        yield


@pytest.fixture
def orders(catalogue):
    """The reported course: its first date in Meißen with free seats, a later one in
    Riesa (full), a third in Riesa (free, but its registration deadline has passed)."""
    course = CoursePageFactory(parent=catalogue, title="Digitale Auftragsabwicklung")
    meissen = CourseDateFactory(course=course, start=in_days(5), end=in_days(5, 16), city="Meißen")
    riesa_full = CourseDateFactory(
        course=course, start=in_days(40), end=in_days(40, 16), city="Riesa", capacity=2
    )
    full(riesa_full)
    closed = CourseDateFactory(
        course=course,
        start=in_days(70),
        end=in_days(70, 16),
        city="Riesa",
        registration_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    return {"course": course, "meissen": meissen, "riesa_full": riesa_full, "closed": closed}


def test_place_and_month_must_match_the_same_date(client, orders):
    assert month(5) != month(40)
    assert cards(client, {"ort": "Meißen", "monat": month(40)}) == []
    assert cards(client, {"ort": "Riesa", "monat": month(40)}) == [
        ("Digitale Auftragsabwicklung", orders["riesa_full"].pk)
    ]


def test_free_seats_and_month_must_match_the_same_date(client, orders):
    assert cards(client, {"monat": month(40), "freie_plaetze": "on"}) == []
    assert cards(client, {"freie_plaetze": "on"}) == [
        ("Digitale Auftragsabwicklung", orders["meissen"].pk)
    ]


def test_the_card_shows_the_matching_date_with_its_place_and_price(client, orders):
    date = orders["riesa_full"]
    CourseDate.objects.filter(pk=date.pk).update(price_override=Decimal("89"))
    response = client.get("/kurse/?" + urlencode({"ort": "Riesa"}))
    html = response.content.decode()
    assert cards(client, {"ort": "Riesa"}) == [("Digitale Auftragsabwicklung", date.pk)]
    assert "Passender Termin" in html
    assert "Riesa" in html and "89 €" in html
    assert "ausgebucht – Warteliste" in html


def test_a_date_past_its_deadline_is_never_matched(client, orders):
    assert month(70) not in (month(5), month(40))
    assert cards(client, {"monat": month(70)}) == []


def test_next_date_sorting_counts_only_bookable_dates(client, catalogue):
    early_closed = CoursePageFactory(parent=catalogue, title="A: Anmeldeschluss vorbei")
    CourseDateFactory(
        course=early_closed,
        start=in_days(3),
        end=in_days(3, 16),
        registration_deadline=timezone.now() - datetime.timedelta(days=1),
    )
    CourseDateFactory(course=early_closed, start=in_days(60), end=in_days(60, 16))
    soon = CoursePageFactory(parent=catalogue, title="B: bald")
    CourseDateFactory(course=soon, start=in_days(10), end=in_days(10, 16))
    only_cancelled = CoursePageFactory(parent=catalogue, title="C: abgesagt")
    CourseDateFactory(
        course=only_cancelled,
        start=in_days(2),
        end=in_days(2, 16),
        status=CourseDate.Status.CANCELLED,
    )
    titles = [title for title, _pk in cards(client)]
    assert titles == ["B: bald", "A: Anmeldeschluss vorbei", "C: abgesagt"]
    html = client.get("/kurse/").content.decode()
    assert html.count("kein buchbarer Termin") == 1


def test_counts_next_to_options_reflect_the_other_filters(client, orders, catalogue):
    other = CoursePageFactory(parent=catalogue, title="Betriebsnachfolge planen")
    CourseDateFactory(course=other, start=in_days(40), end=in_days(40, 16), city="Riesa")
    html = client.get("/kurse/").content.decode()
    assert "Riesa (2)" in html and "Meißen (1)" in html
    # with free seats chosen, the full Riesa date no longer counts for the first course
    html = client.get("/kurse/?freie_plaetze=on").content.decode()
    assert "Riesa (1)" in html and "Meißen (1)" in html
    assert "nur mit freien Plätzen (2)" in html


# --- generated catalogues ---------------------------------------------------------

PLACES = ["Riesa", "Meißen", "Großenhain"]
FORMATS = [CourseFormat.PRESENCE, CourseFormat.ONLINE, CourseFormat.HYBRID]


def build_catalogue(catalogue, rng: random.Random):
    topics = [TopicFactory(name=f"Thema {n}", slug=f"thema-{n}") for n in range(2)]
    for number in range(9):
        course = CoursePageFactory(
            parent=catalogue,
            title=f"Kurs {number}",
            format=rng.choice(FORMATS),
            price=rng.choice([Decimal(0), Decimal(90), Decimal(240), Decimal(600)]),
            topics=rng.sample(topics, rng.randint(0, 2)),
        )
        for _date in range(rng.randint(0, 4)):
            days = rng.randint(1, 100)
            online = course.format == CourseFormat.ONLINE or rng.random() < 0.2
            date = CourseDateFactory(
                course=course,
                start=in_days(days, rng.choice([9, 17])),
                end=in_days(days, 20),
                city="" if online else rng.choice(PLACES),
                is_online=online,
                capacity=rng.randint(1, 4),
                price_override=rng.choice([None, None, Decimal(0), Decimal(150)]),
                registration_deadline=rng.choice(
                    [None, None, None, timezone.now() - datetime.timedelta(hours=2)]
                ),
                status=rng.choice([CourseDate.Status.PLANNED] * 5 + [CourseDate.Status.CANCELLED]),
            )
            seats = rng.choice([0, 1, date.capacity])
            CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=seats)
        if rng.random() < 0.2:  # a past date never counts
            CourseDateFactory(course=course, start=in_days(-3), end=in_days(-3, 16))


def random_filters(rng: random.Random) -> dict:
    chosen = {}
    if rng.random() < 0.5:
        chosen["ort"] = rng.sample([*PLACES, "online"], rng.randint(1, 2))
    if rng.random() < 0.5:
        chosen["monat"] = month(rng.choice([1, 30, 60, 90]))
    if rng.random() < 0.3:
        chosen["format"] = rng.sample([f.value for f in FORMATS], rng.randint(1, 2))
    if rng.random() < 0.4:
        chosen["freie_plaetze"] = "on"
    if rng.random() < 0.25:
        chosen["kostenfrei"] = "on"
    if rng.random() < 0.3:
        chosen["preis"] = rng.choice(["100", "250", "500"])
    if rng.random() < 0.3:
        chosen["thema"] = ["thema-0"]
    return chosen


def date_matches(date, course, chosen) -> bool:
    """The rules as the visitor reads them, from the model's own properties."""
    if not date.is_open_for_enrolment:
        return False
    place = "online" if date.is_online else date.city
    if "ort" in chosen and place not in chosen["ort"]:
        return False
    start_month = timezone.localtime(date.start).strftime("%Y-%m")
    if "monat" in chosen and start_month != chosen["monat"]:
        return False
    date_format = "online" if date.is_online or course.format == "online" else course.format
    if "format" in chosen and date_format not in chosen["format"]:
        return False
    if "freie_plaetze" in chosen and date.free_seats <= 0:
        return False
    if "kostenfrei" in chosen and date.effective_price != 0:
        return False
    return not ("preis" in chosen and date.effective_price > Decimal(chosen["preis"]))


def expected_cards(catalogue, chosen) -> dict[str, int | None]:
    """Title → the date its card must show, for every course that must be listed."""
    date_filters = {"ort", "monat", "format", "freie_plaetze", "kostenfrei", "preis"} & set(chosen)
    expected = {}
    for course in catalogue.get_children().specific():
        if "thema" in chosen and not set(course.topics.values_list("slug", flat=True)) & set(
            chosen["thema"]
        ):
            continue
        dates = CourseDate.objects.filter(course=course).order_by("start", "pk")
        matching = [d for d in dates if date_matches(d, course, chosen)]
        if date_filters and not matching:
            continue
        expected[course.title] = matching[0].pk if matching else None
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_filter_combinations_list_exactly_the_courses_with_one_matching_date(
    client, catalogue, seed
):
    rng = random.Random(seed)
    build_catalogue(catalogue, rng)
    starts = dict(CourseDate.objects.values_list("pk", "start"))
    for _round in range(25):
        chosen = random_filters(rng)
        shown = cards(client, chosen)
        expected = expected_cards(catalogue, chosen)
        assert dict(shown) == expected, chosen
        # by the date shown, courses without one last
        order = [(pk is None, starts.get(pk)) for _title, pk in shown]
        assert order == sorted(order, key=lambda o: (o[0], o[1] or datetime.datetime.min)), chosen


@pytest.mark.parametrize("seed", [4, 5])
def test_the_count_next_to_a_place_or_month_is_what_a_click_finds(client, catalogue, seed):
    rng = random.Random(seed)
    build_catalogue(catalogue, rng)
    for _round in range(6):
        chosen = random_filters(rng)
        chosen.pop("ort", None)
        html = client.get("/kurse/?" + urlencode(chosen, doseq=True)).content.decode()
        for place in PLACES:
            shown = re.search(rf"{place} \((\d+)\)</label>", html)
            if shown is None:  # no bookable date there at all
                assert not any(
                    date_matches(d, d.course.specific, {}) and d.city == place
                    for d in CourseDate.objects.select_related("course")
                )
                continue
            after_click = cards(client, {**chosen, "ort": [place]})
            assert int(shown.group(1)) == len(after_click), (chosen, place)
