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


def load(stdout=None) -> dict:
    from courses import editor_roles

    assign_demo_roles()
    # Trainers may edit their demo material (also material made below); changes go to review.
    editor_roles.connect()
    editor_roles.ensure_all()
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

    # Demo people get no mail: drop what the services queued (the after-commit
    # task finds nothing to send).
    load_learner_area(stdout)
    OutgoingMail.objects.filter(pk__gt=last_mail).delete()
    if stdout is not None:
        stdout.write(f"Anmeldungen: {made} Demo-Anmeldungen angelegt.")
    return {"enrolments": made}


# --- Learner area: lessons, a past attended date, progress ------------------------

LESSONS = {
    "Digitale Auftragsabwicklung im Handwerksbetrieb": [
        (
            "Vom Anruf zum Auftrag",
            "Wie eine Anfrage ohne Zettelwirtschaft zum Auftrag wird.",
            "<p>Jede Anfrage bekommt sofort eine Nummer im Programm: Name, Telefon, "
            "Baustelle und Wunschtermin. So geht nichts verloren, auch wenn der Chef "
            "auf der Baustelle ist.</p>",
        ),
        (
            "Angebote mit Textbausteinen",
            "Schneller zum Angebot mit Vorlagen und Leistungsverzeichnis.",
            "<p>Legen Sie für Ihre häufigsten Leistungen Textbausteine mit Preisen an. "
            "Ein Angebot ist dann in wenigen Minuten fertig und sieht immer gleich aus.</p>",
        ),
        (
            "Rechnung und Mahnwesen",
            "E-Rechnung, Zahlungsziele und freundliche Erinnerungen.",
            "<p>Seit 2025 müssen Betriebe E-Rechnungen empfangen können. Das Programm "
            "erzeugt XRechnung oder ZUGFeRD direkt aus dem Auftrag.</p>",
        ),
    ],
    "Betriebsnachfolge rechtzeitig planen": [
        (
            "Der Fahrplan zur Übergabe",
            "Fünf bis zehn Jahre: warum früh anfangen sich lohnt.",
            "<p>Eine Übergabe braucht Zeit: Nachfolgerin finden, Betrieb bewerten, "
            "Finanzierung klären, Mitarbeitende und Kundschaft mitnehmen.</p>",
        ),
        (
            "Wer kommt in Frage?",
            "Familie, Mitarbeitende oder Externe: Wege zur Nachfolge.",
            "<p>Die Betriebsbörse der Handwerkskammer und die Kreishandwerkerschaft "
            "helfen bei der Suche nach einer passenden Nachfolge.</p>",
        ),
    ],
    "Social Media für Handwerksbetriebe": [
        (
            "Welche Kanäle passen zu uns?",
            "Instagram, Facebook oder Google-Unternehmensprofil.",
            "<p>Fangen Sie mit einem Kanal an, den Sie regelmäßig pflegen können. "
            "Vorher-nachher-Fotos von Baustellen kommen besonders gut an.</p>",
        ),
        (
            "Fotos von der Baustelle",
            "Gute Bilder mit dem Smartphone, Datenschutz inklusive.",
            "<p>Fragen Sie Kundschaft und Mitarbeitende, bevor Sie Fotos zeigen, auf "
            "denen Personen oder Hausnummern zu erkennen sind.</p>",
        ),
    ],
}

QUIZ = {
    "question": "Ab wann müssen Betriebe E-Rechnungen empfangen können?",
    "answers": [
        {"text": "Seit dem 1. Januar 2025", "correct": True},
        {"text": "Erst ab 2030", "correct": False},
        {"text": "Nie, Papier reicht", "correct": False},
    ],
    "explanation": "Seit 2025 gilt die Empfangspflicht; das Ausstellen wird schrittweise Pflicht.",
}


def _ensure_lessons(course) -> int:
    from courses.lessons import LessonPage, MaterialPage

    made = 0
    material = MaterialPage.objects.child_of(course).first()
    if material is None:
        material = MaterialPage(
            title="Kursmaterial",
            slug="kursmaterial",
            intro="Begleitmaterial zum Kurs: zum Vorbereiten und Nachschlagen.",
        )
        course.add_child(instance=material)
        material.save_revision().publish()
    for n, (title, intro, text) in enumerate(LESSONS.get(course.title, []), start=1):
        if LessonPage.objects.child_of(material).filter(title=title).exists():
            continue
        body = [("paragraph", text)]
        if n == 1:
            body.append(
                (
                    "checklist",
                    {
                        "title": "Für Ihren Betrieb",
                        "items": ["Ist-Stand notieren", "Ziel festlegen"],
                    },
                )
            )
        if n == 1:
            document = _demo_document(course)
            body.append(("documents", {"title": "Zum Herunterladen", "documents": [document]}))
        if "Rechnung" in title:
            body.append(("quiz", QUIZ))
        lesson = LessonPage(title=title, slug=f"lektion-{n}", intro=intro, body=body)
        material.add_child(instance=lesson)
        lesson.save_revision().publish()
        made += 1
    return made


def _demo_document(course):
    """A worksheet in the course's private collection (only participants can open it)."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from courses.lessons import course_access

    collection = course_access(course).collection
    title = f"Arbeitsblatt: {course.title}"
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is None:
        text = f"{title}\n\n1. Wo stehen wir heute?\n2. Was wollen wir in einem Jahr erreichen?\n"
        document = Document.objects.create(
            title=title,
            file=ContentFile(text.encode("utf-8"), name="arbeitsblatt.txt"),
            collection=collection,
        )
    return document


def _past_attended_date(course) -> None:
    """A date last month that the demo learner attended (seat counter: confirmed only)."""
    from datetime import timedelta

    from . import attendance, learner

    if Enrolment.objects.filter(email=LEARNER["email"], status=Enrolment.Status.ATTENDED).exists():
        return
    start = (timezone.now() - timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
    date = CourseDate.objects.create(
        course=course,
        start=start,
        end=start + timedelta(hours=7),
        venue_name="Qualifizierungszentrum Riesa",
        venue_address="Pausitzer Straße 60, 01589 Riesa",
        city="Riesa",
        capacity=12,
    )
    # Booked ten days before the start, through the same rule as any booking.
    outcome = services.staff_enrol(date.pk, LEARNER, now=start - timedelta(days=10))
    enrolment = outcome.enrolment
    learner.link_user(enrolment)
    attendance.record(date, {(enrolment.pk, 0): True}, now=start + timedelta(hours=8))


def load_learner_area(stdout=None) -> dict:
    from courses.models import CoursePage

    from . import learner
    from .models import LessonProgress

    courses = {c.title: c for c in CoursePage.objects.filter(title__in=LESSONS)}
    made = sum(_ensure_lessons(course) for course in courses.values())
    succession = courses.get("Betriebsnachfolge rechtzeitig planen")
    if succession is not None:
        _past_attended_date(succession)
    enrolment = Enrolment.objects.filter(email=LEARNER["email"]).first()
    if enrolment is not None:
        user = learner.link_user(enrolment)
        for course in courses.values():
            learner.sync_access(LEARNER["email"])
            first = learner.lessons_of(course)[:1]
            if first and learner.can_view(course, user):
                LessonProgress.objects.get_or_create(user=user, lesson=first[0])
    if stdout is not None:
        stdout.write(f"Lernbereich: {made} Lektionen angelegt.")
    return {"lessons": made}
