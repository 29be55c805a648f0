"""Template tags of the catalogue (also used by the home page)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext

from courses.jsonld import course_data, jsonld_script
from courses.models import CourseDate, CourseIndexPage, Topic
from home import cache

register = template.Library()

HOME_DATES = 4


@register.inclusion_tag("courses/includes/home_courses.html", takes_context=True)
def home_courses(context, limit=HOME_DATES):
    """The next dates with free seats, and the topics as ways into the catalogue."""
    request = context.get("request")
    now = timezone.now()

    def entrance():
        catalogue = CourseIndexPage.objects.live().public().first()
        if catalogue is None:
            return None
        return {
            "path": catalogue.path,
            "url": catalogue.get_url(request),
            "topics": list(Topic.objects.all()),
        }

    # the catalogue's address and the topics change with an editor; seats do not
    catalogue = cache.remember("home-catalogue", (), entrance, request=request)
    dates = []
    if catalogue is not None:
        dates = list(
            CourseDate.objects.open_for_enrolment(now)
            .with_free_seats()
            .filter(course__live=True, course__path__startswith=catalogue["path"])
            .select_related("course")
            .order_by("start", "pk")[:limit]
        )
    return {
        "request": request,
        "catalogue": catalogue,
        "dates": dates,
        "topics": catalogue["topics"] if catalogue is not None else [],
    }


@register.simple_tag(takes_context=True)
def course_jsonld(context):
    """schema.org Course data of the course page in context, as a JSON-LD script."""
    page = context["page"]
    request = context["request"]
    dates = context.get("dates", [])

    def script():
        return jsonld_script(course_data(page, dates, context.get("trainer_list", []), request))

    # availability belongs to the key: the data says whether seats are left
    state = tuple((d.pk, d.status, d.capacity, d.seats_confirmed) for d in dates)
    return cache.remember("course-jsonld", (page.pk, state), script, request=request)


@register.filter
def euro(value):
    """A price the German way: "kostenfrei", "120 €", "89,50 €"."""
    if value is None:
        return ""
    if value == 0:
        return gettext("kostenfrei")
    return f"{floatformat(value, -2)} €"
