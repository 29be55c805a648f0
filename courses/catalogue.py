"""What the catalogue page shows: filtered, sorted, paginated courses.

The number of queries does not depend on how many courses or dates there are.
"""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from home import cache

from .filters import MAX_SEARCH_LENGTH, CatalogueFilter, sorted_course_ids, upcoming_dates
from .models import CoursePage

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
    if data:
        filterset = CatalogueFilter(data, queryset=index_page.courses(), request=request, now=now)
        ids = filterset.sorted_ids()
    else:
        # nothing chosen (most visits): the filter form is built only if its cached
        # fragment is missing
        filterset = SimpleLazyObject(
            lambda: CatalogueFilter(None, queryset=index_page.courses(), request=request, now=now)
        )
        ids = sorted_course_ids(index_page.courses(), now)
    # order and count from the ids; only the page shown is loaded
    page_obj = Paginator(ids, PER_PAGE).get_page(request.GET.get("page"))
    page_obj.object_list = _cards(list(page_obj.object_list), now, request)
    chips = active_filters(filterset, data) if data else []
    return {
        "filter": filterset,
        "courses": page_obj,
        "page_obj": page_obj,
        "result_count": page_obj.paginator.count,
        "active_filters": chips,
        "has_invalid_filters": bool(data) and bool(filterset.invalid_fields),
        "elided_page_range": page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=1, on_ends=1
        ),
        "calendar_feed_url": index_page.calendar_feed_url(request),
        "filter_state": _filter_state(data, now),
    }


def _cards(ids: list[int], now, request) -> list:
    """The courses of one catalogue page, ready for their cards.

    Every card shows its course's next date, so the dates are always read; the
    course itself (title, teaser, image, topics) only for cards not in the cache."""
    dates_by_course = {pk: [] for pk in ids}
    for date in (
        upcoming_dates(now).filter(course_id__in=ids).defer("sessions").order_by("start", "pk")
    ):
        dates_by_course[date.course_id].append(date)
    next_dates = {pk: _next_date(dates) for pk, dates in dates_by_course.items()}
    states = {pk: _card_state(next_dates[pk]) for pk in ids}
    uncached = [
        ids[i] for i in cache.missing("course-card", [(pk, states[pk]) for pk in ids], request)
    ]
    courses = {
        course.pk: course
        for course in CoursePage.objects.filter(pk__in=uncached)
        .defer_streamfields()  # a card shows none of the page body
        .select_related("image")
        .prefetch_related("topics", "image__renditions")
    }
    cards = []
    for pk in ids:
        course = courses.get(pk)
        if course is None:
            if pk not in uncached:
                cards.append(cache.CachedItem(pk, card_state=states[pk]))
            # else: deleted a moment ago, neither in the cache nor found
            continue
        course.upcoming_date_list = dates_by_course[pk]
        for date in course.upcoming_date_list:
            date.course = course
        course.next_date = next_dates[pk]
        course.card_state = states[pk]
        cards.append(course)
    return cards


def _next_date(dates):
    """The next date one can still enrol for, else the next one at all."""
    return next((d for d in dates if d.is_open_for_enrolment), dates[0] if dates else None)


def _card_state(date) -> str:
    """What a course card shows of its next date: part of the card's cache key, so a
    seat taken shows at once."""
    if date is None:
        return "-"
    return (
        f"{date.pk}:{date.status}:{date.seats_confirmed}:{date.capacity}:"
        f"{date.is_open_for_enrolment}"
    )


def _filter_state(data, now) -> str | None:
    """The chosen filters as the cache key of the filter form (its months and places
    change with the day). None – not cached – for free-text searches: every text
    would be a new entry."""
    if "q" in data:
        return None
    chosen = sorted((name, sorted(values)) for name, values in data.lists())
    state = f"{timezone.localdate(now)}|{chosen}"
    return state if len(state) <= 500 else None
