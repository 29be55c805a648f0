"""Template tags of the catalogue (also used by the home page)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from courses.jsonld import catalogue_data, course_data, jsonld_script
from courses.models import CourseDate, CourseIndexPage, Topic
from home.visibility import public_pages

register = template.Library()

HOME_DATES = 4


@register.inclusion_tag("courses/includes/home_courses.html", takes_context=True)
def home_courses(context, limit=HOME_DATES):
    """The next dates with free seats, and the topics as ways into the catalogue."""
    request = context.get("request")
    if context.get("child_pages") is not None:  # the home page's own, read once
        pages = context["child_pages"]
        catalogue = next((page for page in pages if isinstance(page, CourseIndexPage)), None)
    else:
        catalogue = public_pages(CourseIndexPage.objects.live()).first()
    dates = []
    if catalogue is not None:
        dates = list(
            CourseDate.objects.open_for_enrolment(timezone.now())
            .with_free_seats()
            .filter(course__live=True, course__path__startswith=catalogue.path)
            .select_related("course")
            .order_by("start", "pk")[:limit]
        )
    return {
        "request": request,
        "catalogue": catalogue,
        "dates": dates,
        # read only when the cached list of topics is missing
        "topics": SimpleLazyObject(lambda: list(Topic.objects.all())),
        "content_version": context.get("content_version"),
        "fragment_seconds": context.get("fragment_seconds"),
    }


@register.simple_tag(takes_context=True)
def course_jsonld(context):
    """schema.org Course data of the course page in context, as a JSON-LD script."""
    page = context["page"]
    dates = context.get("dates", [])
    data = course_data(
        page,
        dates,
        context.get("trainer_list", []),
        context["request"],
    )
    return jsonld_script(data)


@register.simple_tag(takes_context=True)
def catalogue_jsonld(context):
    """The courses listed on this catalogue page as a schema.org ItemList."""
    courses = context.get("courses") or []
    page_obj = context.get("page_obj")
    first = page_obj.start_index() if page_obj is not None else 1
    return jsonld_script(catalogue_data(courses, context["request"], first))


@register.filter
def euro(value):
    """A price the German way: "kostenfrei", "120 €", "89,50 €"."""
    if value is None:
        return ""
    if value == 0:
        return gettext("kostenfrei")
    return f"{floatformat(value, -2)} €"
