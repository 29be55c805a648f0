import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from courses.models import CourseDate
from tests.factories import CourseDateFactory, CoursePageFactory, TopicFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    return list(calendar.walk("VEVENT"))


def test_single_date_download(client, catalogue):
    course = CoursePageFactory(
        parent=catalogue, title="Social Media", teaser="Zeigen Sie Ihre Arbeit."
    )
    date = CourseDateFactory(
        course=course,
        start=datetime.datetime(2099, 7, 1, 9, tzinfo=BERLIN),
        end=datetime.datetime(2099, 7, 1, 16, tzinfo=BERLIN),
        venue_name="Qualifizierungszentrum",
        city="Riesa",
    )
    response = client.get(f"{course.url}termin/{date.pk}/kalender/")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.ics"')
    calendar = parse(response)

    timezones = list(calendar.walk("VTIMEZONE"))
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Berlin"]
    (event,) = events(calendar)
    assert str(event["SUMMARY"]) == "Social Media"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == datetime.datetime(2099, 7, 1, 9, tzinfo=BERLIN)
    assert event.decoded("DTEND").hour == 16
    assert "Riesa" in str(event["LOCATION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(course.url)
    uid = str(event["UID"])
    assert uid.startswith(f"termin-{date.pk}@")
    # stable: the same UID on the next download and in the feed
    again = events(parse(client.get(f"{course.url}termin/{date.pk}/kalender/")))[0]
    assert str(again["UID"]) == uid
    feed_uids = [str(e["UID"]) for e in events(parse(client.get("/kurse/kalender/")))]
    assert uid in feed_uids


def test_cancelled_date_is_marked_cancelled(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Design Thinking")
    date = CourseDateFactory(
        course=course,
        start=in_days(5),
        end=in_days(5, 16),
        status=CourseDate.Status.CANCELLED,
        cancellation_reason="Referentin erkrankt",
    )
    (event,) = events(parse(client.get(f"{course.url}termin/{date.pk}/kalender/")))
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Referentin erkrankt" in str(event["DESCRIPTION"])


def test_sessions_become_one_event_per_day(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="3D-Druck")
    date = CourseDateFactory(
        course=course,
        start=datetime.datetime(2099, 3, 2, 8, tzinfo=BERLIN),
        end=datetime.datetime(2099, 3, 3, 16, tzinfo=BERLIN),
        sessions=[
            (
                "session",
                {
                    "date": datetime.date(2099, 3, day),
                    "start_time": datetime.time(8),
                    "end_time": datetime.time(16),
                    "note": "",
                },
            )
            for day in (2, 3)
        ],
    )
    found = events(parse(client.get(f"{course.url}termin/{date.pk}/kalender/")))
    assert [e.decoded("DTSTART").day for e in found] == [2, 3]
    assert len({str(e["UID"]) for e in found}) == 2


def test_date_of_another_course_is_not_found(client, catalogue):
    first = CoursePageFactory(parent=catalogue)
    other = CourseDateFactory(course=CoursePageFactory(parent=catalogue))
    assert client.get(f"{first.url}termin/{other.pk}/kalender/").status_code == 404


def test_feed_lists_upcoming_dates_optionally_by_topic(client, catalogue):
    digital = TopicFactory(name="Digitalisierung", slug="digitalisierung")
    succession = TopicFactory(name="Betriebsnachfolge", slug="betriebsnachfolge")
    a = CoursePageFactory(parent=catalogue, title="Zeiterfassung", topics=[digital])
    b = CoursePageFactory(parent=catalogue, title="Nachfolge", topics=[succession])
    CourseDateFactory(course=a, start=in_days(3), end=in_days(3, 16))
    CourseDateFactory(course=b, start=in_days(4), end=in_days(4, 16))
    CourseDateFactory(course=b, start=in_days(-4), end=in_days(-4, 16))  # past
    draft = CoursePageFactory(parent=catalogue, title="Entwurf", live=False)
    CourseDateFactory(course=draft, start=in_days(5), end=in_days(5, 16))

    response = client.get("/kurse/kalender/")
    assert response["Content-Disposition"].startswith("inline")
    everything = events(parse(response))
    assert sorted(str(e["SUMMARY"]) for e in everything) == ["Nachfolge", "Zeiterfassung"]
    only = events(parse(client.get("/kurse/kalender/?thema=digitalisierung")))
    assert [str(e["SUMMARY"]) for e in only] == ["Zeiterfassung"]
    unknown = events(parse(client.get("/kurse/kalender/?thema=" + "x" * 500)))
    assert len(unknown) == 2


def test_catalogue_offers_its_feed_as_webcal_link_and_address_to_copy(client, catalogue):
    html = client.get("/kurse/", secure=True).content.decode()
    assert 'href="webcal://testserver/kurse/kalender/"' in html
    assert 'value="https://testserver/kurse/kalender/" readonly' in html
    assert client.get("/kurse/kalender/").status_code == 200


def test_download_name_spells_out_umlauts(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Fördermittel für Bäckereien & Größe")
    date = CourseDateFactory(
        course=course,
        start=datetime.datetime(2099, 7, 1, 9, tzinfo=BERLIN),
        end=datetime.datetime(2099, 7, 1, 16, tzinfo=BERLIN),
    )
    response = client.get(f"{course.url}termin/{date.pk}/kalender/")
    assert response["Content-Disposition"] == (
        'attachment; filename="foerdermittel-fuer-baeckereien-groesse-2099-07-01.ics"'
    )


def test_feed_carries_address_geo_url_and_keeps_cancelled_dates(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Aufmaß mit dem Tablet")
    here = CourseDateFactory(
        course=course,
        start=in_days(12, 9),
        end=in_days(12, 16),
        venue_name="Qualifizierungszentrum Riesa",
        venue_address="Rostocker Straße 1, 01587 Riesa",
        city="Riesa",
        latitude="51.306412",
        longitude="13.293310",
    )
    cancelled = CourseDateFactory(course=course, start=in_days(22, 9), end=in_days(22, 16))
    CourseDate.objects.filter(pk=cancelled.pk).update(
        status=CourseDate.Status.CANCELLED, cancellation_reason="Zu wenige Anmeldungen"
    )
    online = CourseDateFactory(
        course=course, start=in_days(30, 17), end=in_days(30, 19), is_online=True
    )

    found = {str(e["UID"]).split("@")[0]: e for e in events(parse(client.get("/kurse/kalender/")))}

    event = found[f"termin-{here.pk}"]
    assert str(event["LOCATION"]) == "Qualifizierungszentrum Riesa, Rostocker Straße 1, 01587 Riesa"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (51.306412, 13.29331)
    assert str(event["URL"]) == course.get_full_url()
    assert str(event["STATUS"]) == "CONFIRMED"
    gone = found[f"termin-{cancelled.pk}"]  # still there, so subscribed calendars strike it
    assert str(gone["STATUS"]) == "CANCELLED"
    assert "Zu wenige Anmeldungen" in str(gone["DESCRIPTION"])
    assert str(found[f"termin-{online.pk}"]["LOCATION"]) == "Online"
    assert "GEO" not in found[f"termin-{online.pk}"]


def test_every_calendar_of_the_site_uses_the_same_uids(client, catalogue):
    """Catalogue feed, the .ics download, the confirmation mail's attachment and the
    learner's personal feed name a date (and each of its days) alike."""
    import base64

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from enrolment import services
    from enrolment.models import OutgoingMail
    from learning.models import LearnerCalendar
    from tests.enrolment.builders import person

    course = CoursePageFactory(parent=catalogue, title="Betriebsübergabe planen")
    first, second = in_days(15).date(), in_days(16).date()
    date = CourseDateFactory(
        course=course,
        start=in_days(15, 9),
        end=in_days(16, 13),
        sessions=[
            ("session", {"date": first, "start_time": "09:00", "end_time": "16:00"}),
            ("session", {"date": second, "start_time": "09:00", "end_time": "13:00"}),
        ],
    )
    outcome = services.request_enrolment(date.pk, person(1))
    services.confirm(outcome.enrolment.pk)
    user = get_user_model().objects.get(username="person1@example.org")
    secret = LearnerCalendar.objects.create(user=user).secret

    def uids(calendar):
        return sorted(str(e["UID"]) for e in events(calendar))

    download = uids(parse(client.get(f"{course.url}termin/{date.pk}/kalender/")))
    feed = [
        uid
        for uid in uids(parse(client.get("/kurse/kalender/")))
        if uid.startswith(f"termin-{date.pk}-")
    ]
    personal = uids(parse(client.get(reverse("learner:calendar", args=[secret]))))
    mail = OutgoingMail.objects.filter(kind="confirmed").latest("pk")
    attachment = Calendar.from_ical(base64.b64decode(mail.attachments[0]["content"]))

    assert len(download) == 2
    assert download[0].startswith(f"termin-{date.pk}-1@")
    assert download == feed == personal == uids(attachment)
