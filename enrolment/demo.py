"""Demo enrolments (run by ``manage.py load_demo`` after home and courses).

Made through the services, so seat counters always equal the rows. Seats the
catalogue demo marked as taken are filled with demo people; the learner
lernende@example.org gets one confirmed seat (and a waitlist place on a full
date, if there is one). Idempotent; no demo mail is sent.
"""

from django.utils import timezone

from courses.models import CourseDate

from . import services
from .models import Enrolment, OutgoingMail

LEARNER = {
    "salutation": "frau",
    "first_name": "Lena",
    "last_name": "Lehmann",
    "email": "lernende@example.org",
    "phone": "03521 000000",
    "role": "journeyman",
    "company": "Elektro Lehmann",
    "trade": "Elektrotechnik",
    "postcode": "01662",
    "billing": "private",
}
FIRST_NAMES = ["Jonas", "Marie", "Paul", "Sophie", "Felix", "Emma", "Lukas", "Hannah", "Tom", "Lea"]
LAST_NAMES = ["Richter", "Schubert", "Wagner", "Krause", "Hoffmann", "Lange", "Vogel", "Fischer"]
TRADES = ["Tischler", "Dachdecker", "Elektrotechnik", "Maler", "Bäcker", "Metallbau"]


def _person(date_pk: int, n: int) -> dict:
    return {
        "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
        "last_name": LAST_NAMES[(n + date_pk) % len(LAST_NAMES)],
        "email": f"demo-{date_pk}-{n}@example.org",
        "role": ["apprentice", "journeyman", "master", "owner", "successor"][n % 5],
        "trade": TRADES[n % len(TRADES)],
        "postcode": "01587",
        "company": f"{TRADES[n % len(TRADES)]} {LAST_NAMES[n % len(LAST_NAMES)]}",
    }


def _fill_taken_seats(date: CourseDate, wanted: int) -> int:
    """Book ``wanted`` demo people onto the date, through the services like anyone."""
    counted = date.enrolments.filter(status__in=Enrolment.SEAT_STATUSES).count()
    made = 0
    n = 0
    while counted + made < min(wanted, date.capacity) and n < wanted * 3:
        try:
            services.staff_enrol(date.pk, _person(date.pk, n))
            made += 1
        except services.EnrolmentError:
            pass
        n += 1
    return made


def _occupancy(dates) -> dict[int, int]:
    """Seats to fill per date id, from the catalogue demo's wish list."""
    from courses.demo import wanted_occupancy

    wanted = wanted_occupancy()
    positions: dict[int, int] = {}
    result = {}
    for date in dates:  # soonest first
        position = positions.get(date.course_id, 0)
        positions[date.course_id] = position + 1
        result[date.pk] = wanted.get((date.course.slug, position), 0)
    return result


DEMO_ROLES = {"redaktion": "Redaktion", "trainer": "Trainer"}


def assign_demo_roles() -> None:
    """The demo staff and trainer accounts get their Wagtail groups (idempotent)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    for username, group_name in DEMO_ROLES.items():
        user = get_user_model().objects.filter(username=username).first()
        if user is not None:
            group, _created = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)


def demo_billing_settings() -> None:
    """Invented tax and bank data, so that demo invoices show every field (kept when
    someone has entered their own)."""
    from wagtail.models import Site

    from .models import InvoiceSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    billing = InvoiceSettings.for_site(site)
    if billing.tax_number or billing.vat_id or billing.iban:
        return
    billing.tax_number = "209/100/00000"
    billing.bank_name = "Demo-Bank Meißen"
    billing.iban = "DE02120300000000202051"
    billing.bic = "BYLADEM1001"
    billing.save()


def load(stdout=None) -> dict:
    assign_demo_roles()
    demo_billing_settings()
    now = timezone.now()
    dates = list(
        CourseDate.objects.planned()
        .filter(start__gt=now)
        .select_related("course")
        .order_by("start")
    )
    if not dates:
        return {}
    last_mail = OutgoingMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    occupancy = _occupancy(dates)
    made = sum(_fill_taken_seats(date, occupancy[date.pk]) for date in dates)
    dates = list(CourseDate.objects.filter(pk__in=[d.pk for d in dates]).order_by("start"))

    learner = Enrolment.objects.active().filter(email=LEARNER["email"])
    open_dates = [d for d in dates if services.closed_reason(d, now) is None]
    if not learner.filter(status=Enrolment.Status.CONFIRMED).exists():
        free = [d for d in open_dates if d.seats_confirmed < d.capacity]
        if free:
            services.staff_enrol(free[0].pk, LEARNER)
            made += 1
    full = [
        d
        for d in CourseDate.objects.planned()
        .filter(pk__in=[d.pk for d in open_dates])
        .order_by("start")
        if d.seats_confirmed >= d.capacity
    ]
    if (
        full
        and not learner.filter(status=Enrolment.Status.WAITLISTED).exists()
        and not learner.filter(course_date=full[0]).exists()
    ):
        services.staff_enrol(full[0].pk, LEARNER)
        made += 1

    made += _demo_bookings(open_dates, now)

    # Demo people get no mail: drop what the services queued (the after-commit
    # task finds nothing to send).
    OutgoingMail.objects.filter(pk__gt=last_mail).delete()
    if stdout is not None:
        stdout.write(f"Anmeldungen: {made} Demo-Anmeldungen angelegt.")
    return {"enrolments": made}


#: Two guild member businesses that book their apprentices: one gives their
#: addresses, the other books two apprentices who have none (mail goes to the office).
DEMO_BOOKINGS = [
    (
        {
            "first_name": "Karl",
            "last_name": "Meister",
            "email": "buero@tischlerei-meister.example.org",
            "phone": "03521 471100",
            "company": "Tischlerei Meister GmbH",
            "street": "Elbstraße 3",
            "postcode": "01662",
            "city": "Meißen",
            "order_reference": "Azubi-Schulung 2027",
        },
        "Tischler-Innung Region Meißen",
        [
            ("Finn", "Albrecht", "finn.albrecht@example.org"),
            ("Mia", "Baumann", "mia.baumann@example.org"),
            ("Ben", "Seidel", "ben.seidel@example.org"),
        ],
    ),
    (
        {
            "first_name": "Sabine",
            "last_name": "Kühn",
            "email": "info@dach-kuehn.example.org",
            "phone": "03525 88120",
            "company": "Dachdeckerei Kühn",
            "street": "Hauptstraße 41",
            "postcode": "01587",
            "city": "Riesa",
            "vat_id": "DE812345678",
        },
        "Dachdecker-Innung Meißen",
        [("Leon", "Franke", ""), ("Lina", "Pohl", "")],
    ),
]


def _demo_bookings(open_dates, now) -> int:
    """The demo bookings of guild member businesses, on an open date with room and a
    price (else any open date with room). Idempotent."""
    from . import bookings
    from .models import Booking, Guild

    made = 0
    for booker, guild_name, apprentices in DEMO_BOOKINGS:
        if Booking.objects.filter(email=booker["email"]).exists():
            continue
        fitting = [
            d
            for d in CourseDate.objects.filter(pk__in=[d.pk for d in open_dates]).select_related(
                "course"
            )
            if d.capacity - d.seats_confirmed >= len(apprentices)
        ]
        fitting.sort(key=lambda d: (not d.effective_price, d.start))
        if not fitting:
            continue
        people = [
            {"first_name": first, "last_name": last, "email": email, "role": "apprentice"}
            for first, last, email in apprentices
        ]
        guild = Guild.objects.get_or_create(name=guild_name)[0]
        booking = bookings.request_booking(
            fitting[0].pk, booker, people, guild=guild, now=now
        ).booking
        bookings.confirm_booking(booking.pk, now=now)
        made += len(people)
    return made
