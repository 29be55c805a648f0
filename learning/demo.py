"""Demo learner area: lesson material for three courses, a past date the demo
learner attended, and a first lesson done (idempotent; after the enrolment demo)."""

from django.utils import timezone

from courses.models import CourseDate
from enrolment import services
from enrolment.demo import LEARNER
from enrolment.models import Enrolment, OutgoingMail

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
    from .lessons import LessonPage, MaterialPage

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

    from .lessons import course_access

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


def load(stdout=None) -> dict:
    from courses.models import CoursePage

    from . import editor_roles, learner
    from .models import LessonProgress

    # Trainers may edit their demo material (also material made below); changes go to review.
    editor_roles.connect()
    editor_roles.ensure_all()

    last_mail = OutgoingMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
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
    # demo people get no mail
    OutgoingMail.objects.filter(pk__gt=last_mail).delete()
    if stdout is not None:
        stdout.write(f"Lernbereich: {made} Lektionen angelegt.")
    return {"lessons": made}
