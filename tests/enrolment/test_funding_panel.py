"""Staff see what a booked date costs the person, with the funding programmes applied."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.funding_data import SAXONY, ensure_programme
from courses.models import CoursePage
from tests.enrolment.builders import confirmed, course_date
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_enrolment_inspect_view_shows_the_calculation(client):
    staff = UserFactory(username="redakteurin")
    staff.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(staff)
    ensure_programme(SAXONY)
    date = course_date()
    CoursePage.objects.filter(pk=date.course_id).update(price=Decimal("290"))
    enrolment = confirmed(date, 1)

    html = client.get(reverse("enrolment_admin:inspect", args=[enrolment.pk])).content.decode()

    assert "Was kostet es die Person? (Förderrechner)" in html
    assert "Ihr Anteil: 290,00 €" in html
    assert "Weiterbildungsförderung Sachsen (SAB): derzeit ausgesetzt." in html
    assert "Keine Rechtsberatung" in html
