"""The booking pages: the form (with and without JavaScript: a fixed number of rows
and a "weitere Person" button), bad input answered next to the fields, one mail to
the booker, the confirmation page (GET shows, POST acts; the choice when not all fit),
the manage page behind the link (swap, cancel with the fee shown first), tampered
links, rate limits, and the staff list."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from courses.models import CourseDate
from enrolment import bookings, tokens
from enrolment.models import Booking, Enrolment, Guild
from tests.enrolment.builders import confirmed, course_date, course_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def call(url, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **kwargs)

    return call


def priced_date(capacity=10, days=40):
    page = course_page(price=Decimal("200.00"), member_price=Decimal("150.00"))
    return course_date(page, capacity=capacity, days=days)


def form_data(n=3, *, total=None, **overrides):
    data = {
        "booking_as": "business",
        "company": "Tischlerei Meister GmbH",
        "first_name": "Karl",
        "last_name": "Meister",
        "email": "buero@tischlerei-meister.de",
        "phone": "",
        "street": "Elbstraße 3",
        "postcode": "01662",
        "city": "Meißen",
        "vat_id": "",
        "order_reference": "",
        "consent": "on",
        "p-TOTAL_FORMS": str(total if total is not None else max(n, 3)),
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "20",
    }
    for i in range(int(data["p-TOTAL_FORMS"])):
        data[f"p-{i}-role"] = "apprentice"  # a browser sends the preselected role of every row
    for i in range(n):
        data.update(
            {
                f"p-{i}-first_name": "Lehrling",
                f"p-{i}-last_name": "Nummer" + chr(65 + i % 26) + chr(65 + i // 26),
                f"p-{i}-email": f"azubi{i}@example.org" if i else "",
                f"p-{i}-role": "apprentice",
            }
        )
    data.update(overrides)
    return data


def url(date):
    return reverse("enrolment:booking", args=[date.pk])


def link(message, pattern):
    return re.search(rf"https://akademie\.example\.org(/anmeldung/{pattern}[^\s]*/)", message.body)[
        1
    ]


def test_the_course_page_and_the_single_form_lead_to_the_booking_form(client):
    date = priced_date()
    html = client.get(date.course.url).content.decode()
    assert url(date) in html and "Betrieb/Innung bucht mehrere Personen" in html
    html = client.get(url(date)).content.decode()
    assert "Buchung für mehrere Personen" in html
    assert "200,00 €" in html and "150,00 €" in html  # the prices before booking
    assert html.count('name="p-') >= 3 * 4  # three rows without JavaScript
    assert "Weitere Person hinzufügen" in html


def test_one_more_row_without_javascript_keeps_what_was_typed(client):
    date = priced_date()
    data = form_data(3, add_person="1")
    response = client.post(url(date), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="p-TOTAL_FORMS" value="4"' in html
    assert 'value="Tischlerei Meister GmbH"' in html and 'value="NummerCA"' in html
    assert "Bitte prüfen Sie Ihre Angaben" not in html
    assert not Booking.objects.exists()


def test_a_booking_mails_the_booker_once_and_confirms_everyone(client, post):
    date = priced_date(capacity=5)
    guild = Guild.objects.first()
    response = post(url(date), form_data(3, guild=str(guild.pk)))
    assert response.status_code == 302
    assert response["Location"] == reverse("enrolment:booking_sent", args=[date.pk])
    booking = Booking.objects.get()
    assert booking.unit_price == Decimal("150.00") and booking.guild == guild
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["buero@tischlerei-meister.de"]
    confirm = link(mail.outbox[0], "buchung/bestaetigen/")
    page = client.get(confirm)
    html = page.content.decode()
    assert "Buchung jetzt bestätigen" in html and "450,00 €" in html
    assert booking.enrolments.filter(status="pending").count() == 3  # GET changed nothing
    post(confirm)
    assert booking.enrolments.filter(status="confirmed").count() == 3
    html = client.get(confirm).content.decode()
    assert "Ihre Buchung ist bestätigt" in html and "Lehrling NummerAA" in html


def test_not_all_fit_the_page_asks_and_a_post_without_choice_changes_nothing(client, post):
    date = priced_date(capacity=3)
    confirmed(date, 1)
    post(url(date), form_data(3))
    booking = Booking.objects.get(email="buero@tischlerei-meister.de")
    confirm = tokens.booking_confirm_path(booking)
    html = client.get(confirm).content.decode()
    assert "alle gemeinsam auf die Warteliste" in html
    assert "2 jetzt einen Platz geben" in html
    response = post(confirm)
    assert response.status_code == 400
    assert "Bitte wählen Sie eine der beiden Möglichkeiten." in response.content.decode()
    assert booking.enrolments.filter(status="pending").count() == 3
    post(confirm, {"choice": bookings.SPLIT})
    assert booking.enrolments.filter(status="confirmed").count() == 2
    assert booking.enrolments.filter(status="waitlisted").count() == 1


@pytest.mark.parametrize(
    "overrides, n, message",
    [
        ({"p-0-first_name": ""}, 1, "Bitte geben Sie den Vornamen an."),
        ({}, 0, "Bitte nennen Sie mindestens eine Person."),
        ({"p-1-email": "kein-at-zeichen"}, 2, "Bitte geben Sie eine gültige E-Mail-Adresse an"),
        ({"email": "buero@@x"}, 1, "Bitte geben Sie eine gültige E-Mail-Adresse an"),
        ({"company": ""}, 1, "Bitte geben Sie den Betrieb an"),
        ({"postcode": "1234"}, 1, "Postleitzahl aus fünf Ziffern"),
        ({"p-0-role": "chef"}, 1, "Bitte wählen Sie eine der angebotenen Rollen."),
        ({"p-1-email": "azubi2@example.org"}, 3, "Jede E-Mail-Adresse darf nur bei einer Person"),
        ({"p-TOTAL_FORMS": "abc"}, 1, "Das Formular ist unvollständig angekommen"),
    ],
)
def test_bad_input_is_answered_next_to_the_field(client, overrides, n, message):
    date = priced_date()
    response = client.post(url(date), form_data(n, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert not Booking.objects.exists()


def test_twenty_one_people_are_too_many(client):
    date = priced_date(capacity=30)
    response = client.post(url(date), form_data(21, total=21))
    assert response.status_code == 400
    assert "höchstens 20 Personen" in response.content.decode()
    response = client.post(url(date), form_data(20, total=20))
    assert response.status_code == 302
    assert Booking.objects.get().enrolments.count() == 20


def test_a_private_booking_within_the_withdrawal_period_needs_the_consent(client, post):
    date = priced_date(days=10)
    data = form_data(1, booking_as="private", company="")
    response = client.post(url(date), data)
    assert response.status_code == 400
    assert "Der Kurs beginnt innerhalb Ihrer Widerrufsfrist" in response.content.decode()
    response = post(url(date), dict(data, withdrawal_consent="on"))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.is_consumer and booking.withdrawal_consent_at is not None
    # a business needs no such consent
    other = priced_date(days=10)
    assert post(url(other), form_data(1, email="chef@example.org")).status_code == 302


def test_no_consent_field_when_the_course_starts_after_the_period(client):
    html = client.get(url(priced_date(days=30))).content.decode()
    assert "Ich verlange ausdrücklich" not in html
    html = client.get(url(priced_date(days=5))).content.decode()
    assert "Ich verlange ausdrücklich" in html


def _confirmed_booking(post, date, n=3):
    post(url(date), form_data(n))
    booking = Booking.objects.get(email="buero@tischlerei-meister.de")
    bookings.confirm_booking(booking.pk)
    return booking


def test_manage_page_swap_and_cancel_with_the_fee_shown_first(client, post):
    date = priced_date(capacity=5, days=10)  # 10 days before: 50 % under the default terms
    booking = _confirmed_booking(post, date)
    manage = tokens.manage_path(booking)
    html = client.get(manage).content.decode()
    assert "Lehrling NummerAA" in html and "Ersatzperson nennen" in html
    first, second, third = booking.enrolments.order_by("pk")

    swap = reverse("enrolment:booking_swap", args=[manage.split("/")[-2], first.pk])
    assert client.get(swap).status_code == 200
    response = post(swap, {"first_name": "", "last_name": "Neu", "role": "apprentice"})
    assert response.status_code == 400
    response = post(
        swap, {"first_name": "Nele", "last_name": "Neu", "email": "", "role": "apprentice"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.cancelled_by == "substituted" and first.replaced_by.first_name == "Nele"

    cancel = reverse("enrolment:booking_cancel", args=[manage.split("/")[-2]])
    html = client.get(cancel, {"person": [second.pk]}).content.decode()
    assert "100,00 €" in html and "Kostenpflichtig stornieren" in html
    second.refresh_from_db()
    assert second.status == "confirmed"  # the GET showed the fee, nothing more
    post(cancel, {"person": [second.pk]})
    second.refresh_from_db()
    assert second.status == "cancelled" and second.cancellation_fee == Decimal("100.00")
    assert mail.outbox[-1].subject.startswith("Stornierung Ihrer Buchung")
    assert "Stornogebühr 100,00 €" in mail.outbox[-1].body


def test_cancelling_with_nothing_chosen_or_a_foreign_person_changes_nothing(client, post):
    date = priced_date()
    booking = _confirmed_booking(post, date)
    other = confirmed(date, 7)
    token = tokens.make_token(booking, tokens.BOOKING_MANAGE)
    cancel = reverse("enrolment:booking_cancel", args=[token])
    assert client.get(cancel).status_code == 400
    assert post(cancel, {"person": [str(other.pk), "x"]}).status_code == 400
    other.refresh_from_db()
    assert other.status == "confirmed"


@pytest.mark.parametrize("name", ["booking_manage", "booking_confirm", "booking_cancel"])
def test_tampered_links_are_not_found(client, post, name):
    date = priced_date()
    booking = _confirmed_booking(post, date, 1)
    token = tokens.make_token(booking, tokens.BOOKING_MANAGE)
    for bad in (token[:-2] + "xx", "abc", tokens.make_token(booking, tokens.BOOKING_CONFIRM) + "1"):
        assert client.get(reverse(f"enrolment:{name}", args=[bad])).status_code == 404
    # a confirmation link does not manage, a manage link does not confirm
    wrong = tokens.make_token(booking, tokens.BOOKING_CONFIRM)
    if name != "booking_confirm":
        assert client.get(reverse(f"enrolment:{name}", args=[wrong])).status_code == 404
    swap = reverse("enrolment:booking_swap", args=[token, 999999])
    assert client.get(swap).status_code == 404


def test_a_booking_counts_once_against_the_rate_limit(client, post, settings):
    settings.ENROLMENT_RATE_LIMIT = {"ip": (2, 3600), "email": (5, 3600)}
    date = priced_date(capacity=50)
    for n in range(2):
        data = form_data(5, email=f"buero{n}@example.org")
        for i in range(5):
            data[f"p-{i}-email"] = f"azubi{n}{i}@example.org"
        assert post(url(date), data).status_code == 302
    response = post(url(date), form_data(1, email="dritte@example.org"))
    assert response.status_code == 429
    assert Booking.objects.count() == 2
    assert 'value="dritte@example.org"' in response.content.decode()


def test_a_closed_date_shows_the_reason(client):
    date = priced_date()
    CourseDate.objects.filter(pk=date.pk).update(status="cancelled")
    response = client.get(url(date))
    assert "abgesagt" in response.content.decode()


def test_staff_see_and_cancel_bookings_but_never_delete(
    client, post, django_user_model, staff_roles
):
    from django.contrib.auth.models import Group

    date = priced_date(capacity=5, days=5)
    booking = _confirmed_booking(post, date, 2)
    user = django_user_model.objects.create_user("redakteurin", password="x")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    index = client.get(reverse("enrolment_bookings:index"))
    assert index.status_code == 200
    assert "Tischlerei Meister GmbH" in index.content.decode()
    inspect = client.get(reverse("enrolment_bookings:inspect", args=[booking.pk]))
    assert "Lehrling NummerBA" in inspect.content.decode()
    assert client.get(reverse("enrolment_bookings:delete", args=[booking.pk])).status_code in (
        302,
        403,
    )
    cancel = reverse("enrolment_booking_cancel", args=[booking.pk])
    assert client.get(cancel).status_code == 200
    post(cancel)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert not booking.enrolments.filter(cancellation_fee__gt=0).exists()  # academy: no fee
    assert Booking.objects.filter(pk=booking.pk).exists()
    # somebody without the role sees nothing
    client.force_login(django_user_model.objects.create_user("fremd", password="x"))
    assert client.get(reverse("enrolment_bookings:index")).status_code in (302, 403)


def test_the_single_form_asks_a_private_person_for_the_consent_within_the_period(client, post):
    from tests.enrolment.builders import person

    date = priced_date(days=10)
    data = dict(person(1))
    data.update(billing="private", consent="on")
    enrol = reverse("enrolment:enrol", args=[date.pk])
    html = client.get(enrol).content.decode()
    assert "Ich verlange ausdrücklich" in html
    assert reverse("enrolment:booking", args=[date.pk]) in html  # the way to a group booking
    response = client.post(enrol, data)
    assert response.status_code == 400
    assert "Der Kurs beginnt innerhalb Ihrer Widerrufsfrist" in response.content.decode()
    assert post(enrol, dict(data, withdrawal_consent="on")).status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.booking.withdrawal_consent_at is not None
    confirm = tokens.confirm_path(enrolment)
    post(confirm)
    body = next(m for m in mail.outbox if m.subject.startswith("Sie sind angemeldet")).body
    assert "Widerrufsbelehrung" in body and "Muster-Widerrufsformular" in body
    # through the business: no consent asked, no withdrawal information
    other = priced_date(days=10)
    data2 = dict(data, billing="company", email="firma@example.org")
    assert post(reverse("enrolment:enrol", args=[other.pk]), data2).status_code == 302


def test_the_learner_area_shows_the_booker_their_bookings_and_participants_who_booked(
    client, post, django_user_model
):
    date = priced_date(capacity=5)
    booking = _confirmed_booking(post, date)
    booker = django_user_model.objects.create_user("buero@tischlerei-meister.de")
    client.force_login(booker)
    html = client.get(reverse("learner:home")).content.decode()
    assert "Meine Buchungen für mehrere Personen" in html
    assert tokens.manage_path(booking) in html
    # an apprentice with an address sees the date, but cancels through the booker
    apprentice = booking.enrolments.get(email="azubi1@example.org")
    client.force_login(django_user_model.objects.get(username="azubi1@example.org"))
    html = client.get(reverse("learner:home")).content.decode()
    assert date.course.title in html
    assert "Gebucht von Tischlerei Meister GmbH" in html
    assert tokens.cancel_url(apprentice).split("example.org")[1] not in html
    cancel = tokens.cancel_url(apprentice).split("example.org")[1]
    assert "Absagen kann nur, wer gebucht hat" in client.get(cancel).content.decode()
    post(cancel)
    apprentice.refresh_from_db()
    assert apprentice.status == "confirmed"


def test_the_single_cancel_page_shows_the_fee_before(client, post):
    from tests.enrolment.builders import person

    date = priced_date(days=10)
    enrolment = services_enrol(date, person(1, billing="company"))
    cancel = tokens.cancel_url(enrolment).split("example.org")[1]
    html = client.get(cancel).content.decode()
    assert "Stornogebühr von 100,00 €" in html


def services_enrol(date, data):
    from enrolment import services

    enrolment = services.request_enrolment(date.pk, data).enrolment
    return services.confirm(enrolment.pk).enrolment
