"""An iCalendar file for one course date (attached to the seat confirmation)."""

from django.utils import timezone
from icalendar import Calendar, Event


def course_date_ics(course_date, url: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Innovationsakademie Handwerk//Anmeldung//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"termin-{course_date.pk}@innovationsakademie-handwerk")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", course_date.start)
    event.add("dtend", course_date.end)
    event.add("summary", course_date.course.title)
    event.add("location", location_text(course_date))
    if url:
        event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()


def location_text(course_date) -> str:
    if course_date.is_online:
        return "Online"
    parts = [course_date.venue_name, course_date.venue_address]
    if course_date.city and course_date.city not in course_date.venue_address:
        parts.append(course_date.city)
    return ", ".join(p for p in parts if p)
