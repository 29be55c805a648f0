"""Demo news: the alliance's story so far, under /aktuelles/ (idempotent)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from courses.models import CoursePage
from home.demo import PARTNERS, body, ensure_child, ensure_home_page, heading, paragraph
from home.demo_images import illustration_image, motif_alt
from home.models import HomePage, Partner

from .models import NewsCategory, NewsIndexPage, NewsPage, NewsRelatedCourse

BERLIN = ZoneInfo("Europe/Berlin")


def _at(year, month, day, hour=10):
    return datetime(year, month, day, hour, 0, tzinfo=BERLIN)


NEWS = [
    {
        "slug": "projektstart-wir-buendnis",
        "title": "Projektstart: Das Handwerk als Innovationsmotor in der Elberegion Meißen",
        "date": _at(2018, 4, 1),
        "category": NewsCategory.PROJECT,
        "partner": "Kreishandwerkerschaft Region Meißen",
        "tags": ["WIR!", "Förderung", "Bündnis"],
        "teaser": (
            "Am 1. April 2018 ist das Bündnis gestartet. Das Bundesministerium für Bildung und "
            "Forschung fördert es im Programm „WIR! – Wandel durch Innovation in der Region“."
        ),
        "image": "Projektstart des Bündnisses in Meißen",
        "motif": "werkstatt",
        "body": [
            paragraph(
                "<p>Mit dem 1. April 2018 beginnt für das Handwerk im Landkreis Meißen ein neues "
                "Kapitel: Das Bündnis „Das Handwerk als Innovationsmotor in der Elberegion "
                "Meißen“ wird im Programm „WIR! – Wandel durch Innovation in der Region“ des "
                "Bundesministeriums für Bildung und Forschung (BMBF) gefördert.</p>"
            ),
            heading("Worum es geht"),
            paragraph(
                "<p>Im Landkreis Meißen gibt es 3.744 Handwerksbetriebe mit rund 22.000 "
                "Beschäftigten. Schwerpunkte sind die Gewerke Metall/Elektro und Bau/Ausbau. "
                "Viele Betriebe stehen vor der Digitalisierung, viele Inhaberinnen und Inhaber "
                "suchen in den nächsten Jahren eine Nachfolge.</p>"
            ),
            paragraph(
                "<p>Das Bündnis will Betriebe dabei unterstützen – mit Weiterbildung, mit neuen "
                "Ideen aus der Kreativwirtschaft und mit einer Innovationsakademie, die Kurse in "
                "Riesa, Meißen und online anbietet.</p>"
            ),
        ],
    },
    {
        "slug": "innovationskonferenz-riesa-2018",
        "title": "Innovationskonferenz in Riesa: Handwerk trifft Wissenschaft und Kreative",
        "date": _at(2018, 5, 31, 9),
        "category": NewsCategory.EVENT,
        "partner": "Berufsakademie Sachsen – Staatliche Studienakademie Riesa",
        "tags": ["Konferenz", "Riesa", "Kreativwirtschaft"],
        "courses": ["design-thinking-kreativwirtschaft"],
        "teaser": (
            "Am 31. Mai 2018 trafen sich in Riesa Handwerksbetriebe, Hochschulen und Kreative "
            "zur ersten Innovationskonferenz des Bündnisses."
        ),
        "image": "Innovationskonferenz in Riesa",
        "motif": "vortrag",
        "body": [
            paragraph(
                "<p>Rund hundert Gäste kamen am 31. Mai 2018 nach Riesa. In Vorträgen und "
                "Werkstattrunden ging es um digitale Auftragsabwicklung, neue Geschäftsmodelle und "
                "die Frage, wie Betriebe Fachkräfte gewinnen und halten.</p>"
            ),
            heading("Ideen für die Akademie"),
            paragraph(
                "<p>Viele Vorschläge der Teilnehmenden flossen direkt in die Planung der "
                "Innovationsakademie ein: kurze Kurse am Abend, Angebote für Auszubildende und "
                "ein eigener Schwerpunkt zur Betriebsnachfolge.</p>"
            ),
        ],
    },
    {
        "slug": "partner-des-buendnisses",
        "title": "Sechs Partner, ein Ziel: Das Bündnis stellt sich vor",
        "date": _at(2018, 6, 14),
        "category": NewsCategory.PROJECT,
        "partner": "CONOSCOPE GmbH",
        "tags": ["Bündnis"],
        "teaser": (
            "Handwerk, Bildung, Wissenschaft und Kreativwirtschaft: Wer im WIR!-Bündnis "
            "zusammenarbeitet und was jeder Partner einbringt."
        ),
        "image": "Partner des Bündnisses",
        "motif": "besprechung",
        "body": [
            paragraph(f"<p><b>{data['name']}</b>: {data['description']}</p>") for data in PARTNERS
        ],
    },
    {
        "slug": "handwerk-im-landkreis-meissen-in-zahlen",
        "title": "Handwerk im Landkreis Meißen in Zahlen",
        "date": _at(2018, 9, 20),
        "category": NewsCategory.PRESS,
        "partner": "Kreishandwerkerschaft Region Meißen",
        "tags": ["Zahlen", "Fachkräfte"],
        "teaser": (
            "3.744 Betriebe, rund 22.000 Beschäftigte, Schwerpunkte Metall/Elektro und "
            "Bau/Ausbau: die Hintergrunddaten zum Bündnis."
        ),
        "image": "Handwerk in Zahlen",
        "motif": "baustelle",
        "body": [
            paragraph(
                "<p>Die Kreishandwerkerschaft Region Meißen vertritt 14 Innungen. Im Landkreis "
                "arbeiten rund 22.000 Menschen in 3.744 Handwerksbetrieben. Besonders stark sind "
                "die Gewerke Metall/Elektro und Bau/Ausbau.</p>"
            ),
            paragraph(
                "<p>Viele Betriebe sind klein und inhabergeführt. Für sie sind Digitalisierung "
                "und die Nachfolge an der Spitze des Betriebs die großen Aufgaben der nächsten "
                "Jahre.</p>"
            ),
        ],
    },
    {
        "slug": "neue-kurse-digitalisierung",
        "title": "Neue Kurse: Digitalisierung im Handwerksbetrieb",
        "date": _at(2026, 9, 15),
        "category": NewsCategory.COURSES,
        "partner": "Qualifizierungszentrum Region Riesa GmbH",
        "author": "Rita Redlich",
        "tags": ["Digitalisierung", "Kurse"],
        "courses": ["digitale-auftragsabwicklung", "digitales-aufmass", "digitale-zeiterfassung"],
        "featured": True,
        "teaser": (
            "Von der digitalen Baustellendokumentation bis zur Online-Terminvergabe: Die "
            "Innovationsakademie startet neue Kurse in Riesa, Meißen und online."
        ),
        "image": "Neue Kurse zur Digitalisierung",
        "motif": "digital",
        "body": [
            paragraph(
                "<p>Ab Herbst bietet die Innovationsakademie neue Kurse zur Digitalisierung an. "
                "Sie dauern meist einen Abend oder einen Samstag und sind für Betriebe im "
                "Landkreis Meißen kostenfrei.</p>"
            ),
            paragraph("<p>Alle Termine und die Anmeldung finden Sie im Kurskatalog.</p>"),
        ],
    },
    {
        "slug": "abend-zur-betriebsnachfolge",
        "title": "Abend zur Betriebsnachfolge: Wer übernimmt meinen Betrieb?",
        "date": _at(2026, 10, 8, 18),
        "category": NewsCategory.EVENT,
        "partner": "SMILE – Gründerinitiative der Universität Leipzig",
        "tags": ["Betriebsnachfolge", "Veranstaltung"],
        "courses": [
            "betriebsnachfolge-rechtzeitig-planen",
            "unternehmenswert-ermitteln",
            "nachfolge-als-chance",
        ],
        "teaser": (
            "Inhaberinnen und Inhaber, Nachfolgerinnen und Nachfolger trafen sich in Meißen: "
            "ein Abend über Übergabe, Finanzierung und Vertrauen."
        ),
        "image": "Abend zur Betriebsnachfolge",
        "motif": "uebergabe",
        "body": [
            paragraph(
                "<p>Die Betriebsnachfolge ist für viele Handwerksbetriebe im Landkreis die "
                "wichtigste Entscheidung der nächsten Jahre. Beim Abend in Meißen erzählten "
                "zwei Meister, wie sie ihre Betriebe übergeben haben.</p>"
            ),
            heading("Früh anfangen"),
            paragraph(
                "<p>Der wichtigste Rat: früh anfangen. Eine gute Übergabe braucht drei bis fünf "
                "Jahre Vorbereitung – von der Bewertung des Betriebs bis zur Einarbeitung.</p>"
            ),
        ],
    },
    {
        "slug": "workshop-kreativwirtschaft",
        "title": "Workshop: Handwerk trifft Kreativwirtschaft",
        "date": _at(2026, 11, 5, 14),
        "category": NewsCategory.EVENT,
        "partner": "Kreatives Sachsen",
        "tags": ["Kreativwirtschaft", "Innovation"],
        "courses": ["design-thinking-kreativwirtschaft", "neue-produkte-mit-designerinnen"],
        "teaser": (
            "Designerinnen, Entwickler und Handwerksbetriebe haben einen Tag lang an neuen "
            "Produkten gearbeitet – mit überraschenden Ergebnissen."
        ),
        "image": "Workshop mit der Kreativwirtschaft",
        "motif": "kreativ",
        "body": [
            paragraph(
                "<p>Im Workshop arbeiteten je ein Handwerksbetrieb und ein Team aus der "
                "Kreativwirtschaft an einer Frage aus dem Betriebsalltag: Wie erreichen wir "
                "junge Kundschaft? Wie erklären wir unsere Leistungen online?</p>"
            ),
        ],
    },
    {
        "slug": "online-lernen-zwischen-baustellen",
        "title": "Online lernen zwischen zwei Baustellen",
        "date": _at(2026, 11, 18),
        "category": NewsCategory.COURSES,
        "author": "Tom Tischler",
        "tags": ["Kurse", "Online"],
        "courses": [
            "social-media-fuer-handwerksbetriebe",
            "foerdermittel-digitalisierung",
            "it-sicherheit-im-handwerksbetrieb",
        ],
        "teaser": (
            "Kurze Online-Kurse am Abend: So passen Weiterbildung und Arbeitsalltag im "
            "Handwerk zusammen."
        ),
        "image": "Online lernen im Handwerk",
        "motif": "digital",
        "body": [
            paragraph(
                "<p>Viele Kurse der Akademie gibt es auch online. Sie dauern höchstens zwei "
                "Stunden und lassen sich vom Smartphone aus verfolgen.</p>"
            ),
        ],
    },
]


def ensure_news(home: HomePage) -> NewsIndexPage:
    """The news section (/aktuelles/) with the alliance's story so far."""
    index = ensure_child(
        home,
        NewsIndexPage,
        "aktuelles",
        title="Aktuelles",
        show_in_menus=True,
        intro=(
            "<p>Neuigkeiten aus dem Bündnis und der Innovationsakademie: Projekt, "
            "Veranstaltungen, Presse und neue Kurse.</p>"
        ),
    )
    partners = {partner.name: partner for partner in Partner.objects.all()}
    for data in NEWS:
        if index.get_children().filter(slug=data["slug"]).exists():
            continue
        article = NewsPage(
            slug=data["slug"],
            title=data["title"],
            date=data["date"],
            category=data["category"],
            featured=data.get("featured", False),
            author_name=data.get("author", ""),
            author_partner=partners.get(data.get("partner", "")),
            teaser=data["teaser"],
            lead_image=illustration_image(data["image"], data["motif"], seed=data["slug"]),
            lead_image_alt=motif_alt(data["motif"]),
            lead_image_credit="Innovationsakademie Handwerk",
            body=body(data["body"]),
        )
        article.tags.add(*data["tags"])
        index.add_child(instance=article)
        revision = article.save_revision()
        revision.publish()
        NewsPage.objects.filter(pk=article.pk).update(
            first_published_at=data["date"], last_published_at=data["date"]
        )
    return index


def link_courses(index: NewsIndexPage) -> None:
    """Each article names the courses it talks about (those the catalogue's demo made),
    published with it as an editor does; an article that names courses already is left
    as it is."""
    for data in NEWS:
        wanted = data.get("courses", [])
        article = NewsPage.objects.child_of(index).filter(slug=data["slug"]).first()
        if not wanted or article is None or article.related_courses.exists():
            continue
        courses = {page.slug: page for page in CoursePage.objects.filter(slug__in=wanted)}
        if not courses:  # no catalogue yet
            continue
        article.related_courses = [
            NewsRelatedCourse(course=courses[slug], sort_order=position)
            for position, slug in enumerate(slug for slug in wanted if slug in courses)
        ]
        article.save_revision().publish()
        # the article keeps its own date as its publish time (as ensure_news set it)
        NewsPage.objects.filter(pk=article.pk).update(last_published_at=data["date"])


def load(stdout=None) -> dict:
    index = ensure_news(ensure_home_page())
    link_courses(index)
    if stdout is not None:
        stdout.write(f"Neuigkeiten: {index.get_children().count()} Artikel unter {index.url_path}")
    return {"news": index}
