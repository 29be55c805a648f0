"""Site search over every live, public page: courses, news, standard pages.

One search with Wagtail's search backend (``wagtail.search.backends.database``):
SQLite FTS5 in development, PostgreSQL full-text with the German configuration
(stemming: "Nachfolger" finds "Nachfolge") in production. On PostgreSQL a
trigram search (pg_trgm, enabled by migration home 0003) adds spelling-tolerant
hits and parts of German compounds ("Nachfolge" finds "Betriebsnachfolge"); on
SQLite, which has neither, titles containing the words are added instead, and
results are ordered without the backend's relevance score (which matches the index
once per page there): titles with every word first, then the newest.
"""

import re

from django.db import NotSupportedError, ProgrammingError, connection, transaction
from wagtail.models import Page
from wagtail.search.query import Fuzzy

from .visibility import public_pages

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 200

_NOT_A_WORD = re.compile(r"[^\w\s-]+")


def clean_query(raw: str) -> str:
    """The query as the visitor typed it, trimmed and length-limited."""
    printable = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search_terms(query: str) -> str:
    """Only words: no quotes, stars or brackets that full-text syntaxes would interpret."""
    words = _NOT_A_WORD.sub(" ", query).replace("_", " ").split()
    return " ".join(word.strip("-") for word in words if word.strip("-"))


def searchable_pages(site=None):
    pages = public_pages(Page.objects.live())
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages


def search_pages(query: str, site=None) -> list[Page]:
    """Pages matching the query, best first (full-text hits, then fuzzy ones).

    The pages carry only what a result list needs (id, type, title, date); the
    search view describes the ones it shows."""
    terms = search_terms(query)
    if not terms:
        return []
    pages = searchable_pages(site).only("id", "content_type_id", "title", "first_published_at")
    results = _full_text(pages, terms, "and")
    if not results and " " in terms:
        results = _full_text(pages, terms, "or")
    seen = {page.pk for page in results}
    if connection.vendor == "postgresql":
        extra = _fuzzy(pages, terms)
    else:
        # SQLite's FTS5 matches whole words (and prefixes of the last one) only; a title
        # that contains every word inside a compound ("Betriebsnachfolge") still counts.
        extra = _titles_containing(pages, terms)
    results += [page for page in extra if page.pk not in seen]
    if connection.vendor != "postgresql":
        words = terms.lower().split()
        # stable: titles with every word first, each group newest first
        results.sort(key=lambda page: not all(word in page.title.lower() for word in words))
    return results[:MAX_RESULTS]


def _full_text(pages, terms, operator):
    if connection.vendor == "postgresql":
        return list(pages.search(terms, operator=operator)[:MAX_RESULTS])
    # On SQLite the search backend ranks by matching the index once more for every
    # page, which grows with the site (100 ms for 800 pages); newest first instead.
    return list(
        pages.order_by("-first_published_at").search(
            terms, operator=operator, order_by_relevance=False
        )[:MAX_RESULTS]
    )


def _titles_containing(pages, terms):
    for word in terms.split():
        pages = pages.filter(title__icontains=word)
    return list(pages.order_by("-first_published_at")[:MAX_RESULTS])


def _fuzzy(pages, terms):
    try:
        with transaction.atomic():
            return list(pages.search(Fuzzy(terms))[:MAX_RESULTS])
    except (NotSupportedError, ProgrammingError):
        # pg_trgm missing: full-text results only.
        return []
