"""What the catalogue page shows: filtered, sorted, paginated courses.

The number of queries does not depend on how many courses or dates there are.
"""

import hashlib

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .filters import MAX_SEARCH_LENGTH, CatalogueFilter, sorted_courses, upcoming_dates
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
        shown = filterset.sorted_courses()
        # the places offered, read with the filters
        places = filterset.filters["ort"].extra["choices"]
    else:
        # nothing chosen (most visits): the filter form is built only if its cached
        # fragment is missing
        filterset = SimpleLazyObject(
            lambda: CatalogueFilter(None, queryset=index_page.courses(), request=request, now=now)
        )
        shown = sorted_courses(index_page.courses(), now)
        # the places offered are those of these courses' dates
        places = sorted(pk for pk, _published in shown)
    # order and count from the ids; only the page shown is read, and only its dates
    # unless the cached list is missing
    page_obj = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    cards, cards_key = _cards(list(page_obj.object_list), now)
    chips = active_filters(filterset, data) if data else []
    return {
        "filter": filterset,
        "courses": cards,
        "cards_key": cards_key,
        "page_obj": page_obj,
        "result_count": page_obj.paginator.count,
        "active_filters": chips,
        "has_invalid_filters": bool(data) and bool(filterset.invalid_fields),
        "elided_page_range": page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=1, on_ends=1
        ),
        "calendar_feed_url": index_page.calendar_feed_url(request),
        "filter_state": _filter_state(data, now, places),
    }


def _cards(shown: list[tuple], now) -> tuple:
    """The courses of one catalogue page, ready for their cards, and the key of their
    cached list: each course's id, time of its last publish and what its card shows
    of its next date (its seats: a seat taken shows at once).

    Every card shows its course's next date, so the dates are always read; the
    courses themselves (title, teaser, image, topics) only when the list is rendered."""
    ids = [pk for pk, _published in shown]
    dates_by_course = {pk: [] for pk in ids}
    for date in (
        upcoming_dates(now).filter(course_id__in=ids).defer("sessions").order_by("start", "pk")
    ):
        dates_by_course[date.course_id].append(date)
    next_dates = {pk: _next_date(dates) for pk, dates in dates_by_course.items()}
    key = tuple((pk, str(published), _card_state(next_dates[pk])) for pk, published in shown)

    def load():
        courses = {
            course.pk: course
            for course in CoursePage.objects.filter(pk__in=ids)
            .defer_streamfields()  # a card shows none of the page body
            .select_related("image")
            .prefetch_related("topics", "image__renditions")
        }
        cards = []
        for pk in ids:
            course = courses.get(pk)
            if course is None:  # deleted a moment ago
                continue
            course.upcoming_date_list = dates_by_course[pk]
            for date in course.upcoming_date_list:
                date.course = course
            course.next_date = next_dates[pk]
            cards.append(course)
        return cards

    return SimpleLazyObject(load), key


def _next_date(dates):
    """The next date one can still enrol for, else the next one at all."""
    return next((d for d in dates if d.is_open_for_enrolment), dates[0] if dates else None)


def _card_state(date) -> str:
    """What a course card shows of its next date."""
    if date is None:
        return "-"
    return (
        f"{date.pk}:{date.status}:{date.seats_confirmed}:{date.capacity}:"
        f"{date.is_open_for_enrolment}"
    )


def _filter_state(data, now, places) -> str | None:
    """The key of the cached filter form: the chosen filters, the day (its months and
    places change with it) and the places offered – or, when the form is not built,
    what they come from: the ids of the catalogue's courses. None – not cached – for
    free-text searches: every text would be a new entry."""
    if "q" in data:
        return None
    chosen = sorted((name, sorted(values)) for name, values in data.lists())
    if len(str(chosen)) > 400:
        return None
    places = hashlib.sha256(repr(places).encode()).hexdigest()
    return f"{timezone.localdate(now)}|{chosen}|{places}"
