"""What the catalogue page shows: filtered, sorted, paginated courses.

The number of queries does not depend on how many courses or dates there are.
"""

import hashlib
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from home.search import closeness

from .filters import MAX_SEARCH_LENGTH, PRICE_STEPS, CatalogueFilter
from .finder import (
    ONLINE,
    TAXONOMY_FIELDS,
    Finder,
    read_chosen,
    read_courses,
    read_seat_state,
    read_slots,
    read_taxonomy,
    read_taxonomy_choices,
    seat_state,
    sort_key,
)
from .models import CourseDate, CoursePage

PER_PAGE = 12


def _clean_query(request):
    data = request.GET.copy()
    if "q" in data:
        data["q"] = data["q"][:MAX_SEARCH_LENGTH]
    data.pop("page", None)
    return data


def active_filters(filterset, data) -> list[dict]:
    """Each chosen filter value with a link to the same list without just that value."""
    if not filterset.is_bound:
        return []
    form = filterset.form
    chips = []
    for name, field in form.fields.items():
        if name == "sortierung" or name in form.errors:
            continue
        value = form.cleaned_data.get(name)
        if not value:
            continue
        if isinstance(value, bool):
            chips.append((name, None, str(field.label)))
        elif name == "q":
            chips.append((name, None, _("Suche: „%(text)s“") % {"text": value}))
        elif isinstance(value, str):
            chips.append((name, None, str(dict(field.choices).get(value, value))))
        elif all(hasattr(item, "slug") for item in value):  # topics, groups, trades
            chips.extend((name, item.slug, item.name) for item in value)
        elif name == "ort":  # a place is its own label (its choices read every date)
            chips.extend(
                (name, item, str(_("Online")) if item == ONLINE else item) for item in value
            )
        else:
            labels = dict(field.choices)
            chips.extend((name, item, str(labels.get(item, item))) for item in value)
    result = []
    for name, value, label in chips:
        remaining = data.copy()
        values = [v for v in remaining.getlist(name) if value is not None and v != value]
        if values:
            remaining.setlist(name, values)
        else:
            remaining.pop(name, None)
        result.append({"label": label, "query": remaining.urlencode()})
    return result


def catalogue_context(index_page, request) -> dict:
    now = timezone.now()
    data = _clean_query(request)
    courses = index_page.courses()
    rows = read_courses(courses)
    all_slots = SimpleLazyObject(lambda: read_slots(rows, now))  # every bookable date
    taxonomy = SimpleLazyObject(read_taxonomy)  # read when validated or shown
    filterset = CatalogueFilter(
        data or None,
        queryset=courses,
        request=request,
        now=now,
        places=SimpleLazyObject(lambda: _places(all_slots)),
        # a chosen topic is checked against the names alone; the form, when shown,
        # reads them with their courses (for the counts) in one query
        taxonomy=SimpleLazyObject(
            lambda: read_taxonomy_choices() if _chooses_taxonomy(data) else taxonomy[0]
        ),
    )
    criteria = filterset.criteria()
    filtered = criteria.date_filters()
    # a filtered list reads only the dates that meet its filters
    slots = read_slots(rows, now, criteria) if filtered else all_slots
    finder = Finder(
        list(rows.values()),
        slots,
        criteria,
        memberships=lambda: read_chosen(criteria.taxonomy),
        all_slots=lambda: all_slots,
        all_memberships=lambda: taxonomy[1],
    )
    entries = finder.listing(filterset.sort, getattr(filterset, "search_ranking", None))
    # counted only when the filter form is rendered (its fragment may come from the cache)
    filterset.show_counts(
        SimpleLazyObject(
            lambda: finder.facets(
                [Decimal(step) for step in PRICE_STEPS if step],
                {name: [slug for slug, _n in filterset.taxonomy[name]] for name in TAXONOMY_FIELDS},
            )
        )
    )
    page_obj = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    date_filtered = criteria.date_filters()
    cards, cards_key = _cards(list(page_obj.object_list), date_filtered)
    chips = active_filters(filterset, data) if data else []
    searched = criteria.search is not None
    return {
        "did_you_mean": _did_you_mean(data, getattr(filterset, "search_suggestion", "")),
        "nearest_topic": (
            _nearest_topic(data.get("q", ""), taxonomy[0]["thema"])
            if searched and not entries
            else None
        ),
        "filter": filterset,
        "facet_counts": filterset.counts,
        "courses": cards,
        "cards_key": cards_key,
        "date_filtered": date_filtered,
        "page_obj": page_obj,
        "result_count": page_obj.paginator.count,
        "active_filters": chips,
        "has_invalid_filters": bool(data) and bool(filterset.invalid_fields),
        "elided_page_range": page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=1, on_ends=1
        ),
        "calendar_feed_url": index_page.calendar_feed_url(request),
        "filter_state": _filter_state(
            data, now, rows, read_seat_state(rows, now) if filtered else seat_state(slots)
        ),
    }


def _cards(entries: list[tuple], date_filtered: bool) -> tuple:
    """The courses of one catalogue page, ready for their cards, and the key of their
    cached list: each course's id, time of its last publish and what its card shows
    of its date (its seats: a seat taken shows at once).

    The key comes from the filtering (the dates' seats); the courses themselves
    (title, teaser, image, topics) and the dates in full are read only when the list is
    rendered."""
    key = (
        date_filtered,
        *(
            (course.pk, str(course.published), slot.card_state if slot else "-", matching)
            for course, slot, matching in entries
        ),
    )

    def load():
        ids = [course.pk for course, _slot, _matching in entries]
        pages = {
            page.pk: page
            for page in CoursePage.objects.filter(pk__in=ids)
            .defer_streamfields()  # a card shows none of the page body
            .select_related("image")
            .prefetch_related("topics", "image__renditions")
        }
        shown = [slot.pk for _course, slot, _matching in entries if slot is not None]
        dates = {
            date.pk: date for date in CourseDate.objects.filter(pk__in=shown).defer("sessions")
        }
        cards = []
        for course, slot, matching in entries:
            page = pages.get(course.pk)
            if page is None:  # deleted a moment ago
                continue
            date = dates.get(slot.pk) if slot is not None else None
            if date is not None:
                date.course = page
            page.next_date = date
            page.more_dates = max(matching - 1, 0)
            cards.append(page)
        return cards

    return SimpleLazyObject(load), key


def _filter_state(data, now, courses, seats: str) -> str | None:
    """The key of the cached filter form: the chosen filters, the day (its months
    change with it) and what its options and counts come from – the courses and which
    bookable dates have free seats (a date's place, time and price change with an edit,
    which moves the content version on). None – not cached – for free-text searches:
    every text would be a new entry."""
    if "q" in data:
        return None
    chosen = sorted((name, sorted(values)) for name, values in data.lists())
    if len(str(chosen)) > 400:
        return None
    published = max((c.published for c in courses.values() if c.published), default=None)
    source = f"{sorted(courses)}|{published}|{seats}"
    digest = hashlib.sha256(source.encode()).hexdigest()
    return f"{timezone.localdate(now)}|{chosen}|{digest}"


def _chooses_taxonomy(data) -> bool:
    return any(data.get(name) for name in TAXONOMY_FIELDS)


def _places(slots) -> list[str]:
    """The places with bookable dates, in German order (online is offered apart)."""
    return sorted({s.place for dates in slots.values() for s in dates} - {ONLINE, ""}, key=sort_key)


def _did_you_mean(data, suggestion: str) -> dict | None:
    """The same list with the search text the site suggests ("Meinten Sie …?")."""
    if not suggestion:
        return None
    query = data.copy()
    query["q"] = suggestion
    return {"text": suggestion, "query": query.urlencode()}


def _nearest_topic(text: str, topics: list[tuple[str, str]]) -> dict | None:
    """The topic closest to a search that found nothing, to offer its courses."""
    if not topics:
        return None
    slug, name = max(topics, key=lambda topic: closeness(text, topic[1]))  # ties: the first
    return {"name": name, "query": urlencode({"thema": slug})}
