from django import template

from home import cache
from learning.lessons import can_view_material, material_of

register = template.Library()


@register.simple_tag(takes_context=True)
def course_material(context, course):
    """The course's material for the course page: titles for everyone, links for those
    the view restriction lets in."""
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

    # the outline is public and the same for everyone; who may open it is not
    data = cache.remember("course-material", (course.pk,), outline, request=request)
    if data is None:
        return None
    user = getattr(request, "user", None)
    return {**data, "can_view": user is not None and can_view_material(course, user)}
