"""iCalendar output, the one builder for every calendar the site hands out: one
date as a file (catalogue download, mail attachment), all upcoming dates as a
subscribable feed, and a learner's personal feed. A date has the same UIDs
everywhere (``termin-<id>[-<session>]@<host>``), so calendar apps never show it
twice, and a cancelled date comes as STATUS:CANCELLED under the same UIDs (the feeds
keep it until it has passed, so subscribed calendars strike it).

A date over several days becomes one VEVENT per course day rather than one event
with RDATEs: the days often have different hours, which RDATE can only say as
PERIOD values that Google Calendar and Outlook ignore, and one event per day shows
each day's times and note in every app. Each event carries the course's address
(LOCATION), the venue's coordinates where known (GEO) and the course's URL.
"""

import datetime
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from home.text import german_slug

from .models import CourseDate, Topic

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
PRODID = "-//Innovationsakademie Handwerk//Kurskatalog//DE"


def uid_domain() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    return calendar


def location_text(date: CourseDate) -> str:
    """ "Qualifizierungszentrum Riesa, Rostocker Straße 1, 01587 Riesa" (or "Online")."""
    if date.is_online:
        return _("Online")
    street, postcode, city = date.address_parts()
    place = " ".join(part for part in (postcode, city) if part)
    return ", ".join(p for p in (date.venue_name, street, place) if p)


def _local(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(BERLIN)


def events_for(date: CourseDate, course_url: str, stamp: datetime.datetime) -> list[Event]:
    """One VEVENT per date, or one per day when the date lists its sessions."""
    course = date.course
    description = [course.teaser, "", course_url]
    if date.is_cancelled:
        description = [_("Abgesagt: %(reason)s") % {"reason": date.cancellation_reason}, ""] + (
            description
        )
    spans = [(_local(start), _local(end), note) for start, end, note in date.session_spans()]
    events = []
    for number, (start, end, note) in enumerate(spans, start=1):
        event = Event()
        suffix = f"-{number}" if len(spans) > 1 else ""
        event.add("uid", f"termin-{date.pk}{suffix}@{uid_domain()}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        summary = course.title
        if len(spans) > 1:
            summary = f"{course.title} ({number}/{len(spans)})"
        if date.is_cancelled:
            summary = _("Abgesagt: %(title)s") % {"title": summary}
        event.add("summary", summary)
        event.add("description", "\n".join(([note, ""] if note else []) + description).strip())
        event.add("location", location_text(date))
        if date.latitude is not None and date.longitude is not None and not date.is_online:
            event.add("geo", (float(date.latitude), float(date.longitude)))
        event.add("url", course_url)
        event.add("status", "CANCELLED" if date.is_cancelled else "CONFIRMED")
        event.add("sequence", 1 if date.is_cancelled else 0)
        events.append(event)
    return events


def build_calendar(dates, name: str, url_for) -> Calendar:
    calendar = _calendar(name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    first = last = None
    for date in dates:
        for event in events_for(date, url_for(date.course), stamp):
            calendar.add_component(event)
        first = min(first or date.start, date.start)
        last = max(last or date.end, date.end)
    if first is not None:
        calendar.add_missing_timezones(
            first_date=datetime.date(first.year - 1, 1, 1),
            last_date=datetime.date(last.year + 2, 1, 1),
        )
    return calendar


def _response(calendar: Calendar, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def date_ics(date: CourseDate, course_url: str) -> bytes:
    """One date as an .ics file's content (also attached to mails)."""
    return build_calendar([date], date.course.title, lambda course: course_url).to_ical()


def course_date_response(date: CourseDate, request) -> HttpResponse:
    course_url = date.course.get_full_url(request)
    calendar = build_calendar([date], date.course.title, lambda course: course_url)
    local = timezone.localtime(date.start)
    filename = f"{german_slug(date.course.title, 60, 'kurs')}-{local:%Y-%m-%d}.ics"
    return _response(calendar, filename, attachment=True)


def calendar_feed_response(index_page, request) -> HttpResponse:
    dates = (
        CourseDate.objects.upcoming()
        .filter(course__in=index_page.courses())
        .select_related("course")
        .order_by("start", "pk")
    )
    name = _("Kurstermine – Innovationsakademie Handwerk")
    slug = request.GET.get("thema", "")[:80]
    topic = Topic.objects.filter(slug=slug).first() if slug else None
    if topic is not None:
        dates = dates.filter(course__topics=topic)
        name = f"{name} ({topic.name})"
    urls = {}

    def url_for(course):
        if course.pk not in urls:
            urls[course.pk] = course.get_full_url(request)
        return urls[course.pk]

    calendar = build_calendar(list(dates), name, url_for)
    return _response(calendar, "kurstermine.ics", attachment=False)
