"""Demo content of the catalogue: topics, target groups, trades, trainers, courses, dates.

Called by ``manage.py load_demo`` after ``home.demo``; idempotent. Dates lie in the
coming months relative to today; a course whose demo dates have all passed gets new ones.
"""

import datetime
import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page, Site

from home.demo_images import (
    BLUE,
    GREEN,
    ORANGE,
    PURPLE,
    RED,
    TEAL,
    illustration_image,
    motif_alt,
    portrait_image,
)
from home.models import HomePage, Partner

from .funding_data import ensure_programmes
from .funding_models import Qualification, Schedule
from .models import (
    CourseDate,
    CourseFormat,
    CourseIndexPage,
    CoursePage,
    ProviderSettings,
    TargetGroup,
    Topic,
    Trade,
    Trainer,
)

TOPICS = [
    {
        "slug": "digitalisierung",
        "name": "Digitalisierung",
        "colour": "blue",
        "icon": "digital",
        "description": (
            "Vom digitalen Aufmaß bis zur Rechnung: Werkzeuge und Abläufe, die im "
            "Handwerksalltag Zeit sparen."
        ),
    },
    {
        "slug": "betriebsnachfolge",
        "name": "Betriebsnachfolge",
        "colour": "green",
        "icon": "handover",
        "description": (
            "Den Betrieb rechtzeitig übergeben oder übernehmen – mit Plan, fairem Preis und "
            "guter Beratung."
        ),
    },
    {
        "slug": "innovation-kreativwirtschaft",
        "name": "Innovation & Kreativwirtschaft",
        "colour": "orange",
        "icon": "spark",
        "description": (
            "Neue Produkte und Dienstleistungen gemeinsam mit Designerinnen, Entwicklern und "
            "Kreativen entwickeln."
        ),
    },
]

TARGET_GROUPS = [
    ("auszubildende", "Auszubildende"),
    ("gesellen", "Gesellinnen und Gesellen"),
    ("meister-inhaber", "Meisterinnen und Meister / Betriebsinhaber"),
    ("nachfolger", "Nachfolgerinnen und Nachfolger"),
    ("beschaeftigte", "Beschäftigte"),
]

TRADES = [
    ("metall-elektro", "Metall/Elektro"),
    ("bau-ausbau", "Bau/Ausbau"),
    ("holz", "Holz"),
    ("gesundheit", "Gesundheit"),
    ("lebensmittel", "Lebensmittel"),
    ("kreativ", "Kreativ"),
]

TRAINERS = [
    {
        "name": "Tom Tischler",
        "partner": "Qualifizierungszentrum Region Riesa GmbH",
        "user": "trainer",
        "bio": (
            "Tischlermeister und Ausbilder am Qualifizierungszentrum Riesa. Bringt CNC, "
            "3D-Druck und digitale Planung in die Werkstatt."
        ),
    },
    {
        "name": "Dr. Katrin Albrecht",
        "partner": "Berufsakademie Sachsen – Staatliche Studienakademie Riesa",
        "bio": (
            "Lehrt Betriebswirtschaft an der Studienakademie Riesa und begleitet seit vielen "
            "Jahren Übergaben im Handwerk."
        ),
    },
    {
        "name": "Jens Hoffmann",
        "partner": "Kreishandwerkerschaft Region Meißen",
        "bio": (
            "Betriebsberater der Kreishandwerkerschaft; kennt Fördermittel, Kalkulation und die "
            "Fragen kleiner Betriebe aus erster Hand."
        ),
    },
    {
        "name": "Marie Sommer",
        "partner": "Kreatives Sachsen",
        "bio": (
            "Produktdesignerin; bringt Handwerksbetriebe und Kreative in Workshops zusammen, "
            "aus denen neue Produkte entstehen."
        ),
    },
    {
        "name": "Anna Krüger",
        "partner": "CONOSCOPE GmbH",
        "bio": "Innovationsberaterin mit Schwerpunkt Förderprogramme und Digitalisierung.",
    },
    {
        "name": "Felix Brandt",
        "partner": "SMILE – Gründerinitiative der Universität Leipzig",
        "bio": "Begleitet Übernahmegründungen und entwickelt Geschäftsmodelle mit Gründenden.",
    },
]

VENUES = {
    "riesa": {
        "venue_name": "Qualifizierungszentrum Region Riesa",
        "venue_address": "Rostocker Straße 1, 01587 Riesa",
        "city": "Riesa",
    },
    "ba-riesa": {
        "venue_name": "Studienakademie Riesa, Hörsaal 2",
        "venue_address": "Rostocker Straße 2, 01587 Riesa",
        "city": "Riesa",
    },
    "meissen": {
        "venue_name": "Kreishandwerkerschaft Region Meißen, Schulungsraum",
        "venue_address": "Dresdner Straße 77, 01662 Meißen",
        "city": "Meißen",
    },
    "online": {
        "venue_name": "Videokonferenz (Zugangsdaten per E-Mail)",
        "venue_address": "",
        "city": "",
        "is_online": True,
    },
}

CONTACT = {
    "contact_name": "Sabine Richter",
    "contact_email": "akademie@example.org",
    "contact_phone": "03521 4768-20",
}

# the illustration of each demo course (see home.demo_images.MOTIFS)
COURSE_MOTIFS = {
    "digitale-auftragsabwicklung": "digital",
    "social-media-fuer-handwerksbetriebe": "baecker",
    "betriebsnachfolge-rechtzeitig-planen": "besprechung",
    "unternehmenswert-ermitteln": "besprechung",
    "3d-scannen-und-drucken": "3d-druck",
    "design-thinking-kreativwirtschaft": "kreativ",
    "digitale-zeiterfassung": "baustelle",
    "foerdermittel-digitalisierung": "vortrag",
    "digitales-aufmass": "solar",
    "nachfolge-als-chance": "uebergabe",
    "neue-produkte-mit-designerinnen": "tischler",
    "it-sicherheit-im-handwerksbetrieb": "elektro",
    "hygiene-dokumentation-digital": "baecker",
    "meistervorbereitung-teil-iii-und-iv": "werkstatt",
    "digitale-betriebsfuehrung-zertifikatslehrgang": "digital",
}

# how the trainers' illustrated portraits look (the rest follows from the name)
PORTRAIT_LOOKS = {
    "Tom Tischler": {
        "hair_style": "short",
        "beard": True,
        "clothes": "work_jacket",
        "colour": BLUE,
    },
    "Dr. Katrin Albrecht": {
        "hair_style": "bun",
        "beard": False,
        "glasses": True,
        "clothes": "blazer",
        "colour": PURPLE,
    },
    "Jens Hoffmann": {"hair_style": "bald", "beard": True, "clothes": "shirt", "colour": GREEN},
    "Marie Sommer": {"hair_style": "curly", "beard": False, "clothes": "sweater", "colour": ORANGE},
    "Anna Krüger": {"hair_style": "long", "beard": False, "clothes": "blazer", "colour": TEAL},
    "Felix Brandt": {"hair_style": "short", "beard": False, "clothes": "shirt", "colour": RED},
}

# Each date: (days from today, venue, start hour, end hour, capacity, seats taken, extras)
COURSES = [
    {
        "slug": "digitale-auftragsabwicklung",
        "title": "Digitale Auftragsabwicklung im Handwerksbetrieb",
        "teaser": (
            "Vom Angebot über den Auftrag bis zur Rechnung ohne Zettelwirtschaft: Sie lernen "
            "Handwerkersoftware kennen und planen den Umstieg in Ihrem Betrieb."
        ),
        "topics": ["digitalisierung"],
        "target_groups": ["meister-inhaber", "beschaeftigte"],
        "trades": ["metall-elektro", "bau-ausbau", "holz"],
        "trainers": ["Jens Hoffmann", "Tom Tischler"],
        "format": CourseFormat.PRESENCE,
        "hours": "16",
        "units": 21,
        "price": "0",
        "funding": "Gefördert im Programm WIR! – für Betriebe aus dem Landkreis Meißen kostenfrei.",
        "certificate": "Teilnahmebescheinigung der Kreishandwerkerschaft Region Meißen",
        "dates": [
            (12, "riesa", 9, 16, 12, 11, {"sessions": 2}),
            (47, "meissen", 9, 16, 12, 3, {"sessions": 2}),
        ],
    },
    {
        "slug": "social-media-fuer-handwerksbetriebe",
        "title": "Social Media für Handwerksbetriebe",
        "teaser": (
            "Instagram, Facebook und Google-Profil: wie Sie Ihre Arbeit zeigen, Kundschaft und "
            "Fachkräfte finden – mit wenig Zeitaufwand."
        ),
        "topics": ["digitalisierung", "innovation-kreativwirtschaft"],
        "target_groups": ["meister-inhaber", "gesellen", "auszubildende"],
        "trades": ["kreativ", "lebensmittel", "holz"],
        "trainers": ["Marie Sommer"],
        "format": CourseFormat.ONLINE,
        "hours": "6",
        "units": 8,
        "price": "0",
        "funding": "Kostenfrei dank Förderung durch das Bundesministerium für Bildung und Forschung.",
        "certificate": "Teilnahmebescheinigung",
        "dates": [
            (9, "online", 17, 20, 20, 18, {}),
            (30, "online", 17, 20, 20, 4, {}),
            (65, "online", 17, 20, 20, 0, {}),
        ],
    },
    {
        "slug": "betriebsnachfolge-rechtzeitig-planen",
        "title": "Betriebsnachfolge rechtzeitig planen",
        "teaser": (
            "Fünf bis zehn Jahre vor der Übergabe beginnen: Zeitplan, Nachfolgesuche in Familie "
            "und Belegschaft, Steuern und Recht im Überblick."
        ),
        "topics": ["betriebsnachfolge"],
        "target_groups": ["meister-inhaber", "nachfolger"],
        "trades": [],
        "trainers": ["Dr. Katrin Albrecht", "Jens Hoffmann"],
        "format": CourseFormat.PRESENCE,
        "hours": "6",
        "units": 8,
        "price": "0",
        "funding": "Kostenfrei für Mitgliedsbetriebe der Innungen.",
        "certificate": "Teilnahmebescheinigung",
        "dates": [
            (16, "meissen", 9, 15, 15, 6, {}),
            (38, "ba-riesa", 9, 15, 10, 10, {}),
        ],
    },
    {
        "slug": "unternehmenswert-ermitteln",
        "title": "Unternehmenswert ermitteln: den Betrieb für die Übergabe bewerten",
        "teaser": (
            "Was ist mein Betrieb wert? Das AWH-Standardverfahren Schritt für Schritt, mit "
            "Beispielen aus Metall- und Bauhandwerk."
        ),
        "topics": ["betriebsnachfolge"],
        "target_groups": ["meister-inhaber", "nachfolger"],
        "trades": ["metall-elektro", "bau-ausbau"],
        "trainers": ["Dr. Katrin Albrecht"],
        "format": CourseFormat.HYBRID,
        "hours": "8",
        "units": 11,
        "price": "149",
        "funding": "Bis zu 50 % können über den Weiterbildungsscheck Sachsen gefördert werden.",
        "certificate": "Teilnahmebescheinigung der Studienakademie Riesa",
        "dates": [
            (26, "ba-riesa", 9, 17, 14, 2, {}),
            (82, "ba-riesa", 9, 17, 14, 0, {"price_override": "119"}),
        ],
    },
    {
        "slug": "3d-scannen-und-drucken",
        "title": "3D-Scannen und 3D-Druck in der Werkstatt",
        "teaser": (
            "Ersatzteile scannen, Vorrichtungen drucken, Kundschaft Modelle zeigen: zwei "
            "Praxistage an Scannern und Druckern des Qualifizierungszentrums."
        ),
        "topics": ["digitalisierung", "innovation-kreativwirtschaft"],
        "target_groups": ["auszubildende", "gesellen", "meister-inhaber"],
        "trades": ["metall-elektro", "holz", "kreativ"],
        "trainers": ["Tom Tischler"],
        "format": CourseFormat.PRESENCE,
        "hours": "16",
        "units": 21,
        "price": "290",
        "funding": "Auszubildende der Innungsbetriebe zahlen die Hälfte.",
        "certificate": "Zertifikat „Additive Fertigung im Handwerk“",
        "dates": [
            (19, "riesa", 8, 16, 8, 5, {"sessions": 2}),
            (54, "riesa", 8, 16, 8, 1, {"sessions": 2}),
        ],
    },
    {
        "slug": "design-thinking-kreativwirtschaft",
        "title": "Design Thinking mit der Kreativwirtschaft",
        "teaser": (
            "Einen Tag lang mit Designerinnen und Entwicklern an einer echten Frage aus Ihrem "
            "Betrieb arbeiten – und mit einem Prototyp nach Hause gehen."
        ),
        "topics": ["innovation-kreativwirtschaft"],
        "target_groups": ["meister-inhaber", "gesellen", "beschaeftigte"],
        "trades": ["kreativ", "holz", "lebensmittel", "gesundheit"],
        "trainers": ["Marie Sommer", "Felix Brandt"],
        "format": CourseFormat.PRESENCE,
        "hours": "7",
        "units": 9,
        "price": "0",
        "funding": "Kostenfrei – gefördert im Programm WIR!.",
        "certificate": "",
        "dates": [
            (
                8,
                "meissen",
                9,
                16,
                16,
                0,
                {"cancelled": "Die Referentin ist erkrankt. Ein Ersatztermin ist geplant."},
            ),
            (40, "meissen", 9, 16, 16, 7, {}),
        ],
    },
    {
        "slug": "digitale-zeiterfassung",
        "title": "Digitale Zeiterfassung einführen",
        "teaser": (
            "Arbeitszeiten auf der Baustelle per App erfassen – rechtssicher, mitarbeiterfreundlich "
            "und direkt für Lohn und Nachkalkulation nutzbar."
        ),
        "topics": ["digitalisierung"],
        "target_groups": ["meister-inhaber", "beschaeftigte"],
        "trades": ["bau-ausbau", "metall-elektro"],
        "trainers": ["Jens Hoffmann"],
        "format": CourseFormat.ONLINE,
        "hours": "3",
        "units": 4,
        "price": "0",
        "funding": "Kostenfrei.",
        "certificate": "",
        "dates": [
            (6, "online", 16, 19, 25, 9, {}),
            (35, "online", 16, 19, 25, 0, {}),
        ],
    },
    {
        "slug": "foerdermittel-digitalisierung",
        "title": "Fördermittel für die Digitalisierung",
        "teaser": (
            "Welche Programme von Bund und Freistaat Sachsen passen zu Ihrem Vorhaben, und wie "
            "stellen Sie den Antrag? Mit Checkliste zum Mitnehmen."
        ),
        "topics": ["digitalisierung"],
        "target_groups": ["meister-inhaber", "nachfolger"],
        "trades": [],
        "trainers": ["Anna Krüger"],
        "format": CourseFormat.ONLINE,
        "hours": "2",
        "units": 3,
        "price": "0",
        "funding": "Kostenfrei.",
        "certificate": "",
        "dates": [
            (14, "online", 18, 20, 30, 29, {}),
            (59, "online", 18, 20, 30, 3, {}),
        ],
    },
    {
        "slug": "digitales-aufmass",
        "title": "Digitales Aufmaß mit Tablet und Laser",
        "teaser": (
            "Räume mit Laser und Tablet vermessen, Pläne direkt erstellen und ins Angebot "
            "übernehmen – weniger Fehler, schnellere Angebote."
        ),
        "topics": ["digitalisierung"],
        "target_groups": ["gesellen", "meister-inhaber"],
        "trades": ["bau-ausbau", "holz"],
        "trainers": ["Tom Tischler"],
        "format": CourseFormat.PRESENCE,
        "hours": "8",
        "units": 11,
        "price": "95",
        "funding": "",
        "certificate": "Teilnahmebescheinigung",
        "dates": [],
    },
    {
        "slug": "nachfolge-als-chance",
        "title": "Vom Gesellen zur Chefin: die Übernahme als Chance",
        "teaser": (
            "Für alle, die einen Betrieb übernehmen möchten: Finanzierung, erste 100 Tage und "
            "wie Sie Team und Kundschaft mitnehmen."
        ),
        "topics": ["betriebsnachfolge"],
        "target_groups": ["gesellen", "nachfolger"],
        "trades": [],
        "trainers": ["Felix Brandt", "Dr. Katrin Albrecht"],
        "format": CourseFormat.PRESENCE,
        "hours": "6",
        "units": 8,
        "price": "0",
        "funding": "Kostenfrei.",
        "certificate": "Teilnahmebescheinigung",
        "dates": [
            (22, "meissen", 13, 19, 18, 12, {}),
            (73, "riesa", 13, 19, 18, 0, {}),
        ],
    },
    {
        "slug": "neue-produkte-mit-designerinnen",
        "title": "Neue Produkte mit Designerinnen entwickeln",
        "teaser": (
            "In drei Abenden von der Idee zum verkaufsfähigen Produkt: Handwerk und "
            "Kreativwirtschaft entwickeln gemeinsam."
        ),
        "topics": ["innovation-kreativwirtschaft"],
        "target_groups": ["meister-inhaber", "gesellen"],
        "trades": ["kreativ", "holz", "lebensmittel"],
        "trainers": ["Marie Sommer"],
        "format": CourseFormat.HYBRID,
        "hours": "9",
        "units": 12,
        "price": "0",
        "funding": "Kostenfrei – gefördert im Programm WIR!.",
        "certificate": "",
        "dates": [(28, "meissen", 17, 20, 12, 4, {"sessions": 3})],
    },
    {
        "slug": "it-sicherheit-im-handwerksbetrieb",
        "title": "IT-Sicherheit im Handwerksbetrieb",
        "teaser": (
            "Datensicherung, sichere Passwörter, Phishing erkennen: was kleine Betriebe mit "
            "wenig Aufwand gegen Angriffe tun können."
        ),
        "topics": ["digitalisierung"],
        "target_groups": ["meister-inhaber", "beschaeftigte", "auszubildende"],
        "trades": [],
        "trainers": ["Anna Krüger"],
        "format": CourseFormat.ONLINE,
        "hours": "4",
        "units": 5,
        "price": "0",
        "funding": "Kostenfrei.",
        "certificate": "Teilnahmebescheinigung",
        "dates": [
            (2, "online", 9, 13, 25, 14, {}),
            (18, "online", 9, 13, 25, 25, {}),
            (52, "online", 9, 13, 25, 0, {}),
        ],
    },
    {
        "slug": "hygiene-dokumentation-digital",
        "title": "Hygiene-Dokumentation digital im Lebensmittelhandwerk",
        "teaser": (
            "Temperaturen, Reinigungspläne und Schulungen digital dokumentieren – für Bäckereien, "
            "Fleischereien und Konditoreien."
        ),
        "topics": ["digitalisierung"],
        "target_groups": ["meister-inhaber", "beschaeftigte"],
        "trades": ["lebensmittel", "gesundheit"],
        "trainers": ["Jens Hoffmann"],
        "format": CourseFormat.PRESENCE,
        "hours": "4",
        "units": 5,
        "price": "49",
        "funding": "",
        "certificate": "Teilnahmebescheinigung",
        "dates": [(33, "riesa", 14, 18, 12, 2, {})],
    },
    {
        "slug": "meistervorbereitung-teil-iii-und-iv",
        "title": "Meistervorbereitung Teil III und IV (berufsbegleitend)",
        "teaser": (
            "Betriebswirtschaft, Recht und Berufs- und Arbeitspädagogik für die Meisterprüfung: "
            "abends und samstags in Riesa, 14 Monate neben der Arbeit."
        ),
        "topics": ["betriebsnachfolge"],
        "target_groups": ["gesellen", "nachfolger"],
        "trades": ["metall-elektro", "bau-ausbau", "holz"],
        "trainers": ["Dr. Katrin Albrecht"],
        "format": CourseFormat.PRESENCE,
        "hours": "360",
        "units": 480,
        "price": "3490",
        "funding": "Förderfähig mit Aufstiegs-BAföG: Zuschuss und Darlehen, Erlass bei Bestehen.",
        "certificate": "Zulassung zur Meisterprüfung Teil III und IV vor der Handwerkskammer",
        "page": {
            "member_price": Decimal("3190"),
            "qualification": Qualification.LEVEL_2,
            "schedule": Schedule.PART_TIME,
            "planned_months": 14,
        },
        "dates": [(60, "riesa", 17, 21, 20, 6, {"until_days": 480})],
    },
    {
        "slug": "digitale-betriebsfuehrung-zertifikatslehrgang",
        "title": "Digitale Betriebsführung – Zertifikatslehrgang",
        "teaser": (
            "Vom digitalen Büro bis zur Datensicherheit: 160 Stunden in fünf Monaten für "
            "Beschäftigte, die im Betrieb die Digitalisierung voranbringen."
        ),
        "topics": ["digitalisierung"],
        "target_groups": ["beschaeftigte", "gesellen"],
        "trades": [],
        "trainers": ["Jens Hoffmann"],
        "format": CourseFormat.HYBRID,
        "hours": "160",
        "units": 213,
        "price": "2480",
        "funding": "Nach AZAV zugelassen: förderfähig nach § 82 SGB III über die Agentur für Arbeit.",
        "certificate": "Zertifikat der Innovationsakademie Handwerk",
        "page": {
            "schedule": Schedule.PART_TIME,
            "planned_months": 5,
            "azav_course_number": "Demo-AZAV-2026-0815",
            "azav_course_valid_until": datetime.date(2029, 12, 31),
        },
        "dates": [(45, "ba-riesa", 8, 16, 16, 3, {"until_days": 195})],
    },
]


def _body(course: dict) -> str:
    return json.dumps(
        [
            {"type": "paragraph", "value": f"<p>{course['teaser']}</p>"},
            {
                "type": "paragraph",
                "value": (
                    "<p>Der Kurs ist praxisnah: Sie arbeiten an Beispielen aus Ihrem eigenen "
                    "Betrieb und nehmen Vorlagen und Checklisten mit. Fragen sind jederzeit "
                    "willkommen – auch die, die im Alltag liegen bleiben.</p>"
                ),
            },
        ]
    )


def _workday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_dates(spec: list, today: datetime.date) -> list[CourseDate]:
    dates = []
    for days, venue, start_hour, end_hour, capacity, _taken, extra in spec:
        first = _workday(today + datetime.timedelta(days=days))
        days_list = [first]
        for _ in range(extra.get("sessions", 1) - 1):
            days_list.append(_workday(days_list[-1] + datetime.timedelta(days=1)))
        start = _aware(days_list[0], start_hour)
        if "until_days" in extra:  # a course over months: its last day
            days_list.append(_workday(today + datetime.timedelta(days=extra["until_days"])))
        date = CourseDate(
            start=start,
            end=_aware(days_list[-1], end_hour),
            capacity=capacity,
            min_participants=max(capacity // 3, 4),
            registration_deadline=start - datetime.timedelta(days=3),
            **{"is_online": False, **VENUES[venue]},
        )
        if len(days_list) > 1 and "until_days" not in extra:
            date.sessions = [
                (
                    "session",
                    {
                        "date": day,
                        "start_time": datetime.time(start_hour),
                        "end_time": datetime.time(end_hour),
                        "note": "",
                    },
                )
                for day in days_list
            ]
        if "price_override" in extra:
            date.price_override = Decimal(extra["price_override"])
        if "cancelled" in extra:
            date.status = CourseDate.Status.CANCELLED
            date.cancellation_reason = extra["cancelled"]
        dates.append(date)
    return dates


def ensure_vocabulary() -> tuple[dict, dict, dict]:
    topics = {}
    for order, data in enumerate(TOPICS):
        topics[data["slug"]], _created = Topic.objects.update_or_create(
            slug=data["slug"], defaults={**data, "sort_order": order}
        )
    groups = {}
    for order, (slug, name) in enumerate(TARGET_GROUPS):
        groups[slug], _created = TargetGroup.objects.update_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )
    trades = {}
    for order, (slug, name) in enumerate(TRADES):
        trades[slug], _created = Trade.objects.update_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )
    return topics, groups, trades


def ensure_trainers() -> dict[str, Trainer]:
    user_model = get_user_model()
    trainers = {}
    for data in TRAINERS:
        partner = Partner.objects.filter(name=data["partner"]).first()
        defaults = {
            "bio": data["bio"],
            "partner": partner,
            "external_organisation": "" if partner else data["partner"],
            "photo": portrait_image(data["name"], **PORTRAIT_LOOKS.get(data["name"], {})),
        }
        if data.get("user"):
            user = user_model.objects.filter(username=data["user"]).first()
            if (
                user is not None
                and not Trainer.objects.filter(user=user).exclude(name=data["name"]).exists()
            ):
                defaults["user"] = user
        trainers[data["name"]], _created = Trainer.objects.update_or_create(
            name=data["name"], defaults=defaults
        )
    return trainers


def ensure_catalogue(home: HomePage) -> CourseIndexPage:
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = CourseIndexPage(
            title="Kurse",
            slug="kurse",
            show_in_menus=True,
            intro=(
                "<p>Weiterbildung für das Handwerk in Riesa, Meißen und online – viele Kurse "
                "sind gefördert und kostenfrei. Filtern Sie nach Thema, Monat oder Ort.</p>"
            ),
            meta_description=(
                "Kurse zu Digitalisierung, Betriebsnachfolge und Innovation für das Handwerk in "
                "der Elberegion Meißen."
            ),
        )
        home.add_child(instance=catalogue)
        catalogue.save_revision().publish()
    if home.hero_cta_page_id != catalogue.pk or home.hero_cta_text != "Kurse entdecken":
        home = HomePage.objects.get(pk=home.pk)
        home.hero_cta_page = catalogue
        home.hero_cta_text = "Kurse entdecken"
        home.save_revision().publish()
    return catalogue


def ensure_courses(catalogue, topics, groups, trades, trainers) -> list[CoursePage]:
    today = timezone.localdate()
    courses = []
    for data in COURSES:
        page = CoursePage.objects.child_of(catalogue).filter(slug=data["slug"]).first()
        if page is None:
            motif = COURSE_MOTIFS.get(data["slug"], "werkstatt")
            page = CoursePage(
                title=data["title"],
                slug=data["slug"],
                teaser=data["teaser"],
                image=illustration_image(data["title"], motif, seed=data["slug"]),
                image_alt=motif_alt(motif),
                description=_body(data),
                learning_objectives=(
                    "<ul><li>die wichtigsten Begriffe und Werkzeuge kennen</li>"
                    "<li>einen Plan für den eigenen Betrieb aufstellen</li>"
                    "<li>wissen, wo es weitere Hilfe gibt</li></ul>"
                ),
                prerequisites="Keine besonderen Vorkenntnisse nötig.",
                what_to_bring="Wenn vorhanden: Laptop oder Tablet.",
                format=data["format"],
                duration_hours=Decimal(data["hours"]),
                teaching_units=data["units"],
                price=Decimal(data["price"]),
                funding_notes=data["funding"],
                certificate=data["certificate"],
                **CONTACT,
                **data.get("page", {}),
            )
            page.topics = [topics[slug] for slug in data["topics"]]
            page.target_groups = [groups[slug] for slug in data["target_groups"]]
            page.trades = [trades[slug] for slug in data["trades"]]
            page.trainers = [trainers[name] for name in data["trainers"]]
            catalogue.add_child(instance=page)
            page.save_revision().publish()
        if data["dates"] and not CourseDate.objects.filter(course=page).upcoming().exists():
            for date in build_dates(data["dates"], today):
                date.course = page
                date.save()
        courses.append(page)
    return courses


def wanted_occupancy() -> dict[tuple[str, int], int]:
    """How many seats the demo fills on each upcoming date: (course slug, position of
    the date among the course's upcoming dates) → seats. The enrolment demo makes
    that many real enrolments; nothing here writes a seat counter."""
    return {
        (data["slug"], position): row[5]
        for data in COURSES
        for position, row in enumerate(data["dates"])
    }


def ensure_funding(site) -> None:
    """The funding programmes, and the academy's approvals they ask for (filled only
    where the provider settings are still empty)."""
    ensure_programmes()
    if site is None:
        return
    provider = ProviderSettings.for_site(site)
    if not provider.quality_certificate and not provider.azav_certified:
        provider.quality_certificate = "DIN EN ISO 9001 (Demo)"
        provider.azav_certified = True
        provider.azav_certifier = "Fachkundige Stelle (Demo)"
        provider.azav_valid_until = timezone.localdate() + datetime.timedelta(days=730)
        provider.save()


def load(stdout=None) -> dict:
    home = HomePage.objects.first()
    if home is None:  # home.demo runs first; nothing to hang the catalogue on otherwise
        return {}
    topics, groups, trades = ensure_vocabulary()
    trainers = ensure_trainers()
    catalogue = ensure_catalogue(Page.objects.get(pk=home.pk).specific)
    courses = ensure_courses(catalogue, topics, groups, trades, trainers)
    ensure_funding(Site.objects.filter(is_default_site=True).first())
    if stdout is not None:
        stdout.write(f"Kurskatalog: {len(courses)} Kurse unter {catalogue.url_path}")
    return {"catalogue": catalogue, "courses": courses, "topics": topics, "trainers": trainers}
