"""schema.org ``Course`` with its ``CourseInstance``s for search engines."""

import json
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

# The same escapes as Django's json_script: nothing in a title can end the script.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

COURSE_MODES = {"presence": "Onsite", "online": "Online", "hybrid": "Blended"}


def _price(value: Decimal) -> str:
    return f"{value:.2f}"


def _place(date) -> dict:
    if date.is_online:
        return {"@type": "VirtualLocation", "name": "Online"}
    place = {"@type": "Place", "name": date.venue_name or date.city}
    address = {"@type": "PostalAddress", "addressCountry": "DE"}
    if date.venue_address:
        address["streetAddress"] = date.venue_address
    if date.city:
        address["addressLocality"] = date.city
    place["address"] = address
    return place


def course_instance(date, request, instructors: list[dict]) -> dict:
    instance = {
        "@type": "CourseInstance",
        "courseMode": "Online" if date.is_online else COURSE_MODES.get(date.course.format),
        "startDate": timezone.localtime(date.start).isoformat(),
        "endDate": timezone.localtime(date.end).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if date.is_cancelled
        else "https://schema.org/EventScheduled",
        "location": _place(date),
        "maximumAttendeeCapacity": date.capacity,
        "remainingAttendeeCapacity": date.free_seats,
        "offers": {
            "@type": "Offer",
            "price": _price(date.effective_price),
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock"
            if date.is_open_for_enrolment and date.free_seats
            else "https://schema.org/SoldOut",
            "url": request.build_absolute_uri(reverse("enrolment:enrol", args=[date.pk])),
        },
    }
    if date.registration_deadline:
        instance["offers"]["validThrough"] = timezone.localtime(
            date.registration_deadline
        ).isoformat()
    if instructors:
        instance["instructor"] = instructors
    return instance


def course_data(page, dates, trainers, request) -> dict:
    url = page.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": page.title,
        "description": page.get_meta_description(),
        "url": url,
        "inLanguage": "de",
        "isAccessibleForFree": page.price == 0,
        "provider": {
            "@type": "Organization",
            "name": settings.WAGTAIL_SITE_NAME,
            "url": request.build_absolute_uri("/"),
        },
        "offers": [
            {
                "@type": "Offer",
                "category": "Free" if page.price == 0 else "Paid",
                "price": _price(page.price),
                "priceCurrency": "EUR",
            }
        ],
        "hasCourseInstance": [],
    }
    if page.certificate:
        data["educationalCredentialAwarded"] = page.certificate
    if page.duration_hours:
        data["timeRequired"] = f"PT{page.duration_hours.normalize():f}H"
    if page.image_id:
        data["image"] = page.image.get_rendition("fill-1200x630").full_url
    instructors = [{"@type": "Person", "name": trainer.name} for trainer in trainers]
    data["hasCourseInstance"] = [
        course_instance(date, request, instructors) for date in dates if date.pk
    ]
    return data


def jsonld_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
