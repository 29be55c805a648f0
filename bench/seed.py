"""Seed the benchmark database: the demo site, then a large catalogue on top of it
(about 300 courses with 1,200 dates, 500 news articles, 5,000 enrolments, images)."""

import datetime
import json
import random
from importlib import import_module
from importlib.util import find_spec

from bench.django_setup import model, setup

setup()

from django.apps import apps  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.search.index import insert_or_update_object as index_object  # noqa: E402

from home.images import get_or_create_image  # noqa: E402

# by class name: the apps holding them may change (news, learning), the models do not
CourseDate = model("CourseDate")
CourseIndexPage = model("CourseIndexPage")
CoursePage = model("CoursePage")
TargetGroup = model("TargetGroup")
Topic = model("Topic")
Trade = model("Trade")
Trainer = model("Trainer")
Enrolment = model("Enrolment")
NewsIndexPage = model("NewsIndexPage")
NewsPage = model("NewsPage")

COURSES = 300
DATES_PER_COURSE = 4
NEWS = 500
ENROLMENTS = 5000
CITIES = [("Riesa", False), ("Meißen", False), ("Großenhain", False), ("", True)]
WORDS = [
    "Digitalisierung",
    "Handwerk",
    "Betriebsnachfolge",
    "Auftragsabwicklung",
    "Werkstatt",
    "Kreativwirtschaft",
    "Zeiterfassung",
    "Förderung",
    "Social Media",
    "3D-Druck",
    "Kalkulation",
    "Nachwuchs",
]


def paragraph(rng, sentences=4) -> str:
    text = " ".join(
        f"{rng.choice(WORDS)} im {rng.choice(WORDS)}betrieb: praxisnah und verständlich erklärt."
        for _ in range(sentences)
    )
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"}])


def seed_demo() -> None:
    """The public demo content (site, pages, news, catalogue), ground floor first; no
    accounts or enrolments (the seeded enrolments below are the only bookings)."""
    for app_label in ("home", "news", "courses"):
        if apps.is_installed(app_label) and find_spec(f"{app_label}.demo") is not None:
            import_module(f"{app_label}.demo").load()


def seed_courses(rng) -> None:
    index = CourseIndexPage.objects.get()
    topics = list(Topic.objects.all())
    groups = list(TargetGroup.objects.all())
    trades = list(Trade.objects.all())
    trainers = list(Trainer.objects.all())
    images = [get_or_create_image(f"Kursbild {n}") for n in range(20)]
    existing = CoursePage.objects.count()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for n in range(existing, COURSES):
        title = f"{rng.choice(WORDS)} kompakt {n}: {rng.choice(WORDS)} für Betriebe"
        page = CoursePage(
            title=title,
            slug=f"kurs-{n}",
            teaser=f"Ein Kurs über {rng.choice(WORDS)} und {rng.choice(WORDS)} im Handwerk.",
            description=paragraph(rng),
            image=rng.choice(images),
            image_alt="Werkstattbild",
            format=rng.choice(["presence", "online", "hybrid"]),
            duration_hours=8,
            teaching_units=10,
            price=rng.choice([0, 0, 0, 49, 120]),
        )
        dates = []
        for d in range(DATES_PER_COURSE):
            start = now + datetime.timedelta(days=rng.randint(3, 300), hours=d)
            city, online = rng.choice(CITIES)
            dates.append(
                CourseDate(
                    start=start,
                    end=start + datetime.timedelta(hours=7),
                    city=city,
                    is_online=online,
                    venue_name="" if online else f"Schulungszentrum {city}",
                    capacity=rng.choice([8, 12, 16]),
                    registration_deadline=start - datetime.timedelta(days=2),
                )
            )
        page.topics = rng.sample(topics, k=min(len(topics), rng.randint(1, 2)))
        page.target_groups = rng.sample(groups, k=min(len(groups), 2))
        page.trades = rng.sample(trades, k=min(len(trades), 2))
        page.trainers = rng.sample(trainers, k=1)
        index.add_child(instance=page)
        page.save_revision().publish()
        for date in dates:  # rows of their own, not part of the page's revisions
            date.course = page
        CourseDate.objects.bulk_create(dates)
        index_object(page)  # found by the places of its dates


def seed_news(rng) -> None:
    index = NewsIndexPage.objects.get()
    images = [get_or_create_image(f"Nachrichtenbild {n}") for n in range(20)]
    existing = NewsPage.objects.count()
    now = timezone.now()
    categories = [value for value, _label in NewsPage._meta.get_field("category").choices]
    for n in range(existing, NEWS):
        page = NewsPage(
            title=f"{rng.choice(WORDS)}: Neues aus dem Bündnis ({n})",
            slug=f"meldung-{n}",
            date=now - datetime.timedelta(days=n, hours=rng.randint(0, 12)),
            category=rng.choice(categories),
            teaser=f"Neuigkeiten zu {rng.choice(WORDS)} und {rng.choice(WORDS)}.",
            lead_image=rng.choice(images),
            lead_image_alt="Menschen in einer Werkstatt",
            body=paragraph(rng, 8),
        )
        index.add_child(instance=page)
        page.save_revision().publish()


@transaction.atomic
def seed_enrolments(rng) -> None:
    missing = ENROLMENTS - Enrolment.objects.count()
    if missing <= 0:
        return
    dates = list(CourseDate.objects.planned().order_by("pk"))
    now = timezone.now()
    rows = []
    per_date = {}
    waiting = {}
    for n in range(missing):
        date = dates[n % len(dates)]
        taken = per_date.get(date.pk, date.seats_confirmed)
        confirmed = taken < date.capacity
        per_date[date.pk] = taken + 1 if confirmed else taken
        if not confirmed:
            waiting[date.pk] = waiting.get(date.pk, 0) + 1
        rows.append(
            Enrolment(
                course_date=date,
                status=Enrolment.Status.CONFIRMED if confirmed else Enrolment.Status.WAITLISTED,
                waitlist_position=None if confirmed else waiting[date.pk],
                first_name="Erika",
                last_name=f"Muster {n}",
                email=f"person{n}@example.org",
                role=rng.choice([value for value, _label in Enrolment.Role.choices]),
                postcode="01662",
                privacy_version="bench",
                email_confirmed_at=now,
                seat_confirmed_at=now if confirmed else None,
            )
        )
    Enrolment.objects.bulk_create(rows, batch_size=500)
    counts = CourseDate.objects.annotate(
        confirmed=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED))
    ).values_list("pk", "confirmed")
    for pk, confirmed in counts:
        CourseDate.objects.filter(pk=pk).update(seats_confirmed=confirmed)


def main() -> None:
    rng = random.Random(2026)  # noqa: S311 – deterministic benchmark data
    seed_demo()
    seed_courses(rng)
    seed_news(rng)
    seed_enrolments(rng)
    print(
        f"Seeded {CoursePage.objects.count()} courses, {CourseDate.objects.count()} dates, "
        f"{NewsPage.objects.count()} news, {Enrolment.objects.count()} enrolments."
    )


if __name__ == "__main__":
    main()
