import json
import re
from decimal import Decimal

import pytest

from courses.models import CourseDate
from tests.factories import CourseDateFactory, CoursePageFactory, TrainerFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db


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
    assert first["offers"]["url"].endswith(f"/anmeldung/termin/{date.pk}/")
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
