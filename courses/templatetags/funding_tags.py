"""Template tags of the funding facts and the cost calculator (courses/funding.py)."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from wagtail.models import Site

from courses.funding import course_funding

register = template.Library()


@register.filter
def euro_amount(value):
    """An amount of a calculation: "1.745,00 €", "−872,50 €" (a real minus sign)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    sign = "−" if value < 0 else ""
    return f"{sign}{floatformat(abs(value), '2g')} €"


@register.inclusion_tag("courses/includes/funding_box.html", takes_context=True)
def course_funding_box(context):
    """The programmes the course in context meets, those suspended for now, and why the
    others do not apply."""
    page = context["page"]
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    found = course_funding(page, site)
    return {
        **found,
        "page": page,
        "calculator_url": page.cost_calculator_url(request),
        "priced": bool(page.price),
    }
