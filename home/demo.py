"""Demo content of the site's ground floor: home page, the alliance, legal pages.

Called by ``manage.py load_demo``; every function is idempotent.
"""

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from .demo_images import (
    BLUE,
    GREEN,
    LINK_BLUE,
    ORANGE,
    PURPLE,
    RED,
    illustration_image,
    wordmark_image,
)
from .models import (
    HomePage,
    Partner,
    SearchSynonym,
    SiteSettings,
    StandardPage,
)

DEMO_PASSWORD = "handwerk-demo-2026"  # noqa: S105 – development only, printed by make run

PARTNERS = [
    {
        "name": "Kreishandwerkerschaft Region Meißen",
        "short_name": "KHS Meißen",
        "description": (
            "Die Kreishandwerkerschaft vertritt 14 Innungen mit 3.744 Handwerksbetrieben im "
            "Landkreis Meißen. Sie koordiniert das Bündnis und ist erste Ansprechpartnerin "
            "für Betriebe, die sich weiterbilden oder eine Nachfolge planen."
        ),
        "website": "https://www.example.org/kreishandwerkerschaft-meissen",
    },
    {
        "name": "Qualifizierungszentrum Region Riesa GmbH",
        "short_name": "QRR",
        "description": (
            "Das Qualifizierungszentrum in Riesa bildet seit vielen Jahren Fachkräfte aus "
            "Industrie und Handwerk aus und stellt Werkstätten und Schulungsräume für die "
            "Präsenzkurse der Akademie."
        ),
        "website": "https://www.example.org/qualifizierungszentrum-riesa",
    },
    {
        "name": "Berufsakademie Sachsen – Staatliche Studienakademie Riesa",
        "short_name": "BA Riesa",
        "description": (
            "Die Studienakademie Riesa verbindet Studium und Praxis. Im Bündnis bringt sie "
            "Know-how zu Betriebswirtschaft, Digitalisierung und Unternehmensnachfolge ein."
        ),
        "website": "https://www.example.org/ba-riesa",
    },
    {
        "name": "CONOSCOPE GmbH",
        "short_name": "CONOSCOPE",
        "description": (
            "CONOSCOPE begleitet Innovations- und Transferprojekte in Sachsen und unterstützt "
            "das Bündnis bei Strategie, Fördermitteln und der Vernetzung mit Forschung."
        ),
        "website": "https://www.example.org/conoscope",
    },
    {
        "name": "SMILE – Gründerinitiative der Universität Leipzig",
        "short_name": "SMILE",
        "description": (
            "SMILE unterstützt Gründerinnen und Gründer. Für das Handwerk bringt die Initiative "
            "Erfahrung mit Geschäftsmodellen und Übernahmegründungen in die Akademie ein."
        ),
        "website": "https://www.example.org/smile-leipzig",
    },
    {
        "name": "Kreatives Sachsen",
        "short_name": "Kreatives Sachsen",
        "description": (
            "Das Sächsische Zentrum für Kultur- und Kreativwirtschaft bringt Designerinnen, "
            "Entwickler und Kreative mit Handwerksbetrieben zusammen – für neue Produkte und "
            "Dienstleistungen."
        ),
        "website": "https://www.example.org/kreatives-sachsen",
    },
]


# the partners' wordmarks: name, second line, mark and colour (home.demo_images)
PARTNER_WORDMARKS = {
    "Kreishandwerkerschaft Region Meißen": {
        "name": "KHS Meißen",
        "subtitle": "Kreishandwerkerschaft Region Meißen",
        "emblem": "hammer",
        "colour": BLUE,
    },
    "Qualifizierungszentrum Region Riesa GmbH": {
        "name": "QRR",
        "subtitle": "Qualifizierungszentrum Region Riesa GmbH",
        "emblem": "gear",
        "colour": ORANGE,
    },
    "Berufsakademie Sachsen – Staatliche Studienakademie Riesa": {
        "name": "BA Riesa",
        "subtitle": "Berufsakademie Sachsen – Staatliche Studienakademie Riesa",
        "emblem": "book",
        "colour": GREEN,
    },
    "CONOSCOPE GmbH": {"name": "CONOSCOPE", "subtitle": "GmbH", "emblem": "lens", "colour": PURPLE},
    "SMILE – Gründerinitiative der Universität Leipzig": {
        "name": "SMILE",
        "subtitle": "Gründerinitiative der Universität Leipzig",
        "emblem": "spark",
        "colour": RED,
    },
    "Kreatives Sachsen": {
        "name": "Kreatives Sachsen",
        "subtitle": "Sächsisches Zentrum für Kultur- und Kreativwirtschaft",
        "emblem": "roof",
        "colour": LINK_BLUE,
    },
}


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def body(blocks: list[dict]) -> str:
    return json.dumps(blocks)


def ensure_child(parent: Page, model, slug: str, **fields) -> Page:
    """Return the child page with this slug, creating and publishing it if needed."""
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        hero_image = illustration_image(
            "Werkstatt mit digitalen Werkzeugen", "werkstatt", seed="start"
        )
        home = HomePage(
            title="Startseite",
            slug="start",
            seo_title="Innovationsakademie Handwerk – Weiterbildung in der Elberegion Meißen",
            hero_title="Weiterbildung für das Handwerk in der Elberegion Meißen",
            hero_text=(
                "Kurse zu Digitalisierung, Betriebsnachfolge und Innovation – für Auszubildende, "
                "Gesellinnen und Gesellen, Meisterinnen und Meister. In Riesa, Meißen und online."
            ),
            hero_image=hero_image,
            intro=(
                "<p>Die Innovationsakademie ist ein Angebot des WIR!-Bündnisses "
                "<b>„Das Handwerk als Innovationsmotor in der Elberegion Meißen“</b>. "
                "Sechs Partner aus Handwerk, Bildung, Wissenschaft und Kreativwirtschaft "
                "machen Betriebe fit für die Zukunft.</p>"
            ),
            meta_description=(
                "Kurse zu Digitalisierung, Betriebsnachfolge und Innovation für Handwerksbetriebe "
                "im Landkreis Meißen."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Innovationsakademie Handwerk"
        site.save()
        if old_root.depth == 2 and old_root.specific_class != HomePage:
            old_root.delete()
    return home


def ensure_partners() -> list[Partner]:
    partners = []
    for order, data in enumerate(PARTNERS):
        logo = wordmark_image(f"Logo {data['short_name']}", **PARTNER_WORDMARKS[data["name"]])
        partner, _created = Partner.objects.update_or_create(
            name=data["name"],
            defaults={**data, "logo": logo, "sort_order": order},
        )
        partners.append(partner)
    return partners


def ensure_pages(home: HomePage) -> dict[str, Page]:
    about_blocks = [
        paragraph(
            "<p>Das Bündnis „Das Handwerk als Innovationsmotor in der Elberegion Meißen“ wird "
            "seit dem 1. April 2018 im Programm „WIR! – Wandel durch Innovation in der Region“ "
            "des Bundesministeriums für Bildung und Forschung gefördert.</p>"
        ),
        paragraph(
            "<p>Im Landkreis Meißen arbeiten rund 22.000 Menschen in 3.744 Handwerksbetrieben, "
            "viele davon in den Gewerken Metall/Elektro und Bau/Ausbau. Viele Inhaberinnen und "
            "Inhaber suchen in den nächsten Jahren eine Nachfolge – und alle Betriebe stehen vor "
            "der Digitalisierung.</p>"
        ),
        heading("Die Partner"),
    ]
    for data in PARTNERS:
        about_blocks.append(heading(data["name"], "h3"))
        about_blocks.append(paragraph(f"<p>{data['description']}</p>"))
    about_blocks.append(
        {
            "type": "faq",
            "value": {
                "title": "Häufige Fragen",
                "items": [
                    {
                        "type": "item",
                        "value": {
                            "question": "Wer kann an den Kursen teilnehmen?",
                            "answer": (
                                "<p>Alle, die im Handwerk arbeiten oder lernen: Auszubildende, "
                                "Gesellinnen und Gesellen, Meisterinnen und Meister, "
                                "Betriebsinhaber und Nachfolger.</p>"
                            ),
                        },
                    },
                    {
                        "type": "item",
                        "value": {
                            "question": "Was kostet die Teilnahme?",
                            "answer": (
                                "<p>Viele Kurse sind gefördert und kostenfrei. Der Preis steht "
                                "bei jedem Kurs.</p>"
                            ),
                        },
                    },
                ],
            },
        }
    )
    about = ensure_child(
        home,
        StandardPage,
        "buendnis",
        title="Das Bündnis",
        show_in_menus=True,
        teaser=(
            "Sechs Partner aus Handwerk, Bildung, Wissenschaft und Kreativwirtschaft machen die "
            "Elberegion Meißen zum Innovationsstandort."
        ),
        body=body(about_blocks),
    )
    contact = ensure_child(
        home,
        StandardPage,
        "kontakt",
        title="Kontakt",
        show_in_menus=True,
        teaser="So erreichen Sie die Innovationsakademie Handwerk.",
        body=body(
            [
                paragraph(
                    "<p>Kreishandwerkerschaft Region Meißen<br>Innovationsakademie Handwerk<br>"
                    "Dresdner Straße 77<br>01662 Meißen</p>"
                ),
                paragraph(
                    "<p>Telefon: 03521 4768-0<br>E-Mail: akademie@example.org</p>"
                    "<p>Montag bis Donnerstag 8–16 Uhr, Freitag 8–12 Uhr</p>"
                ),
            ]
        ),
    )
    imprint = ensure_child(
        home,
        StandardPage,
        "impressum",
        title="Impressum",
        teaser="Angaben gemäß § 5 DDG.",
        body=body(
            [
                heading("Anbieter"),
                paragraph(
                    "<p>Kreishandwerkerschaft Region Meißen (Körperschaft des öffentlichen "
                    "Rechts)<br>Dresdner Straße 77<br>01662 Meißen</p>"
                ),
                paragraph(
                    "<p>Vertreten durch den Kreishandwerksmeister und die Geschäftsführung.<br>"
                    "Telefon: 03521 4768-0<br>E-Mail: akademie@example.org</p>"
                ),
                heading("Förderung"),
                paragraph(
                    "<p>Das Bündnis wird vom Bundesministerium für Bildung und Forschung im "
                    "Programm „WIR! – Wandel durch Innovation in der Region“ gefördert.</p>"
                ),
            ]
        ),
    )
    privacy = ensure_child(
        home,
        StandardPage,
        "datenschutz",
        title="Datenschutz",
        teaser="Wie wir mit Ihren Daten umgehen.",
        body=body(
            [
                heading("Verantwortliche Stelle"),
                paragraph(
                    "<p>Kreishandwerkerschaft Region Meißen, Dresdner Straße 77, 01662 Meißen, "
                    "akademie@example.org.</p>"
                ),
                heading("Keine Dienste Dritter"),
                paragraph(
                    "<p>Diese Website lädt keine Schriften, Skripte oder Bilder von fremden "
                    "Servern und setzt keine Tracking-Cookies. Es werden nur technisch "
                    "notwendige Cookies verwendet.</p>"
                ),
                heading("Kursanmeldungen"),
                paragraph(
                    "<p>Für eine Anmeldung verarbeiten wir Name und E-Mail-Adresse sowie freiwillige "
                    "Angaben. Die Daten werden nach Ablauf der Aufbewahrungsfrist anonymisiert. "
                    "Sie haben das Recht auf Auskunft, Berichtigung und Löschung.</p>"
                ),
            ]
        ),
    )
    accessibility = ensure_child(
        home,
        StandardPage,
        "barrierefreiheit",
        title="Erklärung zur Barrierefreiheit",
        teaser="Wir möchten, dass alle Menschen diese Website nutzen können.",
        body=body(
            [
                paragraph(
                    "<p>Diese Website soll den Anforderungen der BITV 2.0 und der WCAG 2.1 "
                    "(Stufe AA) entsprechen. Sie ist mit der Tastatur bedienbar, hat "
                    "ausreichende Kontraste und funktioniert ohne JavaScript.</p>"
                ),
                heading("Barriere melden"),
                paragraph(
                    "<p>Ist Ihnen eine Barriere aufgefallen? Schreiben Sie uns an "
                    "akademie@example.org oder rufen Sie uns an: 03521 4768-0.</p>"
                ),
            ]
        ),
    )
    return {
        "about": about,
        "contact": contact,
        "imprint": imprint,
        "privacy": privacy,
        "accessibility": accessibility,
    }


def ensure_site_settings(site: Site, pages: dict[str, Page]) -> SiteSettings:
    settings = SiteSettings.for_site(site)
    settings.organisation = "Kreishandwerkerschaft Region Meißen"
    settings.street = "Dresdner Straße 77"
    settings.postcode_city = "01662 Meißen"
    settings.phone = "03521 4768-0"
    settings.email = "akademie@example.org"
    settings.opening_hours = "Montag bis Donnerstag 8–16 Uhr\nFreitag 8–12 Uhr"
    settings.imprint_page = pages["imprint"]
    settings.privacy_page = pages["privacy"]
    settings.accessibility_page = pages["accessibility"]
    settings.save()
    return settings


def ensure_users() -> list[tuple[str, str]]:
    """The demo accounts printed by ``make run``."""
    user_model = get_user_model()
    accounts = []
    admin, created = user_model.objects.get_or_create(
        username="admin",
        defaults={
            "email": "admin@example.org",
            "first_name": "Ada",
            "last_name": "Admin",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    accounts.append(("admin", "Superuser"))

    editors = Group.objects.filter(name="Editors").first()
    staff, created = user_model.objects.get_or_create(
        username="redaktion",
        defaults={
            "email": "redaktion@example.org",
            "first_name": "Rita",
            "last_name": "Redlich",
            "is_staff": True,
        },
    )
    if created:
        staff.set_password(DEMO_PASSWORD)
        staff.save()
        if editors:
            staff.groups.add(editors)
    accounts.append(("redaktion", "Redaktion der Akademie"))

    trainer, created = user_model.objects.get_or_create(
        username="trainer",
        defaults={"email": "trainer@example.org", "first_name": "Tom", "last_name": "Tischler"},
    )
    if created:
        trainer.set_password(DEMO_PASSWORD)
        trainer.save()
    accounts.append(("trainer", "Trainer einiger Demokurse"))

    learner, created = user_model.objects.get_or_create(
        username="lernende@example.org",
        defaults={"email": "lernende@example.org", "first_name": "Lena", "last_name": "Lehmann"},
    )
    if created:
        learner.set_unusable_password()
        learner.save()
    accounts.append(("lernende@example.org", "Lernende (Anmeldung per E-Mail-Link)"))
    return accounts


# how craftspeople search → how the site says it (the staff keep them in the admin)
SEARCH_SYNONYMS = {
    "Bäcker": "Lebensmittelhandwerk, Lebensmittel, Nahrungsmittel",
    "Konditor": "Lebensmittelhandwerk, Lebensmittel",
    "Fleischer": "Lebensmittelhandwerk, Lebensmittel",
    "Metzger": "Lebensmittelhandwerk, Lebensmittel, Fleischer",
    "Elektriker": "Elektrohandwerk, Elektro",
    "Elektroniker": "Elektrohandwerk, Elektro",
    "Metallbauer": "Metall",
    "Schlosser": "Metall",
    "Tischler": "Holz",
    "Schreiner": "Holz, Tischler",
    "Zimmerer": "Holz, Bau",
    "Maurer": "Bau, Baustelle",
    "Dachdecker": "Bau, Ausbau",
    "Maler": "Ausbau",
    "Fliesenleger": "Ausbau",
    "Optiker": "Gesundheit",
    "Zahntechniker": "Gesundheit",
    "Goldschmied": "Kreativ, Kreativwirtschaft",
    "Ruhestand": "Betriebsnachfolge, Übergabe",
    "Rente": "Betriebsnachfolge, Übergabe",
    "Übergabe": "Nachfolge, Übernahme",
    "Förderung": "Fördermittel, Förderprogramm, gefördert",
    "Zuschuss": "Fördermittel, gefördert",
    "Stundenzettel": "Zeiterfassung",
    "Rechnung": "Auftragsabwicklung, Rechnungen",
    "Instagram": "Social Media",
    "Facebook": "Social Media",
    "Datenschutz": "IT-Sicherheit",
    "Hacker": "IT-Sicherheit",
}


def ensure_search_synonyms() -> None:
    for term, synonyms in SEARCH_SYNONYMS.items():
        SearchSynonym.objects.get_or_create(term=term, defaults={"synonyms": synonyms})


def load(stdout=None) -> dict:
    home = ensure_home_page()
    site = Site.objects.get(is_default_site=True)
    ensure_partners()
    pages = ensure_pages(home)
    ensure_site_settings(site, pages)
    ensure_search_synonyms()
    accounts = ensure_users()
    return {"home": home, "site": site, "pages": pages, "accounts": accounts}
