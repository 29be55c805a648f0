"""The editor's day: a date's seats changed where the work is (participant list,
dashboard), who moved up named, actions that cannot succeed not offered, phone
enrolment saying what happens, destructive actions confirmed and logged."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models import CourseDate
from enrolment import services
from enrolment.models import Enrolment, OutgoingMail
from tests.enrolment.builders import confirmed, course_date, person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    """A member of the "Redaktion" group (made by a data migration)."""
    user = UserFactory(username="redakteurin")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def settings_data(date, **changes):
    data = {
        "capacity": date.capacity,
        "min_participants": date.min_participants or "",
        "registration_deadline": local(date.registration_deadline)
        if date.registration_deadline
        else "",
    }
    data.update(changes)
    return data


def full_date_with_waitlist():
    date = course_date(capacity=1)
    first = confirmed(date, 1)
    second = confirmed(date, 2)
    third = confirmed(date, 3)
    return date, first, second, third


def test_participant_list_offers_the_date_settings_and_the_editor(client, editor):
    date = course_date(capacity=8, min_participants=3)
    html = client.get(reverse("enrolment_participants", args=[date.pk])).content.decode()
    assert f'id="id_date{date.pk}_capacity"' in html
    assert 'name="min_participants"' in html and 'value="3"' in html
    assert 'name="registration_deadline"' in html
    assert reverse("course_dates:edit", args=[date.pk]) in html
    assert reverse("enrolment_cancel_date", args=[date.pk]) in html


def test_raising_capacity_in_place_moves_up_and_names_who(client, editor, run):
    date, _first, second, third = full_date_with_waitlist()
    url = reverse("enrolment_participants", args=[date.pk])
    mail.outbox.clear()
    response = run(client.post, url, settings_data(date, capacity=3, min_participants=2))
    assert response.status_code == 302 and response["Location"] == url
    second.refresh_from_db()
    third.refresh_from_db()
    date.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "confirmed")
    assert (date.capacity, date.min_participants, date.seats_confirmed) == (3, 2, 3)
    assert sorted(m.to[0] for m in mail.outbox) == ["person2@example.org", "person3@example.org"]
    html = client.get(url).content.decode()
    assert "Von der Warteliste nachgerückt und per E-Mail benachrichtigt (2)" in html
    assert "person2@example.org" in html and "Muster-c" in html and "Muster-d" in html
    entry = ModelLogEntry.objects.get(action="enrolment.date_settings", object_id=str(date.pk))
    assert entry.user == editor
    assert set(entry.data["changed"]) == {"capacity", "min_participants"}


def test_capacity_below_seats_held_is_refused_and_keeps_the_input(client, editor):
    date, *_ = full_date_with_waitlist()
    url = reverse("enrolment_participants", args=[date.pk])
    response = client.post(url, settings_data(date, capacity=0, min_participants=7))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Es sind schon 1 Plätze vergeben" in html
    assert 'value="7"' in html  # what was typed stays
    date.refresh_from_db()
    assert (date.capacity, date.min_participants) == (1, None)


def test_deadline_after_start_is_refused(client, editor):
    date = course_date()
    url = reverse("enrolment_participants", args=[date.pk])
    late = local(date.start + timedelta(days=1))
    response = client.post(url, settings_data(date, registration_deadline=late))
    assert "Der Anmeldeschluss muss vor dem Beginn liegen." in response.content.decode()
    date.refresh_from_db()
    assert date.registration_deadline is None
    early = date.start - timedelta(days=2)
    client.post(url, settings_data(date, registration_deadline=local(early)))
    date.refresh_from_db()
    assert date.registration_deadline == early.replace(second=0, microsecond=0)


def test_trainers_see_the_list_but_cannot_change_the_date(client):
    from courses.models import Trainer

    user = UserFactory(username="trainerin")
    user.groups.add(Group.objects.get(name="Trainer"))
    date = course_date(capacity=2)
    date.course.trainers.add(Trainer.objects.create(name="Tina", user=user))
    client.force_login(user)
    url = reverse("enrolment_participants", args=[date.pk])
    html = client.get(url).content.decode()
    assert 'name="capacity"' not in html
    assert client.post(url, settings_data(date, capacity=9)).status_code in (302, 403)
    date.refresh_from_db()
    assert date.capacity == 2


def test_dashboard_changes_a_date_in_place_and_returns_there(client, editor, run):
    date, _first, second, _third = full_date_with_waitlist()
    home = reverse("wagtailadmin_home")
    html = client.get(home).content.decode()
    assert f'id="id_date{date.pk}_capacity"' in html
    assert reverse("course_dates:edit", args=[date.pk]) in html
    response = run(
        client.post,
        reverse("enrolment_participants", args=[date.pk]),
        {**settings_data(date, capacity=2), "next": home},
    )
    assert response["Location"] == home
    second.refresh_from_db()
    assert second.status == "confirmed"
    assert "Muster-c (person2@example.org)" in client.get(home).content.decode()
    # an address elsewhere is not followed
    response = client.post(
        reverse("enrolment_participants", args=[date.pk]),
        {**settings_data(date, capacity=2), "next": "https://example.com/"},
    )
    assert response["Location"] == reverse("enrolment_participants", args=[date.pk])


def test_date_editor_names_who_moved_up(client, editor, run):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    date, _first, second, _third = full_date_with_waitlist()
    data = nested_form_data(
        {
            "start": timezone.localtime(date.start).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(date.end).strftime("%Y-%m-%d %H:%M"),
            "venue_name": date.venue_name,
            "city": date.city,
            "venue_address": date.venue_address,
            "capacity": 2,
            "sessions": streamfield([]),
        }
    )
    response = run(client.post, reverse("course_dates:edit", args=[date.pk]), data, follow=True)
    second.refresh_from_db()
    assert second.status == "confirmed"
    assert "Muster-c (person2@example.org)" in response.content.decode()


def test_cancelling_a_participant_says_who_moves_up_then_names_them(client, editor, run):
    date, first, second, _third = full_date_with_waitlist()
    url = reverse("enrolment_action", args=[first.pk, "cancel"])
    page = client.get(url).content.decode()
    assert "person1@example.org bekommt darüber eine E-Mail" in page
    assert "Muster-c (person2@example.org) rückt von Platz 1 der Warteliste nach" in page
    response = run(client.post, url, follow=True)
    html = response.content.decode()
    assert "Von der Warteliste nachgerückt und per E-Mail benachrichtigt: Erika Muster-c" in html
    second.refresh_from_db()
    assert second.status == "confirmed"
    entry = ModelLogEntry.objects.get(action="enrolment.cancel", object_id=str(first.pk))
    assert entry.user == editor


def test_moving_up_by_hand_is_not_offered_on_a_full_date(client, editor):
    date, _first, second, _third = full_date_with_waitlist()
    html = client.get(reverse("enrolment_participants", args=[date.pk])).content.decode()
    promote = reverse("enrolment_action", args=[second.pk, "promote"])
    assert promote not in html
    assert "disabled" in html and "Der Termin ist ausgebucht" in html
    page = client.get(promote).content.decode()
    assert "Der Termin ist ausgebucht" in page and 'type="submit"' not in page
    listing = client.get(reverse("enrolment_admin:index")).content.decode()
    assert promote not in listing
    # with a free seat it is offered
    CourseDate.objects.filter(pk=date.pk).update(capacity=2)
    html = client.get(reverse("enrolment_participants", args=[date.pk])).content.decode()
    assert promote in html


def test_cancelling_is_not_offered_to_who_has_attended(client, editor):
    date = course_date()
    attended = confirmed(date, 1)
    Enrolment.objects.filter(pk=attended.pk).update(status="attended")
    still = confirmed(date, 2)
    html = client.get(reverse("enrolment_participants", args=[date.pk])).content.decode()
    assert reverse("enrolment_action", args=[attended.pk, "cancel"]) not in html
    assert reverse("enrolment_action", args=[still.pk, "cancel"]) in html


def phone_data(date, n=5, **extra):
    data = {k: v for k, v in person(n).items() if v is not None}
    data["course_date"] = date.pk
    data.update(extra)
    return data


def test_phone_enrolment_says_what_is_mailed_and_mails_it(client, editor, run):
    date = course_date(capacity=2)
    html = client.get(reverse("enrolment_admin:add")).content.decode()
    assert "schicken wir den Bestätigungslink" not in html
    assert "ohne Bestätigungslink" in html and "Anmeldebestätigung" in html
    mail.outbox.clear()
    response = run(client.post, reverse("enrolment_admin:add"), phone_data(date), follow=True)
    assert "Die Anmeldebestätigung geht per E-Mail an person5@example.org" in (
        response.content.decode()
    )
    assert Enrolment.objects.get(email="person5@example.org").status == "confirmed"
    assert [m.to for m in mail.outbox] == [["person5@example.org"]]
    assert "Sie sind angemeldet" in mail.outbox[0].subject
    assert "/bestaetigen/" not in mail.outbox[0].body and "absagen" in mail.outbox[0].body.lower()


def test_phone_enrolment_warns_before_accepting_a_started_date(client, editor, run):
    started = course_date(days=0, capacity=3)
    CourseDate.objects.filter(pk=started.pk).update(start=timezone.now() - timedelta(hours=1))
    response = client.post(reverse("enrolment_admin:add"), phone_data(started))
    assert response.status_code == 200
    html = response.content.decode()
    assert "schon begonnen" in html and "trotzdem nachträglich eintragen" in html
    assert not Enrolment.objects.filter(email="person5@example.org").exists()
    response = run(
        client.post, reverse("enrolment_admin:add"), phone_data(started, accept_started="on")
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(email="person5@example.org").status == "confirmed"


def test_erasure_asks_first_says_what_happens_and_is_logged(client, editor, run):
    date, first, second, _third = full_date_with_waitlist()
    url = reverse("enrolment_person")
    page = client.get(url, {"email": "person1@example.org"}).content.decode()
    assert "Abmelden und Daten löschen" in page
    response = client.post(url, {"email": "person1@example.org", "action": "erase"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wirklich alle Daten von person1@example.org löschen?" in html
    assert "1 Anmeldung wird anonymisiert" in html
    assert "1 noch aktive Anmeldung wird vorher abgemeldet" in html
    assert "rückt die erste Person der Warteliste nach" in html
    assert "keine E-Mail mehr" in html
    first.refresh_from_db()
    assert first.status == "confirmed" and first.anonymised_at is None  # nothing done yet

    mail.outbox.clear()
    run(client.post, url, {"email": "person1@example.org", "action": "erase_confirmed"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.anonymised_at and first.email == "" and first.status == "cancelled"
    assert second.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["person2@example.org"]]  # the erased: no mail
    assert not OutgoingMail.objects.filter(to="person1@example.org").exists()
    entry = ModelLogEntry.objects.get(action="enrolment.erase")
    assert entry.user == editor and entry.object_id == str(first.pk)
    assert "person1" not in entry.label and "Muster" not in entry.label


def test_cancelling_a_date_is_logged_and_returns_to_the_list(client, editor, run):
    date, *_ = full_date_with_waitlist()
    participants = reverse("enrolment_participants", args=[date.pk])
    url = reverse("enrolment_cancel_date", args=[date.pk]) + f"?next={participants}"
    page = client.get(url).content.decode()
    assert "3 Personen sind angemeldet" in page and f'value="{participants}"' in page
    response = run(client.post, url, {"reason": "Krankheit", "next": participants})
    assert response["Location"] == participants
    date.refresh_from_db()
    assert date.status == "cancelled"
    entry = ModelLogEntry.objects.get(action="enrolment.cancel_date", object_id=str(date.pk))
    assert entry.user == editor and entry.data["enrolments"] == 3


def test_enrolments_cannot_be_deleted_by_the_editor_group(client, editor):
    date = course_date()
    enrolment = confirmed(date, 1)
    response = client.post(reverse("enrolment_admin:delete", args=[enrolment.pk]))
    assert response.status_code in (302, 403)
    assert Enrolment.objects.filter(pk=enrolment.pk, status="confirmed").exists()
    # erasure on request stays theirs
    assert client.get(reverse("enrolment_person")).status_code == 200


def test_cancel_returns_who_moved_up():
    date, first, second, _third = full_date_with_waitlist()
    outcome = services.cancel(first.pk, by=Enrolment.CancelledBy.STAFF)
    assert [e.pk for e in outcome.promoted] == [second.pk]
