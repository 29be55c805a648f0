"""Small builders for enrolment tests: a published course page with dates."""

import itertools
from datetime import timedelta

from django.utils import timezone

from courses.models import CourseDate, CourseIndexPage, CoursePage, Topic
from enrolment import services
from enrolment.models import Enrolment
from tests.factories import build_site

_counter = itertools.count(1)

PERSON = {
    "salutation": "frau",
    "first_name": "Erika",
    "last_name": "Muster",
    "email": "erika@example.org",
    "phone": "03521 123456",
    "role": "master",
    "company": "Tischlerei Muster",
    "trade": "Tischler",
    "postcode": "01662",
    "remarks": "",
    "billing": "",
}


def person(n=None, **overrides):
    data = dict(PERSON)
    if n is not None:
        data["email"] = f"person{n}@example.org"
        data["last_name"] = "Muster-" + "".join(chr(97 + int(d)) for d in str(n))
    data.update(overrides)
    return data


def course_index():
    home = build_site()
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="Kurse", slug="kurse")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def course_page(**fields) -> CoursePage:
    index = course_index()
    n = next(_counter)
    topic, _ = Topic.objects.get_or_create(
        slug="digitalisierung", defaults={"name": "Digitalisierung"}
    )
    values = {
        "title": f"Digitale Werkstatt {n}",
        "slug": f"digitale-werkstatt-{n}",
        "teaser": "Ein Kurs über digitale Werkzeuge im Handwerk.",
        "what_to_bring": "Laptop oder Tablet",
        "contact_name": "Petra Beispiel",
        "contact_phone": "03521 4768-12",
        "contact_email": "kurse@example.org",
    }
    values.update(fields)
    page = CoursePage(**values)
    index.add_child(instance=page)
    page.topics.add(topic)
    page.save_revision().publish()
    return page


def course_date(course=None, *, capacity=10, days=14, **fields) -> CourseDate:
    course = course or course_page()
    start = timezone.now() + timedelta(days=days)
    values = {
        "start": start,
        "end": start + timedelta(hours=6),
        "venue_name": "Qualifizierungszentrum Riesa",
        "venue_address": "Pausitzer Straße 60",
        "city": "Riesa",
        "capacity": capacity,
    }
    values.update(fields)
    return CourseDate.objects.create(course=course, **values)


def confirmed(course_date, n) -> Enrolment:
    outcome = services.request_enrolment(course_date.pk, person(n))
    return services.confirm(outcome.enrolment.pk).enrolment
