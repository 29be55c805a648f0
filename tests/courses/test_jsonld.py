import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from courses.models import CourseDate
from tests.factories import CourseDateFactory, CoursePageFactory, TrainerFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def jsonld(html: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    courses = [d for d in map(json.loads, scripts) if d.get("@type") == "Course"]
    assert len(courses) == 1
    return courses[0]


def test_course_and_instances(client, catalogue):
    course = CoursePageFactory(
        parent=catalogue, title="Unternehmenswert ermitteln", price=Decimal("149")
    )
    course.trainers.set([TrainerFactory(name="Dr. Katrin Albrecht")])
    course.save()
    date = CourseDateFactory(course=course, start=in_days(9), end=in_days(9, 17), city="Riesa")
    CourseDateFactory(
        course=course,
        start=in_days(19),
        end=in_days(19, 17),
        is_online=True,
        status=CourseDate.Status.CANCELLED,
        cancellation_reason="krank",
    )

    data = jsonld(client.get(course.url).content.decode())

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Course"
    assert data["name"] == "Unternehmenswert ermitteln"
    assert data["description"]
    assert data["provider"]["@type"] == "Organization" and data["provider"]["name"]
    assert data["offers"][0]["price"] == "149.00"
    first, second = data["hasCourseInstance"]
    assert first["@type"] == "CourseInstance"
    assert first["courseMode"] == "Onsite"
    assert first["startDate"] == date.start.isoformat()
    assert first["location"]["address"]["addressLocality"] == "Riesa"
    assert first["instructor"] == [{"@type": "Person", "name": "Dr. Katrin Albrecht"}]
    assert first["offers"][0]["url"].endswith(f"/anmeldung/termin/{date.pk}/")
    assert second["courseMode"] == "Online"
    assert second["eventStatus"] == "https://schema.org/EventCancelled"


def test_titles_cannot_break_out_of_the_script(client, catalogue):
    title = '</script><script>alert("x")</script> & Co'
    course = CoursePageFactory(parent=catalogue, title=title, teaser="<b>fett</b>")
    html = client.get(course.url).content.decode()
    assert '<script>alert("x")' not in html
    assert jsonld(html)["name"] == title


def test_opengraph_tags_describe_the_course(client, catalogue):
    from home.images import get_or_create_image

    course = CoursePageFactory(
        parent=catalogue,
        title="3D-Druck",
        teaser="Ersatzteile drucken.",
        image=get_or_create_image("3D-Drucker"),
        image_alt="Ein 3D-Drucker in der Werkstatt",
    )
    html = client.get(course.url).content.decode()
    assert '<meta property="og:title" content="3D-Druck">' in html
    assert '<meta property="og:description" content="Ersatzteile drucken.">' in html
    assert re.search(r'<meta property="og:image" content="http[^"]+\.(png|webp|jpg)">', html)
    assert '<meta property="og:image:alt" content="Ein 3D-Drucker in der Werkstatt">' in html
    assert html.count('property="og:title"') == 1


# What Google asks of a Course and its CourseInstances (Course info rich results).
COURSE_REQUIRED = ("name", "description", "provider", "offers", "hasCourseInstance")
INSTANCE_REQUIRED = ("courseMode", "location")


def instances(data) -> dict[str, dict]:
    for key in COURSE_REQUIRED:
        assert data[key], key
    found = {}
    for instance in data["hasCourseInstance"]:
        assert instance["@type"] == "CourseInstance"
        for key in INSTANCE_REQUIRED:
            assert instance[key], key
        assert "courseSchedule" in instance or "courseWorkload" in instance
        found[instance["offers"][0]["url"].rstrip("/").rsplit("/", 1)[1]] = instance
    return found


def test_instances_carry_schedule_workload_place_and_every_price(client, catalogue):
    import datetime

    from django.utils import timezone

    course = CoursePageFactory(
        parent=catalogue,
        title="Betriebsnachfolge",
        teaching_units=8,
        price=Decimal("240"),
        member_price=Decimal("200"),
        early_price=Decimal("210"),
        early_price_until=timezone.localdate() + datetime.timedelta(days=5),
    )
    first, second = in_days(9).date(), in_days(10).date()
    date = CourseDateFactory(
        course=course,
        start=in_days(9, 9),
        end=in_days(10, 13),
        venue_name="Handwerkskammer",
        venue_address="Dresdner Straße 77, 01662 Meißen",
        city="Meißen",
        latitude="51.163300",
        longitude="13.473100",
        sessions=[
            ("session", {"date": first, "start_time": "09:00", "end_time": "16:00"}),
            ("session", {"date": second, "start_time": "09:00", "end_time": "13:00"}),
        ],
    )
    online = CourseDateFactory(
        course=course, start=in_days(20, 17), end=in_days(20, 19), is_online=True
    )
    course.save_revision().publish()

    data = jsonld(client.get(course.url).content.decode())
    found = instances(data)

    instance = found[str(date.pk)]
    assert instance["courseWorkload"] == "PT6H"  # 8 × 45 minutes
    schedule = instance["courseSchedule"]
    assert schedule["@type"] == "Schedule" and schedule["repeatCount"] == 2
    assert schedule["repeatFrequency"] == "P1D"
    assert [event["startDate"][:16] for event in instance["subEvent"]] == [
        f"{first}T09:00",
        f"{second}T09:00",
    ]
    address = instance["location"]["address"]
    assert address == {
        "@type": "PostalAddress",
        "addressCountry": "DE",
        "streetAddress": "Dresdner Straße 77",
        "postalCode": "01662",
        "addressLocality": "Meißen",
    }
    assert instance["location"]["geo"]["latitude"] == 51.1633
    offers = {offer["name"]: offer for offer in instance["offers"]}
    assert offers["Preis"]["price"] == "240.00" and offers["Preis"]["priceCurrency"] == "EUR"
    assert offers["Mitgliedspreis"]["price"] == "200.00"
    assert offers["Frühbucherpreis"]["priceValidUntil"] == course.early_price_until.isoformat()
    assert offers["Preis"]["availability"] == "https://schema.org/InStock"
    assert offers["Preis"]["validThrough"] == date.start.astimezone(BERLIN).isoformat()
    assert offers["Preis"]["validFrom"][:10] == timezone.localdate().isoformat()
    assert instance["remainingAttendeeCapacity"] == 12
    virtual = found[str(online.pk)]
    assert virtual["location"]["@type"] == "VirtualLocation"
    assert virtual["courseMode"] == "Online"


def test_availability_follows_the_seats_at_once(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Angebote kalkulieren")
    date = CourseDateFactory(course=course, capacity=10)

    first = instances(jsonld(client.get(course.url).content.decode()))[str(date.pk)]
    assert first["offers"][0]["availability"] == "https://schema.org/InStock"
    assert first["remainingAttendeeCapacity"] == 10

    # seats are taken (as enrolment.services does it): the cached data must not lag
    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=8)
    few = instances(jsonld(client.get(course.url).content.decode()))[str(date.pk)]
    assert few["offers"][0]["availability"] == "https://schema.org/LimitedAvailability"
    assert few["remainingAttendeeCapacity"] == 2

    CourseDate.objects.filter(pk=date.pk).update(seats_confirmed=10)
    full = instances(jsonld(client.get(course.url).content.decode()))[str(date.pk)]
    assert full["offers"][0]["availability"] == "https://schema.org/SoldOut"
    assert full["remainingAttendeeCapacity"] == 0

    CourseDate.objects.filter(pk=date.pk).update(
        status=CourseDate.Status.CANCELLED, cancellation_reason="krank"
    )
    cancelled = instances(jsonld(client.get(course.url).content.decode()))[str(date.pk)]
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert cancelled["offers"][0]["availability"] == "https://schema.org/SoldOut"


def test_catalogue_lists_its_courses(client, catalogue):
    courses = [CoursePageFactory(parent=catalogue, title=f"Kurs {n}") for n in range(3)]
    for course in courses:
        CourseDateFactory(course=course)

    html = client.get(catalogue.url).content.decode()

    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    lists = [d for d in map(json.loads, scripts) if d.get("@type") == "ItemList"]
    assert len(lists) == 1
    items = lists[0]["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3]
    assert {item["url"] for item in items} == {course.get_full_url() for course in courses}
    assert all(item["@type"] == "ListItem" for item in items)
