from django import template

from courses.lessons import can_view_material, material_of

register = template.Library()


@register.simple_tag(takes_context=True)
def course_material(context, course):
    """The course's material for the course page: titles for everyone, links for those
    the view restriction lets in."""
    material = material_of(course)
    if material is None:
        return None
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "page": material,
        "lessons": list(material.lessons()),
        "can_view": user is not None and can_view_material(course, user),
    }
