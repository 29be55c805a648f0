from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from courses.models import CourseDate
from enrolment.models import Enrolment, OutgoingMail
from tests.enrolment.builders import confirmed, course_date

pytestmark = pytest.mark.django_db


def test_send_reminders_command_sends_each_reminder_once():
    date = course_date(days=2)
    confirmed(date, 1)
    mail.outbox.clear()
    out = StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    assert OutgoingMail.objects.filter(kind="reminder").count() == 1
    assert Enrolment.objects.get().reminder_sent_at is not None


def test_anonymise_keeps_counts_and_removes_personal_data():
    date = course_date(capacity=3)
    for n in range(3):
        confirmed(date, n)
    recent = course_date()
    keep = confirmed(recent, 9)
    past = timezone.now() - timedelta(days=400)
    CourseDate.objects.filter(pk=date.pk).update(start=past, end=past + timedelta(hours=5))

    call_command("anonymise_enrolments", stdout=StringIO())
    call_command("anonymise_enrolments", stdout=StringIO())  # idempotent

    old = Enrolment.objects.filter(course_date=date)
    assert old.count() == 3
    assert old.filter(status="confirmed").count() == 3
    date.refresh_from_db()
    assert date.seats_confirmed == 3
    for enrolment in old:
        assert enrolment.anonymised_at is not None
        assert enrolment.first_name == enrolment.last_name == enrolment.email == ""
        assert enrolment.phone == enrolment.company == ""
        assert len(enrolment.postcode) == 2
    assert not OutgoingMail.objects.filter(enrolment__course_date=date).exists()
    keep.refresh_from_db()
    assert keep.email == "person9@example.org" and keep.anonymised_at is None


def test_anonymise_respects_the_days_option():
    date = course_date()
    confirmed(date, 1)
    past = timezone.now() - timedelta(days=40)
    CourseDate.objects.filter(pk=date.pk).update(start=past, end=past + timedelta(hours=5))
    call_command("anonymise_enrolments", stdout=StringIO())
    assert Enrolment.objects.get().anonymised_at is None
    call_command("anonymise_enrolments", "--days", "30", stdout=StringIO())
    assert Enrolment.objects.get().anonymised_at is not None


def test_expired_pending_enrolments_are_marked():
    from enrolment import services
    from tests.enrolment.builders import person

    date = course_date()
    enrolment = services.request_enrolment(date.pk, person(1)).enrolment
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=timezone.now() - timedelta(days=3))
    call_command("anonymise_enrolments", stdout=StringIO())
    enrolment.refresh_from_db()
    assert enrolment.status == "expired"
