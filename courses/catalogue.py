"""What the catalogue page shows: filtered, sorted, paginated courses.

The number of queries does not depend on how many courses or dates there are.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from home import cache

from .filters import MAX_SEARCH_LENGTH, CatalogueFilter, upcoming_dates
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
    filterset = CatalogueFilter(
        data or None, queryset=index_page.courses(), request=request, now=now
    )
    # order and count from the ids; full rows only for the page shown
    page_obj = Paginator(filterset.sorted_ids(), PER_PAGE).get_page(request.GET.get("page"))
    courses = (
        CoursePage.objects.filter(pk__in=page_obj.object_list)
        .defer_streamfields()  # a card shows none of the page body
        .select_related("image")
        .prefetch_related(
            Prefetch(
                "dates",
                queryset=upcoming_dates(now).defer("sessions").order_by("start", "pk"),
                to_attr="upcoming_date_list",
            ),
        )
    )
    by_id = {course.pk: course for course in courses}
    page_obj.object_list = [by_id[pk] for pk in page_obj.object_list if pk in by_id]
    for course in page_obj:
        for date in course.upcoming_date_list:
            date.course = course
        # the next date one can still enrol for, else the next one at all
        course.next_date = next(
            (d for d in course.upcoming_date_list if d.is_open_for_enrolment),
            course.upcoming_date_list[0] if course.upcoming_date_list else None,
        )
        course.card_state = _card_state(course.next_date)
    # topics and image sizes only for the cards that are not in the cache
    shown = list(page_obj.object_list)
    uncached = cache.missing("course-card", [(c.pk, c.card_state) for c in shown], request)
    prefetch_related_objects([shown[i] for i in uncached], "topics", "image__renditions")
    chips = active_filters(filterset, data)
    return {
        "filter": filterset,
        "courses": page_obj,
        "page_obj": page_obj,
        "result_count": page_obj.paginator.count,
        "active_filters": chips,
        "has_invalid_filters": bool(filterset.invalid_fields),
        "elided_page_range": page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=1, on_ends=1
        ),
        "calendar_feed_url": index_page.calendar_feed_url(request),
        "filter_state": _filter_state(data, now),
    }


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
