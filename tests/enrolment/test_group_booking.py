"""Bookings for several people: price fixed when booked, seats placed together under
the date's lock (never a silent split), the booker's choice when not all fit, swaps,
partial cancellation with the fee of the booking terms (Europe/Berlin calendar days,
across the clock change), and the signals invoicing listens to."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from courses.models import CourseDate
from enrolment import bookings, services, signals, terms
from enrolment.models import Booking, CourseBookingTerms, Guild
from tests.enrolment.builders import confirmed, course_date, course_page

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")

BOOKER = {
    "first_name": "Karl",
    "last_name": "Meister",
    "email": "buero@tischlerei-meister.de",
    "phone": "03521 4711",
    "company": "Tischlerei Meister GmbH",
    "street": "Elbstraße 3",
    "postcode": "01662",
    "city": "Meißen",
    "vat_id": "",
    "order_reference": "Azubi-2027",
}


def people(n, *, without_email=()):
    return [
        {
            "first_name": "Lehrling",
            "last_name": f"Nummer{chr(65 + i)}",
            "email": "" if i in without_email else f"azubi{i}@example.org",
            "role": "apprentice",
        }
        for i in range(n)
    ]


def priced_date(capacity=10, days=40, **course_fields):
    values = {"price": Decimal("200.00"), "member_price": Decimal("150.00")}
    values.update(course_fields)
    return course_date(course_page(**values), capacity=capacity, days=days)


def book(date, n=3, **kwargs):
    return bookings.request_booking(date.pk, BOOKER, people(n, **kwargs.pop("p", {})), **kwargs)


@pytest.fixture
def received():
    """Booking signals received (they are sent after commit)."""
    got = []

    def receiver(signal):
        def handler(sender, **kwargs):
            got.append((signal, kwargs))

        return handler

    handlers = {
        name: receiver(name)
        for name in (
            "booking_confirmed",
            "booking_participant_confirmed",
            "booking_participant_cancelled",
        )
    }
    for name, handler in handlers.items():
        getattr(signals, name).connect(handler, sender=Booking, weak=False)
    yield got
    for name, handler in handlers.items():
        getattr(signals, name).disconnect(handler, sender=Booking)


def test_all_fit_all_confirmed_with_one_mail_to_confirm(
    django_capture_on_commit_callbacks, received
):
    date = priced_date(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(date, 3, p={"without_email": (2,)}).booking
    assert booking.status == Booking.Status.PENDING
    assert [m.to for m in mail.outbox] == [[BOOKER["email"]]]
    assert date.enrolments.filter(status="pending").count() == 3
    date.refresh_from_db()
    assert date.seats_confirmed == 0  # no seat before the booker confirms

    with django_capture_on_commit_callbacks(execute=True):
        outcome = bookings.confirm_booking(booking.pk)
    assert outcome.result == "confirmed"
    date.refresh_from_db()
    assert date.seats_confirmed == 3
    assert set(booking.enrolments.values_list("status", flat=True)) == {"confirmed"}
    assert [name for name, _ in received] == ["booking_confirmed"]
    assert len(received[0][1]["enrolments"]) == 3
    # the two with an address get their own mail; the apprentice without one does not
    # (invoicing, listening to booking_confirmed, may mail the booker the invoice too)
    ours = [m for m in mail.outbox[1:] if not m.subject.startswith("Ihre Rechnung")]
    recipients = sorted(m.to[0] for m in ours)
    assert recipients == sorted(["azubi0@example.org", "azubi1@example.org", BOOKER["email"]])
    booker_mail = next(m for m in ours if m.to == [BOOKER["email"]])
    assert "Lehrling NummerC" in booker_mail.body
    assert "Umsatzsteuerfrei nach § 4 Nr. 21" in booker_mail.body
    assert "Kostenfreie Stornierung bis 31 Tage vor Beginn." in booker_mail.body
    assert "Widerrufsbelehrung" not in booker_mail.body  # a business, not a consumer
    # learner accounts for those with an address
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(username="azubi0@example.org").exists()
    # confirming twice changes nothing
    assert bookings.confirm_booking(booking.pk).result == "already"


def test_not_all_fit_asks_first_and_changes_nothing(received):
    date = priced_date(capacity=4)
    confirmed(date, 1)
    confirmed(date, 2)
    booking = book(date, 3).booking
    outcome = bookings.confirm_booking(booking.pk)
    assert outcome.result == "choose" and outcome.free_seats == 2
    date.refresh_from_db()
    assert date.seats_confirmed == 2
    assert set(booking.enrolments.values_list("status", flat=True)) == {"pending"}


def test_split_gives_the_free_seats_and_waitlists_the_rest(
    django_capture_on_commit_callbacks, received
):
    date = priced_date(capacity=4)
    confirmed(date, 1)
    confirmed(date, 2)
    booking = book(date, 3).booking
    with django_capture_on_commit_callbacks(execute=True):
        outcome = bookings.confirm_booking(booking.pk, choice=bookings.SPLIT)
    assert len(outcome.confirmed) == 2 and len(outcome.waitlisted) == 1
    date.refresh_from_db()
    assert date.seats_confirmed == 4 == date.enrolments.holding_seats().count()
    assert received[-1][1]["enrolments"] == outcome.confirmed
    # someone else leaves: the waitlisted apprentice moves up, invoicing hears of it
    other = date.enrolments.get(email="person1@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(other.pk)
    moved = outcome.waitlisted[0]
    moved.refresh_from_db()
    assert moved.status == "confirmed"
    assert received[-1][0] == "booking_participant_confirmed"
    assert received[-1][1]["enrolment"].pk == moved.pk


def test_waitlist_all_keeps_them_together(django_capture_on_commit_callbacks):
    date = priced_date(capacity=4)
    first, second = confirmed(date, 1), confirmed(date, 2)
    booking = book(date, 3).booking
    outcome = bookings.confirm_booking(booking.pk, choice=bookings.WAITLIST_ALL)
    assert outcome.confirmed == [] and len(outcome.waitlisted) == 3
    booking.refresh_from_db()
    assert booking.keep_together
    date.refresh_from_db()
    assert date.seats_confirmed == 2  # the two free seats stay free for others
    late = confirmed(date, 3)
    assert late.status == "confirmed"  # someone alone may take a free seat
    services.cancel(first.pk)
    # 2 free now, 3 wait together: nobody of the group moves up alone
    assert booking.enrolments.filter(status="confirmed").count() == 0
    services.cancel(second.pk)
    services.cancel(late.pk)
    assert booking.enrolments.filter(status="confirmed").count() == 3
    date.refresh_from_db()
    assert date.seats_confirmed == 3 == date.enrolments.holding_seats().count()


def test_member_early_and_regular_price_are_stored():
    date = priced_date(
        early_price=Decimal("120.00"),
        early_price_until=timezone.localdate() + datetime.timedelta(days=5),
    )
    guild = Guild.objects.first()
    assert guild is not None  # the guilds of the Kreishandwerkerschaft exist
    early = bookings.request_booking(date.pk, BOOKER, people(1), guild=guild).booking
    assert (early.unit_price, early.price_kind) == (Decimal("120.00"), "early")
    later = timezone.now() + datetime.timedelta(days=10)
    member = bookings.request_booking(date.pk, BOOKER, people(1), guild=guild, now=later).booking
    assert (member.unit_price, member.price_kind) == (Decimal("150.00"), "member")
    other = dict(BOOKER, email="privat@example.org")
    regular = bookings.request_booking(date.pk, other, people(2)[1:], now=later).booking
    assert (regular.unit_price, regular.price_kind) == (Decimal("200.00"), "regular")
    assert list(member.enrolments.values_list("price", flat=True)) == [Decimal("150.00")]


def test_too_many_or_no_participants_are_refused():
    date = priced_date(capacity=30)
    with pytest.raises(services.EnrolmentError):
        bookings.request_booking(date.pk, BOOKER, [])
    with pytest.raises(services.EnrolmentError):
        bookings.request_booking(date.pk, BOOKER, people(21))
    assert not Booking.objects.exists()


def test_someone_already_on_the_date_is_not_booked_twice(django_capture_on_commit_callbacks):
    date = priced_date()
    confirmed(date, 1)
    crew = people(2)
    crew[1]["email"] = "person1@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        booking = bookings.request_booking(date.pk, BOOKER, crew).booking
    assert booking.enrolments.count() == 1
    assert "schon angemeldet oder vorgemerkt" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [BOOKER["email"]]


# --- fees --------------------------------------------------------------------------


def at(y, m, d, h=10, minute=0):
    return datetime.datetime(y, m, d, h, minute, tzinfo=BERLIN)


@pytest.mark.parametrize(
    "cancelled, expected",
    [
        (at(2027, 2, 26, 23, 59), "0.00"),  # 31 days before
        (at(2027, 2, 27, 0, 1), "50.00"),  # 30 days: 25 %
        (at(2027, 3, 14, 23, 59), "50.00"),  # 15 days
        (at(2027, 3, 15, 0, 0), "100.00"),  # 14 days: 50 %
        (at(2027, 3, 21, 23, 59), "100.00"),  # 8 days
        (at(2027, 3, 22, 0, 0), "200.00"),  # 7 days: 100 %
        (at(2027, 3, 29, 8, 0), "200.00"),  # the first day itself
    ],
)
def test_fee_counts_calendar_days_in_berlin_across_the_spring_clock_change(cancelled, expected):
    # the clocks go forward on 28 March 2027: the night before the start is an hour short
    start = at(2027, 3, 29, 9, 0)
    assert terms.fee(Decimal("200.00"), start, cancelled) == Decimal(expected)


def test_fee_across_the_autumn_clock_change_and_in_utc():
    start = at(2027, 10, 31, 9, 0)  # the clocks go back that very night
    utc = datetime.UTC
    # 7 days before in Berlin is 24 October; 22:30 UTC on 23 October is already 00:30 on the 24th there
    assert terms.days_before(start, datetime.datetime(2027, 10, 23, 22, 30, tzinfo=utc)) == 7
    assert terms.days_before(start, datetime.datetime(2027, 10, 23, 21, 59, tzinfo=utc)) == 8
    assert terms.fee(Decimal("99.99"), start, at(2027, 10, 17, 12)) == Decimal("50.00")  # 14 d
    assert terms.fee(Decimal("0"), start, at(2027, 10, 30, 12)) == Decimal("0.00")


def _seated_booking(date, n=3, now=None):
    booking = bookings.request_booking(date.pk, BOOKER, people(n), now=now).booking
    bookings.confirm_booking(booking.pk, now=now)
    return booking


def test_partial_cancellation_charges_the_terms_fee_and_frees_the_seat(
    django_capture_on_commit_callbacks, received
):
    start = timezone.now() + datetime.timedelta(days=40)
    date = priced_date(capacity=3)
    CourseDate.objects.filter(pk=date.pk).update(
        start=start, end=start + datetime.timedelta(hours=6)
    )
    date.refresh_from_db()
    booking = _seated_booking(date, 3)
    waiting = confirmed(date, 9)
    assert waiting.status == "waitlisted"
    first, second, third = booking.enrolments.order_by("pk")
    # 20 calendar days before the start: 25 %
    when = start - datetime.timedelta(days=20)
    assert bookings.cancellation_fee(first, when) == Decimal("50.00")
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel_participants(booking.pk, [first.pk], now=when)
    first.refresh_from_db()
    assert first.status == "cancelled" and first.cancellation_fee == Decimal("50.00")
    (payload,) = [kw for name, kw in received if name == "booking_participant_cancelled"]
    assert payload["enrolment"].pk == first.pk
    assert payload["fee"] == Decimal("50.00") and payload["by_academy"] is False
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"  # the freed seat went to the waitlist
    assert ("booking_participant_confirmed", waiting.booking_id) in [
        (name, kw["booking"].pk) for name, kw in received
    ]
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert booking.amount_total() == Decimal("400.00")
    # the rest, 5 days before: 100 % each; the booking is then cancelled
    late = start - datetime.timedelta(days=5)
    bookings.cancel_participants(booking.pk, [second.pk, third.pk], now=late)
    second.refresh_from_db()
    assert second.cancellation_fee == Decimal("200.00")
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_course_terms_override_the_academy_terms():
    date = priced_date()
    CourseBookingTerms.objects.create(
        course=date.course,
        free_until_days=3,
        fee_stages=[("stage", {"days": 2, "percent": 10})],
        substitute_allowed=False,
    )
    rules = terms.for_date(date)
    assert rules.course_specific and rules.percent(5) == 0 and rules.percent(1) == 10
    booking = _seated_booking(date, 1)
    with pytest.raises(services.EnrolmentError):
        bookings.swap_participant(
            booking.enrolments.get().pk, {"first_name": "A", "last_name": "B"}
        )


def test_a_swap_keeps_seat_and_price_without_a_fee(django_capture_on_commit_callbacks, received):
    date = priced_date(capacity=3)
    booking = _seated_booking(date, 3)
    old = booking.enrolments.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        new = bookings.swap_participant(
            old.pk, {"first_name": "Neue", "last_name": "Person", "email": "", "role": "apprentice"}
        )
    old.refresh_from_db()
    assert old.status == "cancelled" and old.cancelled_by == "substituted"
    assert old.replaced_by == new and new.status == "confirmed" and new.price == old.price
    date.refresh_from_db()
    assert date.seats_confirmed == 3 == date.enrolments.holding_seats().count()
    assert not [r for r in received if r[0] == "booking_participant_cancelled"]
    assert "Statt Lehrling NummerA nimmt jetzt Neue Person teil" in mail.outbox[-1].body


def test_the_academy_cancelling_the_date_costs_nothing(
    django_capture_on_commit_callbacks, received
):
    date = priced_date(capacity=3, days=3)
    booking = _seated_booking(date, 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_course_date(date.pk, "Zu wenige Anmeldungen")
    cancelled = [r[1] for r in received if r[0] == "booking_participant_cancelled"]
    assert len(cancelled) == 2
    assert all(p["fee"] == 0 and p["by_academy"] for p in cancelled)
    assert booking.enrolments.filter(cancellation_fee__gt=0).count() == 0


def test_the_single_form_makes_a_booking_when_the_date_costs_money(
    django_capture_on_commit_callbacks, received
):
    date = priced_date()
    from tests.enrolment.builders import person

    outcome = services.request_enrolment(date.pk, person(1, billing="company"))
    booking = outcome.enrolment.booking
    assert booking is not None and booking.unit_price == Decimal("200.00")
    assert booking.is_consumer is False
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(outcome.enrolment.pk)
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert received[-1][0] == "booking_confirmed"
    # a free date needs no booking
    free = course_date(capacity=3)
    assert services.request_enrolment(free.pk, person(2)).enrolment.booking is None


def test_a_single_participant_cancelling_late_pays_the_fee():
    date = priced_date(days=10)
    from tests.enrolment.builders import person

    enrolment = services.request_enrolment(date.pk, person(1)).enrolment
    services.confirm(enrolment.pk)
    services.cancel(enrolment.pk)
    enrolment.refresh_from_db()
    assert enrolment.cancellation_fee == Decimal("100.00")  # 10 days before: 50 %


# --- consumers ---------------------------------------------------------------------


def test_consumers_get_the_withdrawal_information_and_their_consent_is_stored(
    django_capture_on_commit_callbacks,
):
    date = priced_date(days=10)
    assert bookings.needs_withdrawal_consent(date)
    private = dict(BOOKER, company="")
    with django_capture_on_commit_callbacks(execute=True):
        booking = bookings.request_booking(
            date.pk, private, people(1), is_consumer=True, withdrawal_consent=True
        ).booking
        bookings.confirm_booking(booking.pk)
    booking.refresh_from_db()
    assert booking.withdrawal_consent_at is not None
    assert booking.withdrawal_consent_version == bookings.WITHDRAWAL_CONSENT_VERSION
    body = next(m for m in mail.outbox if m.subject.startswith("Ihre Buchung ist bestätigt")).body
    assert "Widerrufsbelehrung" in body and "Muster-Widerrufsformular" in body
    assert "Ich verlange ausdrücklich" in body


def test_no_consent_is_needed_when_the_date_starts_after_the_withdrawal_period():
    assert not bookings.needs_withdrawal_consent(priced_date(days=20))
    date = priced_date(days=15)
    now = timezone.now()
    # 14 calendar days before the first day is still within the period
    assert bookings.needs_withdrawal_consent(date, now + datetime.timedelta(days=1))


def test_go_no_go_lists_dates_whose_decision_day_is_near(settings):
    from enrolment import dashboard

    settings.ENROLMENT_GO_NO_GO_DAYS = 7
    # starts in 20 days: outside the 7-day window, but the decision (14 days before,
    # the academy's terms) is due in 6 days
    soon_to_decide = course_date(days=20, min_participants=3)
    far = course_date(days=40, min_participants=3)
    assert list(dashboard.below_minimum()) == [soon_to_decide]
    decision = dashboard.decision_dates([soon_to_decide])[soon_to_decide.pk]
    assert decision == terms.local_day(soon_to_decide.start) - datetime.timedelta(days=14)
    # a course with its own terms decides 30 days ahead: the far date is due too
    CourseBookingTerms.objects.create(course=far.course, decision_days=35)
    assert list(dashboard.below_minimum()) == [soon_to_decide, far]


def test_the_demo_has_two_guild_member_businesses_with_bookings():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    demo = Booking.objects.filter(guild__isnull=False).order_by("pk")
    assert demo.count() == 2
    three, without = demo
    assert three.status == without.status == "confirmed"
    assert three.enrolments.filter(status="confirmed", role="apprentice").count() == 3
    assert set(without.enrolments.values_list("email", flat=True)) == {""}
    for booking in demo:
        date = booking.course_date
        assert date.seats_confirmed == date.enrolments.holding_seats().count()
