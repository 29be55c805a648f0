"""The booking core's rules, each along every path that could break it: seats held,
attendance only for sessions that happened, no promotion into a started date,
certificates that stay true, and booking state outside page revisions."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from courses import import_dates
from courses.models import CourseDate
from enrolment import services
from enrolment.models import PERSONAL_FIELDS, Enrolment
from learning import attendance, certificates, learner
from learning.models import Certificate, LessonProgress
from tests.enrolment.builders import confirmed, course_date, course_page, person
from tests.factories import build_material

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


def assert_seats(date):
    """The invariant: seats held == holding enrolments <= capacity; waitlist gap-free."""
    date.refresh_from_db()
    held = date.enrolments.holding_seats().count()
    assert date.seats_confirmed == held <= date.capacity
    positions = list(
        date.enrolments.filter(status="waitlisted")
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, len(positions) + 1))
    return held


def full_date(capacity=12, days=12):
    date = course_date(capacity=capacity, days=days)
    people = [confirmed(date, n) for n in range(1, capacity + 1)]
    return date, people


# --- Attendance --------------------------------------------------------------------


def test_saving_attendance_on_a_full_date_before_it_starts_changes_nobody(client, run):
    """The probe: a trainer saves the list of a full date twelve days ahead with
    nobody ticked. Nobody becomes a no-show, no seat is freed, nobody loses access."""
    from django.contrib.auth.models import Group

    date, people = full_date()
    waiting = confirmed(date, 99)
    staff = learner.get_user_model().objects.create_user("redaktion")
    staff.groups.add(Group.objects.get_or_create(name="Redaktion")[0])
    client.force_login(staff)
    url = reverse("learner:attendance", args=[date.pk])
    page = client.get(url).content.decode()
    assert "Anwesenheit speichern" not in page  # nothing can be ticked yet
    mail.outbox.clear()
    # what the rendered form sends (nothing), and what a forged form could send
    run(client.post, url, {})
    forged = {f"was-present-{people[0].pk}-0": "1", f"present-{people[1].pk}-0": "1"}
    forged[f"was-present-{people[1].pk}-0"] = "0"
    run(client.post, url, forged)
    assert set(date.enrolments.exclude(pk=waiting.pk).values_list("status", flat=True)) == {
        "confirmed"
    }
    assert assert_seats(date) == 12
    assert not date.enrolments.filter(attendance__present=True).exists()
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"
    assert mail.outbox == []
    user = learner.user_for_email(people[0].email)
    assert learner.can_view(date.course, user)


def test_untouched_people_keep_their_status_when_a_list_is_saved():
    date = course_date(capacity=3, days=1)
    first, second = confirmed(date, 1), confirmed(date, 2)
    with time_machine.travel(date.start + timedelta(hours=1)):
        attendance.record(date, {(first.pk, 0): True})
        first.refresh_from_db()
        assert first.status == "attended"
        attendance.record(date, {(second.pk, 0): True})  # first not in the changes
    first.refresh_from_db()
    assert first.status == "attended"
    assert assert_seats(date) == 2


def test_attendance_only_from_the_start_until_the_deadline(settings):
    settings.ATTENDANCE_EDIT_DAYS = 14
    date = course_date(capacity=3, days=2)
    person_ = confirmed(date, 1)
    assert attendance.record(date, {(person_.pk, 0): True}) == 0  # not started
    with time_machine.travel(date.end + timedelta(days=15)):
        assert attendance.record(date, {(person_.pk, 0): True}) == 0  # closed
    with time_machine.travel(date.end + timedelta(days=13)):
        assert attendance.record(date, {(person_.pk, 0): True}) == 1
    person_.refresh_from_db()
    assert person_.status == "attended"


def _two_day_date():
    date = course_date(capacity=2, days=3)
    day1 = timezone.localtime(date.start).date()
    date.sessions = [
        ("session", {"date": day, "start_time": datetime.time(9), "end_time": datetime.time(15)})
        for day in (day1, day1 + timedelta(days=1))
    ]
    date.end = timezone.make_aware(
        datetime.datetime.combine(day1 + timedelta(days=1), datetime.time(15))
    )
    date.save()
    return date


def test_attended_follows_the_rule_and_partial_attendance_is_shown_as_such(settings):
    date = _two_day_date()
    enrolment = confirmed(date, 1)
    sessions = attendance.sessions_of(date)
    with time_machine.travel(sessions[1].end + timedelta(hours=1)):
        attendance.record(date, {(enrolment.pk, 0): True})
        enrolment.refresh_from_db()
        assert enrolment.status == "partial"
        assert enrolment.get_status_display() == "teilweise teilgenommen"
        assert certificates.issue(enrolment) is None  # every session is the default rule
        settings.ATTENDANCE_REQUIRED_SHARE = 0.5
        attendance.record(date, {(enrolment.pk, 1): True})
        attendance.record(date, {(enrolment.pk, 1): False})
        enrolment.refresh_from_db()
        assert enrolment.status == "attended"  # one of two is enough now
        certificate = certificates.issue(enrolment)
    assert certificate is not None
    assert "1 von 2 Kurstagen" in certificate.sessions_text
    assert certificate.hours == 6
    assert assert_seats(date) == 1


def test_no_show_only_after_attendance_closed_and_it_frees_the_seat(settings):
    date = course_date(capacity=2, days=1)
    present, absent = confirmed(date, 1), confirmed(date, 2)
    with time_machine.travel(date.start + timedelta(hours=1)):
        attendance.record(date, {(present.pk, 0): True})
        assert attendance.close_dates() == {"waitlist_closed": 0, "no_shows": 0}
    with time_machine.travel(date.end + timedelta(days=settings.ATTENDANCE_EDIT_DAYS + 1)):
        assert attendance.close_dates()["no_shows"] == 1
        assert attendance.close_dates()["no_shows"] == 0  # twice is harmless
    absent.refresh_from_db()
    assert absent.status == "no_show"
    assert assert_seats(date) == 1
    assert not learner.can_view(date.course, learner.user_for_email(absent.email))


# --- Seats and the waitlist -----------------------------------------------------------


def test_attended_participants_hold_their_seat_through_capacity_raise_and_publish(run):
    date = course_date(capacity=2, days=1)
    first = confirmed(date, 1)
    confirmed(date, 2)
    waiting = confirmed(date, 3)
    with time_machine.travel(date.start + timedelta(hours=1)):
        attendance.record(date, {(first.pk, 0): True})
        assert assert_seats(date) == 2
        # the editor raises the capacity, then the course is published
        stale = CourseDate.objects.get(pk=date.pk)
        stale.capacity = 3
        run(stale.save)
        page = date.course.specific
        run(lambda: page.save_revision().publish())
        waiting.refresh_from_db()
        # the date has started: nobody moves up into it
        assert waiting.status == "waitlisted"
        assert assert_seats(date) == 2


def test_raised_capacity_before_the_start_promotes_in_order(run):
    date = course_date(capacity=1)
    confirmed(date, 1)
    waiting = [confirmed(date, n) for n in (2, 3)]
    stale = CourseDate.objects.get(pk=date.pk)
    stale.capacity = 2
    run(stale.save)
    statuses = [Enrolment.objects.get(pk=e.pk).status for e in waiting]
    assert statuses == ["confirmed", "waitlisted"]
    assert assert_seats(date) == 2


def test_the_waitlist_is_frozen_at_the_start_and_closed_with_a_mail(run):
    date = course_date(capacity=1, days=1)
    seated = confirmed(date, 1)
    waiting = [confirmed(date, n) for n in (2, 3)]
    pending = services.request_enrolment(date.pk, person(4)).enrolment
    with time_machine.travel(date.start + timedelta(minutes=5)):
        mail.outbox.clear()
        run(services.cancel, seated.pk, by=Enrolment.CancelledBy.STAFF)
        assert Enrolment.objects.get(pk=waiting[0].pk).status == "waitlisted"
        with pytest.raises(services.EnrolmentError):
            services.promote_waiting(waiting[0].pk)
        result = run(attendance.close_dates)
    assert result["waitlist_closed"] == 2
    for enrolment in waiting:
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.cancelled_by) == ("cancelled", "waitlist_closed")
    pending.refresh_from_db()
    assert pending.status == "expired"
    closed_mails = [m for m in mail.outbox if "kein Platz frei geworden" in m.subject]
    assert sorted(m.to[0] for m in closed_mails) == ["person2@example.org", "person3@example.org"]
    assert "Warteliste ist damit geschlossen" in closed_mails[0].body
    assert assert_seats(date) == 0


def test_staff_may_seat_someone_on_a_started_date_only_on_a_free_seat():
    date = course_date(capacity=1, days=1)
    with time_machine.travel(date.start + timedelta(minutes=5)):
        first = services.staff_enrol(date.pk, person(1)).enrolment
        assert first.status == "confirmed"
        with pytest.raises(services.EnrolmentError, match="Warteliste ist geschlossen"):
            services.staff_enrol(date.pk, person(2))
    assert assert_seats(date) == 1


# --- Booking state is not page content ---------------------------------------------------


def test_reverting_a_course_to_a_revision_from_before_five_enrolments(run):
    date = course_date(capacity=5)
    page = date.course.specific
    old_revision = page.save_revision()
    # a revision as older code stored them, with its own copy of the date
    old_revision.content["dates"] = [
        {"pk": date.pk, "course": page.pk, "capacity": 1, "seats_confirmed": 0}
    ]
    old_revision.save(update_fields=["content"])
    people = [confirmed(date, n) for n in range(1, 6)]
    page.title = "Neuer Titel"
    page.save_revision().publish()

    mail.outbox.clear()
    run(old_revision.publish)  # "revert": publish the old revision
    run(lambda: page.specific_class.objects.get(pk=page.pk).copy(update_attrs={"slug": "kopie"}))

    assert assert_seats(date) == 5
    assert date.capacity == 5
    assert [Enrolment.objects.get(pk=p.pk).status for p in people] == ["confirmed"] * 5
    assert mail.outbox == []
    copy = page.specific_class.objects.get(slug="kopie")
    assert not copy.dates.exists()


def test_importing_dates_for_a_course_with_enrolments_touches_no_booking():
    date = course_date(capacity=3)
    people = [confirmed(date, n) for n in range(1, 5)]  # three seats and one waiting
    start = date.start + timedelta(days=30)
    payload = [
        {
            "course": date.course.pk,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=4)).isoformat(),
            "venue": "Handwerkskammer, Meißen",
            "capacity": 10,
            "deadline": None,
            "price": None,
        }
    ]
    created = import_dates.create_dates(payload)
    assert len(created) == 1 and created[0].seats_confirmed == 0
    assert assert_seats(date) == 3
    assert [Enrolment.objects.get(pk=p.pk).status for p in people] == ["confirmed"] * 3 + [
        "waitlisted"
    ]
    page = date.course.specific
    page.save_revision().publish()
    assert CourseDate.objects.filter(course=page).count() == 2
    assert assert_seats(date) == 3


def test_cancelling_a_date_is_booking_state_that_publishing_keeps(run):
    date = course_date(capacity=2)
    confirmed(date, 1)
    run(services.cancel_course_date, date.pk, "Zu wenige Anmeldungen")
    page = date.course.specific
    run(lambda: page.save_revision().publish())
    stale = CourseDate.objects.get(pk=date.pk)
    stale.venue_name = "Anderer Raum"
    stale.save()
    date.refresh_from_db()
    assert (date.status, date.cancellation_reason) == ("cancelled", "Zu wenige Anmeldungen")
    assert assert_seats(date) == 0


# --- Certificates -------------------------------------------------------------------------


def attended_enrolment(days=-2):
    date = course_date(capacity=3, days=days)
    enrolment = services.staff_enrol(
        date.pk, person(1), now=date.start - timedelta(days=5)
    ).enrolment
    learner.link_user(enrolment)
    attendance.record(date, {(enrolment.pk, 0): True}, now=date.start + timedelta(hours=1))
    enrolment.refresh_from_db()
    return enrolment


def test_certificate_only_after_the_attended_sessions_ended():
    date = course_date(capacity=3, days=1)
    enrolment = confirmed(date, 1)
    with time_machine.travel(date.start + timedelta(hours=1)):
        attendance.record(date, {(enrolment.pk, 0): True})
        enrolment.refresh_from_db()
        assert enrolment.status == "attended"
        assert certificates.issue(enrolment) is None  # the day is not over
    with time_machine.travel(date.end + timedelta(minutes=1)):
        assert certificates.issue(enrolment) is not None


def test_certificate_withdrawn_when_attendance_is_removed(client):
    enrolment = attended_enrolment()
    certificate = certificates.issue(enrolment)
    verify = reverse("certificates:verify", args=[certificate.number])
    assert "echt und gültig" in client.get(verify).content.decode()
    attendance.record(
        enrolment.course_date,
        {(enrolment.pk, 0): False},
        now=enrolment.course_date.end + timedelta(days=1),
    )
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    page = client.get(verify).content.decode()
    assert "widerrufen" in page
    assert "echt und gültig" not in page
    assert f"{timezone.localtime(certificate.revoked_at):%d.%m.%Y}" in page
    # the learner gets no new one while the rule does not hold
    assert certificates.issue(Enrolment.objects.get(pk=enrolment.pk)) is None


def test_certificate_withdrawn_when_a_required_lesson_is_undone(client):
    enrolment = attended_enrolment()
    course = enrolment.course_date.course
    _material, lessons = build_material(course, certificate_requires_lessons=True)
    user = learner.user_for_email(enrolment.email)
    for lesson in lessons:
        LessonProgress.objects.create(user=user, lesson=lesson)
    certificate = certificates.issue(enrolment)
    assert certificate is not None
    learner.set_done(user, lessons[0], False)
    certificate.refresh_from_db()
    assert not certificate.is_valid


def test_staff_withdraw_with_a_reason_and_reissue(client):
    from tests.factories import UserFactory

    enrolment = attended_enrolment()
    certificate = certificates.issue(enrolment)
    admin = UserFactory(username="chefin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get(
        reverse("learning_certificates:index"), {"course": enrolment.course_date.course.pk}
    ).content.decode()
    assert certificate.number in listing
    assert reverse("learning_certificates:revoke", args=[certificate.pk]) in listing
    # no reason: refused with a message, nothing changes
    response = client.post(reverse("learning_certificates:revoke", args=[certificate.pk]), {})
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.is_valid
    # reissue: the old number is withdrawn, a new one is valid
    client.post(reverse("learning_certificates:reissue", args=[certificate.pk]))
    certificate.refresh_from_db()
    new = Certificate.objects.get(enrolment=enrolment, revoked_at__isnull=True)
    assert not certificate.is_valid and new.number != certificate.number
    client.post(
        reverse("learning_certificates:revoke", args=[new.pk]),
        {"reason": "Teilnahme nicht nachgewiesen"},
    )
    new.refresh_from_db()
    assert (new.revoked_reason, new.revoked_by) == ("Teilnahme nicht nachgewiesen", admin)
    page = client.get(reverse("certificates:verify", args=[new.number])).content.decode()
    assert "widerrufen" in page and "Teilnahme nicht nachgewiesen" not in page
    # staff cannot add or delete certificates by hand
    assert client.get(reverse("learning_certificates:add")).status_code in (403, 302)


def test_certificate_numbers_are_found_without_hyphens_and_in_lower_case(client):
    certificate = certificates.issue(attended_enrolment())
    plain = certificate.number.replace("-", "").lower()
    response = client.get(reverse("certificates:verify", args=[plain]))
    assert response.status_code == 200
    assert certificate.name in response.content.decode()


# --- One list of personal fields, one calendar -------------------------------------------


def test_anonymisation_export_and_staff_export_use_the_one_list_of_personal_fields():
    from enrolment import exports

    date = course_date()
    enrolment = services.staff_enrol(date.pk, person(1, remarks="Rollstuhl")).enrolment
    enrolment.refresh_from_db()
    user = learner.link_user(enrolment)
    exported = learner.export_data(user)["Anmeldungen"][0]
    for name in PERSONAL_FIELDS:
        assert str(Enrolment._meta.get_field(name).verbose_name) in exported
    headings, _rows = exports.participant_rows(date)
    for name in PERSONAL_FIELDS:
        label = str(Enrolment._meta.get_field(name).verbose_name)
        assert label in headings, label
    services.anonymise(Enrolment.objects.filter(pk=enrolment.pk))
    enrolment.refresh_from_db()
    for name in PERSONAL_FIELDS:
        value = getattr(enrolment, name)
        assert value in ("", "01"), (name, value)


@override_settings(WAGTAILADMIN_BASE_URL="https://akademie.example.org")
def test_one_calendar_uid_per_date_in_catalogue_mail_and_learner_feed(client, run):
    from icalendar import Calendar

    from enrolment.models import OutgoingMail
    from learning.models import LearnerCalendar

    date = _two_day_date()
    enrolment = run(confirmed, date, 1)
    attachment = OutgoingMail.objects.filter(enrolment=enrolment, kind="confirmed").get()
    import base64

    mailed = Calendar.from_ical(base64.b64decode(attachment.attachments[0]["content"]))
    page = date.course.specific
    download = client.get(page.url + page.reverse_subpage("date_calendar", args=[date.pk]))
    catalogue = Calendar.from_ical(download.content)
    user = learner.user_for_email(enrolment.email)
    feed_entry = LearnerCalendar.objects.create(user=user)

    def uids(calendar):
        return sorted(str(e["uid"]) for e in calendar.walk("VEVENT"))

    feed = Calendar.from_ical(
        client.get(reverse("learner:calendar", args=[feed_entry.secret])).content
    )
    assert uids(mailed) == uids(catalogue) == uids(feed)
    assert len(uids(feed)) == 2  # one per session
    run(services.cancel_course_date, date.pk, "Krankheit")
    feed = Calendar.from_ical(
        client.get(reverse("learner:calendar", args=[feed_entry.secret])).content
    )
    assert {str(e["status"]) for e in feed.walk("VEVENT")} == {"CANCELLED"}
    assert uids(feed) == uids(catalogue)


def test_a_course_copy_and_a_new_course_start_without_dates():
    page = course_page()
    course_date(page)
    copy = page.copy(update_attrs={"slug": "kopie-2"})
    assert copy.dates.count() == 0
