import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from enrolment import services
from enrolment.models import Enrolment, OutgoingMail
from tests.enrolment.builders import confirmed, course_date, person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


def test_listing_filters_and_search(client, staff):
    date = course_date()
    other = course_date()
    confirmed(date, 1)
    services.staff_enrol(other.pk, person(2, company="Bäckerei Sonne"))
    url = reverse("enrolment_admin:index")
    html = client.get(url).content.decode()
    assert "person1@example.org" in html and "person2@example.org" in html
    html = client.get(url, {"course_date": date.pk}).content.decode()
    assert "person1@example.org" in html and "person2@example.org" not in html
    assert reverse("enrolment_participants", args=[date.pk]) in html
    html = client.get(url, {"q": "Sonne"}).content.decode()
    assert "person2@example.org" in html and "person1@example.org" not in html
    html = client.get(url, {"status": "confirmed", "course": date.course.pk}).content.decode()
    assert "person1@example.org" in html
    # Bad query parameters give a normal page.
    for params in ({"p": "abc"}, {"p": "99999"}, {"status": "nonsense"}, {"q": "x" * 10_000}):
        assert client.get(url, params).status_code == 200


def test_participant_list_shows_counts(client, staff):
    date = course_date(capacity=1)
    confirmed(date, 1)
    confirmed(date, 2)
    html = client.get(reverse("enrolment_participants", args=[date.pk])).content.decode()
    assert "Plätze belegt: 1 von 1" in html
    assert "Warteliste: 1" in html
    assert "person2@example.org" in html


def test_csv_and_xlsx_export_content_and_formula_injection(client, staff):
    date = course_date(capacity=1)
    confirmed(date, 1)
    services.staff_enrol(date.pk, person(2, company='=HYPERLINK("http://x")', remarks="@SUM(1)"))
    response = client.get(reverse("enrolment_export", args=[date.pk, "csv"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Status", "Wartelistenplatz", "Anrede", "Vorname", "Nachname"]
    assert rows[1][0] == "angemeldet" and rows[1][5] == "person1@example.org"
    assert rows[2][0] == "Warteliste" and rows[2][1] == "1"
    assert rows[2][8] == '\'=HYPERLINK("http://x")'
    assert rows[2][rows[0].index("Anmerkungen")] == "'@SUM(1)"

    response = client.get(reverse("enrolment_export", args=[date.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][5] == "person1@example.org"
    assert values[2][8] == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_staff_adds_participant_by_phone_with_seat_rules(client, staff, run):
    date = course_date(capacity=1)
    confirmed(date, 1)
    data = {k: v for k, v in person(5).items() if v is not None}
    data["course_date"] = date.pk
    with_callbacks = run(client.post, reverse("enrolment_admin:add"), data)
    assert with_callbacks.status_code == 302
    added = Enrolment.objects.get(email="person5@example.org")
    assert (added.status, added.waitlist_position, added.source) == ("waitlisted", 1, "staff")
    # The same address again is refused with a message, not an error.
    response = client.post(reverse("enrolment_admin:add"), data)
    assert response.status_code == 200
    assert "schon angemeldet" in response.content.decode()


def test_status_actions_go_through_the_services(client, staff, run):
    date = course_date(capacity=1)
    first = confirmed(date, 1)
    second = confirmed(date, 2)
    pending = services.request_enrolment(date.pk, person(3)).enrolment

    action = reverse("enrolment_action", args=[second.pk, "promote"])
    assert (
        "Nachrücken" in client.get(action).content.decode() or client.get(action).status_code == 200
    )
    client.post(action)
    second.refresh_from_db()
    assert second.status == "waitlisted"  # full: refused

    mail.outbox.clear()
    run(client.post, reverse("enrolment_action", args=[first.pk, "cancel"]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled" and first.cancelled_by == "staff"
    assert second.status == "confirmed"
    assert {m.to[0] for m in mail.outbox} == {"person1@example.org", "person2@example.org"}

    run(client.post, reverse("enrolment_action", args=[pending.pk, "confirm"]))
    pending.refresh_from_db()
    assert (pending.status, pending.waitlist_position) == ("waitlisted", 1)
    date.refresh_from_db()
    assert date.seats_confirmed == 1


def test_staff_cancel_enrolments_and_never_delete_them(client, staff):
    date = course_date(capacity=1)
    first = confirmed(date, 1)
    confirmed(date, 2)
    delete_url = reverse("enrolment_admin:delete", args=[first.pk])
    assert client.get(delete_url).status_code in (302, 403)
    client.post(delete_url)
    first.refresh_from_db()
    assert first.status == "confirmed"
    date.refresh_from_db()
    assert date.seats_confirmed == 1
    edit = client.get(reverse("enrolment_admin:edit", args=[first.pk])).content.decode()
    assert delete_url not in edit


def test_edit_cannot_change_status_or_date(client, staff):
    date = course_date()
    enrolment = confirmed(date, 1)
    other = course_date()
    response = client.get(reverse("enrolment_admin:edit", args=[enrolment.pk]))
    assert 'name="status"' not in response.content.decode()
    data = {k: v for k, v in person(1, company="Neu GmbH").items() if k != "email"}
    data.update(status="cancelled", course_date=other.pk)
    client.post(reverse("enrolment_admin:edit", args=[enrolment.pk]), data)
    enrolment.refresh_from_db()
    assert enrolment.company == "Neu GmbH"
    assert enrolment.status == "confirmed" and enrolment.course_date_id == date.pk


def test_outbox_lists_unsent_mail_and_resends(client, staff, settings):
    settings.EMAIL_BACKEND = "tests.enrolment.failing_backend.DownBackend"
    date = course_date()
    services.request_enrolment(date.pk, person(1))  # the row waits: no commit callbacks here
    outgoing = OutgoingMail.objects.get()
    html = client.get(reverse("enrolment_outbox:index"), {"status": "pending"}).content.decode()
    assert outgoing.subject in html
    assert reverse("enrolment_outbox:add") not in html
    assert client.get(reverse("enrolment_outbox:edit", args=[outgoing.pk])).status_code in (
        302,
        403,
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    resend_url = reverse("enrolment_resend_mail", args=[outgoing.pk])
    assert client.get(resend_url).status_code == 200
    response = client.post(resend_url)
    assert response.status_code == 302
    # the test client runs without commit, so deliver now as the task would
    from enrolment.mail import deliver

    deliver(outgoing.pk)
    outgoing.refresh_from_db()
    assert outgoing.status == "sent"
    assert len(mail.outbox) == 1


def test_course_page_has_participant_overview(client, staff):
    date = course_date(capacity=3)
    confirmed(date, 1)
    html = client.get(reverse("enrolment_course_dates", args=[date.course.pk])).content.decode()
    assert "1 / 3" in html
    assert reverse("enrolment_participants", args=[date.pk]) in html
    explorer = client.get(reverse("wagtailadmin_explore", args=[date.course.get_parent().pk]))
    assert reverse("enrolment_course_dates", args=[date.course.pk]) in explorer.content.decode()


def test_person_export_and_erase(client, staff):
    date = course_date(capacity=1)
    first = confirmed(date, 1)
    second = confirmed(date, 2)
    url = reverse("enrolment_person")
    assert (
        "person1@example.org" in client.get(url, {"email": "Person1@example.org"}).content.decode()
    )
    response = client.post(url, {"email": "person1@example.org", "action": "export"})
    assert response["Content-Type"].startswith("application/json")
    assert "Muster-b" in response.content.decode("utf-8")
    client.post(url, {"email": "person1@example.org", "action": "erase"})  # asks first
    first.refresh_from_db()
    assert first.anonymised_at is None
    client.post(url, {"email": "person1@example.org", "action": "erase_confirmed"})
    first.refresh_from_db()
    assert first.anonymised_at and first.email == "" and first.status == "cancelled"
    second.refresh_from_db()
    assert second.status == "confirmed"
    assert not OutgoingMail.objects.filter(to="person1@example.org").exists()


def test_editors_without_permission_are_refused(client):
    user = UserFactory(username="editor", is_staff=True)
    group = Group.objects.create(name="Nur Admin")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    date = course_date()
    for url in (
        reverse("enrolment_participants", args=[date.pk]),
        reverse("enrolment_export", args=[date.pk, "csv"]),
        reverse("enrolment_person"),
    ):
        assert client.get(url).status_code in (302, 403)


def test_date_editor_raising_capacity_promotes_and_publishing_changes_no_booking(
    client, staff, run
):
    from django.utils import timezone
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    date = course_date(capacity=1)
    confirmed(date, 1)
    waiting = confirmed(date, 2)

    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    data = nested_form_data(
        {
            "start": local(date.start),
            "end": local(date.end),
            "venue_name": date.venue_name,
            "city": date.city,
            "venue_address": date.venue_address,
            "capacity": 2,
            "sessions": streamfield([]),
        }
    )
    mail.outbox.clear()
    response = run(client.post, reverse("course_dates:edit", args=[date.pk]), data)
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["person2@example.org"]]

    # the course page's publish (and a second one) sends nothing and changes no seat
    page = date.course.specific
    mail.outbox.clear()
    run(lambda: page.save_revision().publish())
    run(lambda: page.save_revision().publish())
    assert mail.outbox == []
    date.refresh_from_db()
    assert date.seats_confirmed == 2 == date.capacity


def test_listing_export_neutralises_formulas(client, staff):
    date = course_date()
    services.staff_enrol(date.pk, person(1, company="=cmd|' /C calc'!A0"))
    response = client.get(reverse("enrolment_admin:index"), {"export": "csv"})
    body = response.content.decode("utf-8-sig")
    assert "'=cmd" in body
    assert ";=cmd" not in body and ';"=cmd' not in body


def test_date_listing_links_participants_and_cancelling(client, staff):
    date = course_date()
    html = client.get(reverse("course_dates:list")).content.decode()
    assert reverse("enrolment_participants", args=[date.pk]) in html
    assert reverse("enrolment_cancel_date", args=[date.pk]) in html
    assert str(date.course.title) in html
