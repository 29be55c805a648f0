"""Relevance of the site search on the demo content, on SQLite and on PostgreSQL.

Each query is one a craftsperson would type (typos, umlauts spelled out, plurals,
compounds, places, trades, synonyms) with the courses that must be among the first
five hits, and what else counts as a relevant hit. Precision@5 is the share of
relevant pages among the first five hits (among all of them when there are fewer),
averaged over the queries; run with ``-s`` to see it per database.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from home.search import find_pages, rank_pages

AUFTRAG = "Digitale Auftragsabwicklung im Handwerksbetrieb"
SOCIAL = "Social Media für Handwerksbetriebe"
NACHFOLGE = "Betriebsnachfolge rechtzeitig planen"
WERT = "Unternehmenswert ermitteln: den Betrieb für die Übergabe bewerten"
DRUCK = "3D-Scannen und 3D-Druck in der Werkstatt"
DESIGN = "Design Thinking mit der Kreativwirtschaft"
ZEIT = "Digitale Zeiterfassung einführen"
FOERDER = "Fördermittel für die Digitalisierung"
AUFMASS = "Digitales Aufmaß mit Tablet und Laser"
CHEFIN = "Vom Gesellen zur Chefin: die Übernahme als Chance"
MEISTER = "Meistervorbereitung Teil III und IV (berufsbegleitend)"
PRODUKTE = "Neue Produkte mit Designerinnen entwickeln"
IT = "IT-Sicherheit im Handwerksbetrieb"
HYGIENE = "Hygiene-Dokumentation digital im Lebensmittelhandwerk"

NEWS_START = "Projektstart: Das Handwerk als Innovationsmotor in der Elberegion Meißen"
NEWS_CONFERENCE = "Innovationskonferenz in Riesa: Handwerk trifft Wissenschaft und Kreative"
NEWS_FIGURES = "Handwerk im Landkreis Meißen in Zahlen"
NEWS_COURSES = "Neue Kurse: Digitalisierung im Handwerksbetrieb"
NEWS_SUCCESSION = "Abend zur Betriebsnachfolge: Wer übernimmt meinen Betrieb?"
NEWS_WORKSHOP = "Workshop: Handwerk trifft Kreativwirtschaft"
NEWS_ONLINE = "Online lernen zwischen zwei Baustellen"

# (the master preparation is for the trades Metall/Elektro, Bau/Ausbau and Holz)
# the funding course is for successors too (target group "Nachfolger"), and the master
# preparation (parts III and IV: running a business) is filed under succession
SUCCESSION = {NACHFOLGE, WERT, CHEFIN, FOERDER, MEISTER, NEWS_SUCCESSION}
DIGITAL = {AUFTRAG, SOCIAL, DRUCK, ZEIT, FOERDER, AUFMASS, IT, HYGIENE, NEWS_COURSES}
CREATIVE = {DESIGN, PRODUKTE, SOCIAL, DRUCK, NEWS_WORKSHOP, NEWS_CONFERENCE}
FOOD = {HYGIENE, SOCIAL, DESIGN, PRODUKTE}  # the trade "Lebensmittel"
ELECTRIC = {AUFTRAG, WERT, DRUCK, ZEIT, MEISTER, NEWS_FIGURES}  # "Metall/Elektro"
WOOD = {AUFTRAG, DRUCK, DESIGN, AUFMASS, PRODUKTE, SOCIAL, MEISTER}  # "Holz"
BUILDING = {AUFTRAG, WERT, ZEIT, AUFMASS, MEISTER, NEWS_ONLINE}  # "Bau/Ausbau"
MEISSEN = {AUFTRAG, NACHFOLGE, DESIGN, CHEFIN, PRODUKTE, NEWS_START, NEWS_FIGURES}
RIESA = {AUFTRAG, WERT, DRUCK, CHEFIN, HYGIENE, NACHFOLGE, NEWS_CONFERENCE}

# (query, courses that must be among the first five, what else is relevant)
QUERIES = [
    # inflection, plurals, compounds
    ("Nachfolge", {NACHFOLGE, CHEFIN, MEISTER}, SUCCESSION),
    ("Nachfolgen", {NACHFOLGE, CHEFIN, MEISTER}, SUCCESSION),
    ("Nachfolger", {NACHFOLGE, CHEFIN}, SUCCESSION),
    ("Betriebsnachfolgen", {NACHFOLGE, WERT, CHEFIN}, SUCCESSION),
    ("betriebsnachfolge", {NACHFOLGE, WERT, CHEFIN}, SUCCESSION),
    ("digital", {AUFTRAG, ZEIT, AUFMASS, HYGIENE}, DIGITAL),
    ("Digitalisierung", {FOERDER}, DIGITAL),
    ("digitale Zeiterfassung", {ZEIT}, DIGITAL),
    ("Kreativwirtschaft", {DESIGN, PRODUKTE}, CREATIVE),
    ("Kreative", {DESIGN, PRODUKTE}, CREATIVE),
    ("Designerinnen", {PRODUKTE}, CREATIVE),
    ("Design Thinking", {DESIGN}, CREATIVE),
    ("Lebensmittelhandwerk", {HYGIENE}, FOOD),
    ("Unternehmenswert", {WERT}, SUCCESSION),
    ("Auftragsabwicklung", {AUFTRAG}, DIGITAL),
    ("Zeiterfassung", {ZEIT}, DIGITAL),
    ("3D-Druck", {DRUCK}, CREATIVE),
    ("3D Drucker", {DRUCK}, CREATIVE),
    ("IT-Sicherheit", {IT}, DIGITAL),
    ("IT Sicherheit", {IT}, DIGITAL),
    ("Hygiene", {HYGIENE}, FOOD),
    ("Tablet", {AUFMASS}, DIGITAL),
    ("Chefin", {CHEFIN}, SUCCESSION),
    ("Übernahme", {CHEFIN}, SUCCESSION),
    # umlauts and ß spelled out, or left out
    ("Uebergabe", {WERT}, SUCCESSION),
    ("Übergabe", {WERT}, SUCCESSION),
    ("foerdermittel", {FOERDER}, DIGITAL),
    ("Aufmass", {AUFMASS}, DIGITAL),
    ("Baecker", {HYGIENE}, FOOD),
    # typos
    ("Digitalisirung", {FOERDER}, DIGITAL),
    ("Betribsnachfolge", {NACHFOLGE, WERT, CHEFIN}, SUCCESSION),
    ("Fördermitel", {FOERDER}, DIGITAL),
    ("Zeiterfasung", {ZEIT}, DIGITAL),
    ("Hygine", {HYGIENE}, FOOD),
    ("Sozial Media", {SOCIAL}, DIGITAL),
    # places
    ("Meißen", set(), MEISSEN),
    ("Meissen", set(), MEISSEN),
    ("Riesa", {DRUCK}, RIESA),
    ("Betriebsnachfolge Meißen", {NACHFOLGE, CHEFIN}, SUCCESSION),
    # trades and the staff's synonyms
    ("Bäcker", {HYGIENE}, FOOD),
    ("Bäckerei", {HYGIENE}, FOOD),
    ("Konditor", {HYGIENE}, FOOD),
    ("Elektriker", {DRUCK, ZEIT, MEISTER}, ELECTRIC),
    ("Tischler", {AUFMASS, DRUCK, AUFTRAG}, WOOD),
    ("Schreiner", {AUFMASS, DRUCK, AUFTRAG}, WOOD),
    ("Maurer", {ZEIT, MEISTER}, BUILDING),
    ("Förderung", {FOERDER}, DIGITAL),
    ("Zuschuss", {FOERDER}, DIGITAL),
    ("Instagram", {SOCIAL}, DIGITAL),
    ("Stundenzettel", {ZEIT}, DIGITAL),
    ("Hacker", {IT}, DIGITAL),
    ("Rente", {NACHFOLGE, WERT, CHEFIN}, SUCCESSION),
]


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_the_relevance_set_is_large_enough():
    assert len(QUERIES) >= 40
    assert all(len(must) <= 5 and must <= relevant for _q, must, relevant in QUERIES)


@pytest.mark.django_db
def test_relevance_on_the_demo_content(demo, capsys):
    misses, precisions = [], []
    for query, must, relevant in QUERIES:
        pages, _suggestion = find_pages(query)
        top = [page.title for page in pages[:5]]
        if not top:
            precisions.append(0.0)
        else:
            precisions.append(sum(title in relevant for title in top) / len(top))
        if not must <= set(top):
            misses.append((query, sorted(must - set(top)), top))
    precision = sum(precisions) / len(precisions)
    with capsys.disabled():
        print(  # noqa: T201 – the figures for the README, shown with -s or not
            f"\nsite search, {connection.vendor}: precision@5 = {precision:.3f} "
            f"over {len(QUERIES)} queries, {len(misses)} with a must-appear course missing"
        )
    assert not misses, misses
    assert precision >= 0.9


@pytest.mark.django_db
def test_the_catalogue_ranks_courses_as_the_site_search_does(demo):
    from courses.models import CoursePage

    for query, _must, _relevant in QUERIES:
        everything = [page.pk for page in find_pages(query)[0]]
        courses = set(CoursePage.objects.values_list("pk", flat=True))
        assert rank_pages(query, CoursePage.objects.live()) == [
            pk for pk in everything if pk in courses
        ], query
