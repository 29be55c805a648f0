from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from enrolment import services
from enrolment.mail import deliver
from enrolment.models import Enrolment, OutgoingMail
from tests.enrolment.builders import course_date, person
from tests.enrolment.test_views import form_data

pytestmark = pytest.mark.django_db

DOWN = "tests.enrolment.failing_backend.DownBackend"
UP = "django.core.mail.backends.locmem.EmailBackend"


def test_mail_server_down_loses_nothing_and_sends_once_after_recovery(
    client, settings, django_capture_on_commit_callbacks
):
    date = course_date()
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enrolment:enrol", args=[date.pk]), form_data())
    assert response.status_code == 302  # the person gets the normal answer
    assert Enrolment.objects.filter(status="pending").count() == 1
    outgoing = OutgoingMail.objects.get()
    assert outgoing.status == OutgoingMail.Status.PENDING
    assert outgoing.attempts == 1
    assert "Mailserver nicht erreichbar" in outgoing.last_error
    assert outgoing.next_attempt_at > timezone.now()

    # Not due yet: nothing happens.
    call_command("send_pending_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OutgoingMail.objects.get().attempts == 1

    # Later, still down: back-off grows.
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    call_command("send_pending_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
    outgoing.refresh_from_db()
    assert outgoing.attempts == 2
    assert outgoing.next_attempt_at > timezone.now() + timedelta(seconds=90)

    # Recovery.
    settings.EMAIL_BACKEND = UP
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    call_command("send_pending_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_pending_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert "bestaetigen" in mail.outbox[0].body
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT and outgoing.sent_at


def test_seat_is_kept_when_mail_fails(settings, django_capture_on_commit_callbacks):
    date = course_date()
    enrolment = services.request_enrolment(date.pk, person(1)).enrolment
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirm(enrolment.pk).result == "confirmed"
    date.refresh_from_db()
    assert date.seats_confirmed == 1
    assert OutgoingMail.objects.filter(kind="confirmed", status="pending").count() == 1


def test_delivering_twice_sends_once(django_capture_on_commit_callbacks):
    date = course_date()
    services.request_enrolment(date.pk, person(1))  # callbacks not run: row waits
    outgoing = OutgoingMail.objects.get()
    assert deliver(outgoing.pk) is True
    assert deliver(outgoing.pk) is False
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts_and_staff_can_resend(settings):
    settings.EMAIL_BACKEND = DOWN
    settings.ENROLMENT_MAIL_MAX_ATTEMPTS = 2
    date = course_date()
    services.request_enrolment(date.pk, person(1))
    outgoing = OutgoingMail.objects.get()
    deliver(outgoing.pk)
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    deliver(outgoing.pk)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.FAILED
    assert deliver(outgoing.pk) is False  # not retried on its own

    from enrolment.mail import resend

    settings.EMAIL_BACKEND = UP
    resend(outgoing)
    assert deliver(outgoing.pk) is True
    assert len(mail.outbox) == 1


def test_every_mail_has_text_html_course_date_place_and_legal_links(
    django_capture_on_commit_callbacks,
):
    from wagtail.models import Site

    from tests.factories import StandardPageFactory, build_site_settings

    date = course_date(capacity=1)
    site = Site.objects.get(is_default_site=True)

    imprint = StandardPageFactory(parent=site.root_page, title="Impressum", slug="impressum")
    privacy = StandardPageFactory(parent=site.root_page, title="Datenschutz", slug="datenschutz")
    build_site_settings(site, imprint=imprint, privacy=privacy)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_enrolment(date.pk, person(1)).enrolment
        services.confirm(first.pk)
        second = services.request_enrolment(date.pk, person(2)).enrolment
        services.confirm(second.pk)
        services.cancel(first.pk)
    kinds = set(OutgoingMail.objects.values_list("kind", flat=True))
    assert kinds == {"confirm_request", "confirmed", "waitlisted", "cancelled", "promoted"}
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for text in (message.body, html):
            assert date.course.title in text
            assert "Riesa" in text
            assert "Impressum" in text and "/impressum/" in text
            assert "Datenschutz" in text and "/datenschutz/" in text
        if "Abmeldung" not in message.subject:
            assert "https://akademie.example.org/anmeldung/abmelden/" in message.body
    assert all(m.from_email for m in mail.outbox)
