"""schema.org data for search engines: a ``Course`` with one ``CourseInstance`` per
upcoming date on the course page, an ``ItemList`` of the courses on the catalogue.

Seats are live data. The course page renders this inside a fragment whose key holds
each date's status, capacity, seats taken and whether it is open, and the day
(``dates_state`` in ``CoursePage.get_context``): a seat taken or given back makes a
new key, so availability and remaining capacity are never older than the page. The
catalogue's list names only the courses' addresses, nothing that changes with seats.
"""

import json
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from .pricing import date_prices

# The same escapes as Django's json_script: nothing in a title can end the script.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

COURSE_MODES = {"presence": "Onsite", "online": "Online", "hybrid": "Blended"}
SCHEMA = "https://schema.org/"
#: free seats at or below this count as "limited availability"
FEW_SEATS = 3


def _price(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def _iso(value) -> str:
    return timezone.localtime(value).isoformat()


def iso_duration(minutes: int) -> str:
    """ISO 8601 duration: 360 → "PT6H", 390 → "PT6H30M"."""
    hours, rest = divmod(int(minutes), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def workload_minutes(course) -> int | None:
    """The learning time: the hours if given, else the teaching units à 45 minutes."""
    if course.duration_hours:
        return int(Decimal(course.duration_hours) * 60)
    if course.teaching_units:
        return course.teaching_units * 45
    return None


def _place(date, course_url: str) -> dict:
    if date.is_online:
        return {"@type": "VirtualLocation", "name": "Online", "url": course_url}
    street, postcode, city = date.address_parts()
    place = {"@type": "Place", "name": date.venue_name or city or date.city}
    address = {"@type": "PostalAddress", "addressCountry": "DE"}
    if street:
        address["streetAddress"] = street
    if postcode:
        address["postalCode"] = postcode
    if city:
        address["addressLocality"] = city
    place["address"] = address
    if date.latitude is not None and date.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(date.latitude),
            "longitude": float(date.longitude),
        }
    return place


def availability(date) -> str:
    if not date.is_open_for_enrolment or date.free_seats <= 0:
        return SCHEMA + "SoldOut"
    if date.free_seats <= FEW_SEATS:
        return SCHEMA + "LimitedAvailability"
    return SCHEMA + "InStock"


def date_offers(date, enrol_url: str) -> list[dict]:
    """The regular price, and the member and early-booking prices where the date has them."""
    prices = date_prices(date)
    base = {
        "@type": "Offer",
        "priceCurrency": "EUR",
        "availability": availability(date),
        "url": enrol_url,
        "category": "Free" if not prices.regular else "Paid",
    }
    if date.course.first_published_at:  # on offer since the course was first published
        base["validFrom"] = _iso(date.course.first_published_at)
    if date.registration_deadline:
        base["validThrough"] = _iso(date.registration_deadline)
    else:
        base["validThrough"] = _iso(date.start)
    offers = [{**base, "name": "Preis", "price": _price(prices.regular)}]
    if prices.regular and prices.member is not None:
        offers.append(
            {
                **base,
                "name": "Mitgliedspreis",
                "description": "Für Betriebe, die Mitglied einer Innung sind.",
                "price": _price(prices.member),
            }
        )
    early_open = prices.early_until is not None and prices.early_until >= timezone.localdate()
    if prices.regular and prices.early is not None and early_open:
        offers.append(
            {
                **base,
                "name": "Frühbucherpreis",
                "price": _price(prices.early),
                "priceValidUntil": prices.early_until.isoformat(),
            }
        )
    return offers


def _schedule(date) -> tuple[dict, list[dict]]:
    """The schedule of a date, and one sub-event per course day for dates over several."""
    spans = date.session_spans()
    first, last = spans[0], spans[-1]
    schedule = {
        "@type": "Schedule",
        "startDate": first[0].date().isoformat(),
        "endDate": last[1].date().isoformat(),
        "startTime": first[0].strftime("%H:%M"),
        "endTime": first[1].strftime("%H:%M"),
        "repeatCount": len(spans),
        "scheduleTimezone": "Europe/Berlin",
    }
    days = [start.date() for start, _end, _note in spans]
    if len(spans) > 1 and all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False)):
        schedule["repeatFrequency"] = "P1D"
    sub_events = []
    if len(spans) > 1:
        sub_events = [
            {
                "@type": "Event",
                "name": f"{date.course.title} – {note or f'Tag {number}'}",
                "startDate": start.isoformat(),
                "endDate": end.isoformat(),
            }
            for number, (start, end, note) in enumerate(spans, start=1)
        ]
    return schedule, sub_events


def course_instance(date, request, instructors: list[dict], course_url: str = "") -> dict:
    course = date.course
    enrol_url = request.build_absolute_uri(reverse("enrolment:enrol", args=[date.pk]))
    schedule, sub_events = _schedule(date)
    instance = {
        "@type": "CourseInstance",
        "name": course.title,
        "courseMode": "Online" if date.is_online else COURSE_MODES.get(course.format),
        "startDate": _iso(date.start),
        "endDate": _iso(date.end),
        "eventStatus": SCHEMA + ("EventCancelled" if date.is_cancelled else "EventScheduled"),
        "eventAttendanceMode": SCHEMA
        + (
            "OnlineEventAttendanceMode"
            if date.is_online
            else "MixedEventAttendanceMode"
            if course.format == "hybrid"
            else "OfflineEventAttendanceMode"
        ),
        "location": _place(date, course_url),
        "courseSchedule": schedule,
        "maximumAttendeeCapacity": date.capacity,
        "remainingAttendeeCapacity": 0 if date.is_cancelled else date.free_seats,
        "offers": date_offers(date, enrol_url),
        "inLanguage": "de",
    }
    minutes = workload_minutes(course)
    if minutes:
        instance["courseWorkload"] = iso_duration(minutes)
    if sub_events:
        instance["subEvent"] = sub_events
    if instructors:
        instance["instructor"] = instructors
    return instance


def provider(request) -> dict:
    return {
        "@type": "Organization",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": request.build_absolute_uri("/"),
    }


def course_data(page, dates, trainers, request) -> dict:
    url = page.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": url + "#kurs",
        "name": page.title,
        "description": page.get_meta_description(),
        "url": url,
        "inLanguage": "de",
        "isAccessibleForFree": page.price == 0,
        "provider": provider(request),
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
    if page.prerequisites:
        data["coursePrerequisites"] = page.prerequisites
    minutes = workload_minutes(page)
    if minutes:
        data["timeRequired"] = iso_duration(minutes)
    if page.image_id:
        data["image"] = page.image.get_rendition("fill-1200x630").full_url
    instructors = [{"@type": "Person", "name": trainer.name} for trainer in trainers]
    data["hasCourseInstance"] = [
        course_instance(date, request, instructors, url) for date in dates if date.pk
    ]
    return data


def catalogue_data(courses, request, first_position: int = 1) -> dict:
    """The courses of one catalogue page as an ``ItemList`` (position and address)."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "url": course.get_full_url(request)}
            for position, course in enumerate(courses, start=first_position)
        ],
    }


def jsonld_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
