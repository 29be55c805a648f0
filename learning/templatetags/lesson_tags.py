from django import template
from django.db.models import Count, Max
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page

from learning.lessons import can_view_material, material_of

register = template.Library()


@register.simple_tag(takes_context=True)
def course_material(context, course):
    """The course's material for the course page: titles for everyone, links for those
    the view restriction lets in. ``key`` names its cached outline: how many live pages
    the course holds and when the last was published."""
    request = context.get("request")

    def outline():
        material = material_of(course)
        if material is None:
            return None
        return {
            "url": material.get_url(request),
            "lessons": [
                {"title": lesson.title, "url": lesson.get_url(request)}
                for lesson in material.lessons()
            ],
        }

    if not course.numchild:  # nothing below the course: no material to ask for
        return None
    below = (
        Page.objects.descendant_of(course)
        .live()
        .aggregate(count=Count("pk"), last=Max("last_published_at"))
    )
    if not below["count"]:
        return None
    user = getattr(request, "user", None)
    return {
        "key": (course.pk, below["count"], str(below["last"])),
        "outline": SimpleLazyObject(outline),
        "can_view": user is not None and can_view_material(course, user),
    }
