from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from courses.models import CourseDate
from enrolment import services
from enrolment.models import Enrolment, OutgoingMail
from tests.enrolment.builders import confirmed, course_date, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service and run its after-commit work (the mail tasks)."""

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


def test_request_creates_pending_enrolment_and_confirmation_mail(run):
    date = course_date()
    outcome = run(services.request_enrolment, date.pk, person(email="Erika@Example.ORG"))
    enrolment = outcome.enrolment
    assert outcome.result == "created"
    assert enrolment.status == Enrolment.Status.PENDING
    assert enrolment.email == "erika@example.org"
    assert enrolment.privacy_version
    date.refresh_from_db()
    assert date.seats_confirmed == 0  # a form alone takes no seat
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erika@example.org"]
    assert "bestätigen" in message.subject
    assert "https://akademie.example.org/anmeldung/bestaetigen/" in message.body
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


def test_confirm_takes_a_seat_and_mails_ics(run):
    date = course_date(capacity=2)
    enrolment = run(services.request_enrolment, date.pk, person(1)).enrolment
    mail.outbox.clear()
    outcome = run(services.confirm, enrolment.pk)
    assert outcome.result == "confirmed"
    date.refresh_from_db()
    assert date.seats_confirmed == 1
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.email_confirmed_at and enrolment.seat_confirmed_at
    (message,) = mail.outbox
    assert "Sie sind angemeldet" in message.body
    assert "Laptop oder Tablet" in message.body
    assert "/anmeldung/abmelden/" in message.body
    assert message.attachments[0][0] == "termin.ics"
    content = message.attachments[0][1]
    assert "BEGIN:VEVENT" in (content.decode() if isinstance(content, bytes) else content)
    assert message.alternatives[0][1] == "text/html"


def test_confirm_twice_is_harmless(run):
    date = course_date(capacity=2)
    enrolment = run(services.request_enrolment, date.pk, person(1)).enrolment
    run(services.confirm, enrolment.pk)
    mail.outbox.clear()
    assert run(services.confirm, enrolment.pk).result == "already"
    date.refresh_from_db()
    assert date.seats_confirmed == 1
    assert mail.outbox == []


def test_full_date_puts_people_on_the_waitlist_in_order(run):
    date = course_date(capacity=1)
    confirmed(date, 1)
    second = confirmed(date, 2)
    third = confirmed(date, 3)
    assert (second.status, second.waitlist_position) == ("waitlisted", 1)
    assert (third.status, third.waitlist_position) == ("waitlisted", 2)
    date.refresh_from_db()
    assert date.seats_confirmed == 1


def test_waitlist_mail_names_the_position(run):
    date = course_date(capacity=1)
    confirmed(date, 1)
    enrolment = run(services.request_enrolment, date.pk, person(2)).enrolment
    mail.outbox.clear()
    run(services.confirm, enrolment.pk)
    assert "Sie stehen auf Platz 1 der Warteliste" in mail.outbox[0].body


def test_expired_pending_enrolment_cannot_be_confirmed(run):
    date = course_date()
    enrolment = run(services.request_enrolment, date.pk, person(1)).enrolment
    later = timezone.now() + timedelta(hours=49)
    assert run(services.confirm, enrolment.pk, now=later).result == "expired"
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.EXPIRED
    date.refresh_from_db()
    assert date.seats_confirmed == 0


def test_expired_enrolment_does_not_block_a_new_one(run):
    date = course_date()
    run(services.request_enrolment, date.pk, person(1))
    later = timezone.now() + timedelta(hours=49)
    outcome = run(services.request_enrolment, date.pk, person(1), now=later)
    assert outcome.result == "created"
    assert Enrolment.objects.filter(status="expired").count() == 1


def test_second_submission_creates_nothing_and_mails_the_address(run):
    date = course_date()
    first = confirmed(date, 1)
    mail.outbox.clear()
    outcome = run(services.request_enrolment, date.pk, person(1, email="PERSON1@example.org"))
    assert outcome.result == "duplicate"
    assert outcome.enrolment == first
    assert Enrolment.objects.count() == 1
    (message,) = mail.outbox
    assert message.to == ["person1@example.org"]
    assert "schon eine Anmeldung" in message.body


def test_database_refuses_two_active_enrolments_for_one_address(run):
    date = course_date()
    confirmed(date, 1)
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(
            course_date=date, privacy_version="1", **person(1, email="Person1@EXAMPLE.org")
        )


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"status": "cancelled", "cancellation_reason": "Krank"}, "abgesagt"),
        ({"registration_deadline": timezone.now() - timedelta(hours=1)}, "Anmeldeschluss"),
    ],
)
def test_closed_dates_refuse_enrolment(fields, message):
    date = course_date(**fields)
    with pytest.raises(services.EnrolmentError) as error:
        services.request_enrolment(date.pk, person(1))
    assert message in str(error.value.message)
    assert not Enrolment.objects.exists()


def test_started_date_refuses_enrolment():
    date = course_date(days=-1)
    with pytest.raises(services.EnrolmentError, match="begonnen"):
        services.request_enrolment(date.pk, person(1))


def test_cancel_frees_the_seat_and_promotes_waitlist_one(run):
    date = course_date(capacity=1)
    first = confirmed(date, 1)
    second = confirmed(date, 2)
    third = confirmed(date, 3)
    mail.outbox.clear()
    assert run(services.cancel, first.pk).result == "cancelled"
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert first.status == "cancelled" and first.cancelled_by == "participant"
    assert second.status == "confirmed" and second.waitlist_position is None
    assert (third.status, third.waitlist_position) == ("waitlisted", 1)
    date.refresh_from_db()
    assert date.seats_confirmed == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["person1@example.org", "person2@example.org"]
    promoted = next(m for m in mail.outbox if m.to == ["person2@example.org"])
    assert "nachgerückt" in promoted.body


def test_cancel_twice_is_harmless(run):
    date = course_date(capacity=1)
    first = confirmed(date, 1)
    run(services.cancel, first.pk)
    mail.outbox.clear()
    assert run(services.cancel, first.pk).result == "already"
    date.refresh_from_db()
    assert date.seats_confirmed == 0
    assert mail.outbox == []


def test_cancelling_a_waitlisted_person_closes_the_gap():
    date = course_date(capacity=1)
    confirmed(date, 1)
    second = confirmed(date, 2)
    third = confirmed(date, 3)
    services.cancel(second.pk)
    third.refresh_from_db()
    assert third.waitlist_position == 1
    date.refresh_from_db()
    assert date.seats_confirmed == 1


def test_raised_capacity_promotes_in_order(run):
    date = course_date(capacity=1)
    confirmed(date, 1)
    waiting = [confirmed(date, n) for n in (2, 3, 4)]
    CourseDate.objects.filter(pk=date.pk).update(capacity=3)
    mail.outbox.clear()
    promoted = run(services.fill_free_seats, date.pk)
    assert [e.pk for e in promoted] == [waiting[0].pk, waiting[1].pk]
    last = Enrolment.objects.get(pk=waiting[2].pk)
    assert (last.status, last.waitlist_position) == ("waitlisted", 1)
    date.refresh_from_db()
    assert date.seats_confirmed == 3 == date.enrolments.filter(status="confirmed").count()
    assert len(mail.outbox) == 2
    # idempotent
    mail.outbox.clear()
    assert run(services.fill_free_seats, date.pk) == []
    assert mail.outbox == []


def test_an_editor_raising_capacity_moves_the_waitlist_up(run):
    """The date editor saves the date (its copy of the counter is stale): the counter
    stays as the services keep it, and the first person waiting moves up."""
    date = course_date(capacity=1)
    stale = CourseDate.objects.get(pk=date.pk)  # read before anyone booked
    confirmed(date, 1)
    waiting = confirmed(date, 2)
    stale.capacity = 2
    run(stale.save)
    date.refresh_from_db()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert date.seats_confirmed == 2 == date.enrolments.filter(status="confirmed").count()


def test_cancelled_date_informs_everyone_once(run):
    date = course_date(capacity=1)
    confirmed(date, 1)
    confirmed(date, 2)
    services.request_enrolment(date.pk, person(3))
    mail.outbox.clear()
    run(services.cancel_course_date, date.pk, "Krankheit")
    assert sorted(m.to[0] for m in mail.outbox) == ["person1@example.org", "person2@example.org"]
    assert all("Krankheit" in m.body for m in mail.outbox)
    assert not Enrolment.objects.active().exists()
    date.refresh_from_db()
    assert date.seats_confirmed == 0
    mail.outbox.clear()
    assert run(services.cancel_course_date, date.pk, "Krankheit") == []
    assert mail.outbox == []


def test_staff_enrolment_follows_the_seat_rules(run):
    date = course_date(capacity=1)
    first = run(services.staff_enrol, date.pk, person(1)).enrolment
    second = run(services.staff_enrol, date.pk, person(2)).enrolment
    assert first.status == "confirmed" and first.source == "staff"
    assert (second.status, second.waitlist_position) == ("waitlisted", 1)
    with pytest.raises(services.EnrolmentError):
        services.staff_enrol(date.pk, person(1))
    date.refresh_from_db()
    assert date.seats_confirmed == 1


def test_staff_can_move_someone_from_the_waitlist_only_onto_a_free_seat():
    date = course_date(capacity=1)
    confirmed(date, 1)
    second = confirmed(date, 2)
    with pytest.raises(services.EnrolmentError, match="ausgebucht"):
        services.promote_waiting(second.pk)
    CourseDate.objects.filter(pk=date.pk).update(capacity=2)
    assert services.promote_waiting(second.pk).result == "confirmed"
    date.refresh_from_db()
    assert date.seats_confirmed == 2


def test_staff_confirm_of_a_pending_enrolment():
    date = course_date(capacity=1)
    enrolment = services.request_enrolment(date.pk, person(1)).enrolment
    assert services.staff_confirm(enrolment.pk).result == "confirmed"
    date.refresh_from_db()
    assert date.seats_confirmed == 1


def test_editor_save_cannot_overwrite_the_seat_counter():
    date = course_date(capacity=5)
    stale = CourseDate.objects.get(pk=date.pk)
    confirmed(date, 1)
    confirmed(date, 2)
    stale.capacity = 6
    stale.save()  # carries seats_confirmed=0 from before
    date.refresh_from_db()
    assert (date.capacity, date.seats_confirmed) == (6, 2)


def test_reminders_go_out_once(run):
    date = course_date(days=2)
    confirmed(date, 1)
    services.request_enrolment(date.pk, person(2))  # pending: no reminder
    far = course_date(days=10)  # too far ahead
    confirmed(far, 3)
    mail.outbox.clear()
    assert run(services.send_reminders) == 1
    assert run(services.send_reminders) == 0
    (message,) = mail.outbox
    assert message.to == ["person1@example.org"]
    assert "Erinnerung" in message.subject


def test_mail_with_script_in_names_stays_inert(run):
    date = course_date()
    run(
        services.request_enrolment,
        date.pk,
        person(1, first_name="<script>alert(1)</script>", last_name="Müller\r\nBcc: x@y"),
    )
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "\n" not in message.subject


def test_publishing_an_old_revision_keeps_the_seat_counter():
    date = course_date(capacity=5)
    page = date.course.specific
    old_revision = page.save_revision()  # carries seats_confirmed=0
    confirmed(date, 1)
    confirmed(date, 2)
    old_revision.publish()
    date.refresh_from_db()
    assert date.seats_confirmed == 2 == date.enrolments.filter(status="confirmed").count()
