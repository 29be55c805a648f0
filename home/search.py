"""One German-aware search for the whole site: ``/suche/`` and the catalogue's box.

**What it understands.** Queries and pages go through the same analysis
(``home/search_index.py``): words are folded (ä → ae, ö → oe, ü → ue, ß → ss, so
"Meissen" is "Meißen" and "Uebergabe" is "Übergabe") and stemmed with CISTEM, a
stemmer made for German ("Betriebsnachfolgen" → "betriebsnachfolg"). Each word of the
query is then looked up in the site's vocabulary:

- the same word (factor 1.0);
- compounds that contain it ("Nachfolge" → "Betriebsnachfolge", "Digitalisierung" →
  "Digitalisierungsberatung"; 0.8 at the start or end of the compound, else 0.6);
- words one or two letters away ("Digitalisirung"; 0.7 for one, 0.5 for two letters, 0.5
  inside a compound);
- the synonyms the staff keep in the admin (``SearchSynonym``: "Bäcker" →
  "Lebensmittelhandwerk"; 0.8).

A page's score is the sum, over the query's words, of the best factor × the word's
weight on the page (title 6, short fields such as teaser, topics and places 2, body
1) × its rarity (``log(1 + 1000 / pages with the word)``). Pages with every word come
first (and alone, when there are any), then pages with most of them. The score does
not depend on which pages are asked about, so the catalogue (``rank_pages`` with its
courses) and ``/suche/`` (every public page) rank courses alike.

When a word was found only with another spelling, or nothing was found, the result
carries a "Meinten Sie …?" suggestion from the words the site contains, checked to
lead to a page the visitor may see.

**Why our own index, on both databases.** Wagtail's database backend matches whole
words and their stems only: on PostgreSQL (German configuration) "Nachfolge" found
none of the three courses about "Betriebsnachfolge", on SQLite (FTS5, no German
stemmer) not even "Nachfolgen"; neither folds "ae" to "ä", and the two databases
ranked differently. PostgreSQL's German full text is the Snowball stemmer; CISTEM
does the same job for search, runs in Python and so gives identical words on both
databases. What each database contributes is what it is good at, the lookup in the
vocabulary (a few thousand words):

- **PostgreSQL**: pg_trgm – a GIN trigram index on the words answers "contains"
  (``LIKE '%…%'``), "similar" (``%``) and "similar to a part" (``<%``, for typos inside
  compounds);
- **SQLite**: an FTS5 table with the trigram tokenizer over the words (kept equal by
  triggers) answers "contains" and gives the words sharing most trigrams with a
  misspelt one.

Both are checked in Python with the same edit distance, so both databases find and
rank the same pages (``tests/home/test_search_relevance.py``: 50 queries on the demo
content, precision@5 in the README). A search costs three queries: synonyms,
vocabulary, postings of the matching words among the pages asked about.
"""

import math
import re
from dataclasses import dataclass, field

from django.db import connection
from wagtail.models import Page

from .search_index import analyse, fold, stem
from .visibility import public_pages

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 200
MAX_TERMS = 8
#: vocabulary words considered per query word
CANDIDATES_PER_TERM = 60

_NOT_A_WORD = re.compile(r"[^\w\s-]+")

EXACT, COMPOUND_EDGE, COMPOUND_INSIDE, SYNONYM, SYNONYM_COMPOUND = 1.0, 0.8, 0.6, 0.8, 0.6
TYPO = {1: 0.7, 2: 0.5}
TYPO_IN_COMPOUND = 0.5
#: weight from which a word is more than a passing mention on a page
STRONG = 1.5


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


# --- words ------------------------------------------------------------------------


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance (with swapped neighbours as one edit), or ``limit + 1`` if larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def distance_inside(part: str, word: str, limit: int) -> int:
    """Edit distance of ``part`` to its best match anywhere inside ``word``."""
    previous = [0] * (len(word) + 1)
    for i, ca in enumerate(part, 1):
        current = [i] + [0] * len(word)
        for j, cb in enumerate(word, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(min(previous), limit + 1)


def typo_limit(word: str) -> int:
    """How many letters may be wrong: none in short words, two in long ones."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 8 else 2


@dataclass
class Term:
    """One word of the query and what it may stand for."""

    typed: str  # as typed
    key: str  # folded and stemmed
    synonyms: list[str] = field(default_factory=list)  # their keys
    matches: dict[int, float] = field(default_factory=dict)  # word id → factor
    exact: bool = False  # found as typed (or in a compound, or by a synonym)
    corrections: list[tuple[int, int, str, int]] = field(default_factory=list)


@dataclass
class Ranking:
    """Page ids, best first, and what to suggest instead of the query."""

    ids: list[int]
    suggestion: str = ""
    terms: list[Term] = field(default_factory=list)


def query_terms(query: str) -> list[Term]:
    terms = []
    seen = set()
    for form, key in analyse(search_terms(clean_query(query))):
        if key not in seen:
            seen.add(key)
            terms.append(Term(typed=form, key=key))
    return terms[:MAX_TERMS]


def _add_synonyms(terms: list[Term]) -> None:
    from .models import SearchSynonym

    keys = {term.key for term in terms}
    # the staff's list is short: read it whole and match here
    for synonym in SearchSynonym.objects.only("term", "synonyms"):
        term_keys = [key for _form, key in analyse(synonym.term)]
        if not term_keys:
            continue
        for term in terms:
            if term.key in term_keys or (len(term_keys) == 1 and _extends(term.key, term_keys[0])):
                term.synonyms.extend(
                    key
                    for text in synonym.synonym_list()
                    for _form, key in analyse(text)
                    if key not in keys
                )


def _extends(key: str, base: str) -> bool:
    """ "baeckerei" extends "baeck": the synonyms of a word hold for its derivations."""
    return len(base) >= 4 and key.startswith(base) and len(key) - len(base) <= 3


def _candidates(terms: list[Term]) -> list[tuple[int, str, str]]:
    """(id, word, form) of vocabulary words that may match one of the terms.

    The SQL is put together from constants (table name, limits); every value is a
    query parameter."""
    from .models import SearchWord

    table = SearchWord._meta.db_table
    parts, params = [], []
    for term in terms:
        keys = [term.key, *term.synonyms]
        if connection.vendor == "postgresql":
            conditions = ["word = %s"] * len(keys)
            params_term = list(keys)
            for key in keys:
                if len(key) >= 4:
                    conditions.append("word LIKE %s")
                    params_term.append(f"%{_like_escape(key)}%")
            if len(term.key) >= 4:
                conditions += ["word %% %s", "%s <%% word"]
                params_term += [term.key, term.key]
            parts.append(
                f"(SELECT id, word, form FROM {table} WHERE doc_count > 0 AND "  # noqa: S608
                f"({' OR '.join(conditions)}) "
                "ORDER BY word = %s DESC, word LIKE %s DESC, word_similarity(%s, word) DESC "
                f"LIMIT {CANDIDATES_PER_TERM})"
            )
            params += [*params_term, term.key, f"%{_like_escape(term.key)}%", term.key]
        else:
            conditions = [f"word IN ({', '.join(['%s'] * len(keys))})"]
            params_term = list(keys)
            contains = [_fts_phrase(key) for key in keys if len(key) >= 4]
            if contains:
                conditions.append(
                    f"id IN (SELECT rowid FROM {table}_trigram WHERE {table}_trigram "  # noqa: S608
                    f"MATCH %s LIMIT {CANDIDATES_PER_TERM})"
                )
                params_term.append(" OR ".join(contains))
            trigrams = _trigrams(term.key)
            if len(term.key) >= 4 and trigrams:
                conditions.append(
                    f"id IN (SELECT rowid FROM {table}_trigram WHERE {table}_trigram "  # noqa: S608
                    f"MATCH %s ORDER BY rank LIMIT {CANDIDATES_PER_TERM})"
                )
                params_term.append(" OR ".join(_fts_phrase(gram) for gram in trigrams))
            parts.append(
                f"SELECT id, word, form FROM {table} WHERE doc_count > 0 AND "  # noqa: S608
                f"({' OR '.join(conditions)})"
            )
            params += params_term
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(parts), params)
        return cursor.fetchall()


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _trigrams(word: str) -> list[str]:
    return sorted({word[i : i + 3] for i in range(len(word) - 2)})


def _classify(terms: list[Term], candidates) -> dict[int, tuple[str, str]]:
    """Which candidate stands for which term, and how well."""
    words = {pk: (word, form) for pk, word, form in candidates}
    for term in terms:
        key = term.key
        limit = typo_limit(key)
        for pk, (word, _form) in words.items():
            factor = 0.0
            if word == key:
                factor = EXACT
            elif len(key) >= 4 and key in word:
                factor = (
                    COMPOUND_EDGE if word.startswith(key) or word.endswith(key) else COMPOUND_INSIDE
                )
            if factor:
                term.exact = True
            for synonym in term.synonyms:
                if word == synonym:
                    factor = max(factor, SYNONYM)
                    term.exact = True
                elif len(synonym) >= 4 and synonym in word:
                    factor = max(factor, SYNONYM_COMPOUND)
                    term.exact = True
            if factor:
                term.matches[pk] = factor
        if term.exact:
            continue
        # only a word the site does not contain is read as a typo
        for pk, (word, form) in words.items():
            factor = 0.0
            if limit:
                edits = distance(key, word, limit + 1)
                if edits <= limit:
                    factor = TYPO[edits]
                elif (
                    len(word) > len(key) + 2
                    and len(key) >= 6
                    and distance_inside(key, word, 1) <= 1
                ):
                    factor = TYPO_IN_COMPOUND
                if edits <= limit + 1:
                    term.corrections.append((edits, pk, form, 0))
            if factor:
                term.matches[pk] = factor
    return words


def _rarity(pages_with_word: int) -> float:
    return math.log(1 + 1000 / max(pages_with_word, 1))


def rank(query: str, pages) -> Ranking:
    """Rank ``pages`` (a queryset of pages) for the query; see the module's docstring."""
    from .models import SearchPosting

    terms = query_terms(query)
    if not terms:
        return Ranking(ids=[])
    _add_synonyms(terms)
    words = _classify(terms, _candidates(terms))
    wanted = {pk for term in terms for pk in term.matches} | {
        pk for term in terms for _e, pk, _f, _n in term.corrections
    }
    postings = []
    if wanted:
        postings = list(
            SearchPosting.objects.filter(word_id__in=wanted, page__in=pages.order_by().values("pk"))
            .order_by()
            .values_list("page_id", "word_id", "weight", "word__doc_count")
        )
    seen_words = {word_id for _page, word_id, _w, _n in postings}
    scores: dict[int, list[float]] = {}
    strengths: dict[int, dict[int, float]] = {}
    for index, term in enumerate(terms):
        best: dict[int, float] = {}
        for page_id, word_id, weight, pages_with_word in postings:
            factor = term.matches.get(word_id)
            if factor:
                value = factor * weight * _rarity(pages_with_word)
                if value > best.get(page_id, 0.0):
                    best[page_id] = value
                page_strength = strengths.setdefault(page_id, {})
                page_strength[index] = max(page_strength.get(index, 0.0), weight)
        for page_id, value in best.items():
            scores.setdefault(page_id, [0.0] * len(terms))[index] = value
    # a page that mentions a word only in passing (in its body, once) is shown only when
    # no page has it in a title or short field, or several times
    strong = {
        page_id
        for page_id, values in strengths.items()
        if len(values) == len(terms) and min(values.values()) >= STRONG
    }
    if strong:
        scores = {page_id: values for page_id, values in scores.items() if page_id in strong}
    ranked = sorted(
        scores.items(),
        key=lambda item: (-sum(1 for v in item[1] if v), -sum(item[1]), -item[0]),
    )
    if ranked:
        most = sum(1 for v in ranked[0][1] if v)
        if most == len(terms):
            ranked = [item for item in ranked if all(item[1])]
    ids = [page_id for page_id, _values in ranked][:MAX_RESULTS]
    return Ranking(ids=ids, suggestion=_suggestion(terms, words, seen_words), terms=terms)


def _suggestion(terms, words, seen_words) -> str:
    """The query with each word found only by another spelling replaced by the word the
    site contains (one the visitor may see); empty when nothing is to be changed."""
    changed = False
    parts = []
    for term in terms:
        if term.exact:
            parts.append(term.typed)
            continue
        options = sorted(
            (edits, form)
            for edits, pk, form, _n in term.corrections
            if pk in seen_words and fold(form) != fold(term.typed)
        )
        if options:
            parts.append(options[0][1])
            changed = True
        else:
            parts.append(term.typed)
    return " ".join(parts) if changed else ""


def rank_pages(query: str, pages) -> list[int]:
    """Ids of the pages of ``pages`` that match the query, best first."""
    return rank(query, pages).ids


def search_pages(query: str, site=None) -> list[Page]:
    """Pages matching the query, best first, with what a result list needs (id, type,
    title, date); the search view describes the ones it shows."""
    return find_pages(query, site)[0]


def find_pages(query: str, site=None) -> tuple[list[Page], str]:
    """Pages matching the query, best first, and a "Meinten Sie …?" suggestion."""
    pages = searchable_pages(site)
    ranking = rank(query, pages)
    if not ranking.ids:
        return [], ranking.suggestion
    found = {
        page.pk: page
        for page in Page.objects.filter(pk__in=ranking.ids).only(
            "id", "content_type_id", "title", "first_published_at"
        )
    }
    return [found[pk] for pk in ranking.ids if pk in found], ranking.suggestion


__all__ = ["clean_query", "closeness", "rank", "find_pages", "rank_pages", "search_pages", "stem"]


def closeness(query: str, text: str) -> float:
    """How near a query is to a short text (a topic's name): the best share of common
    trigrams between one of their words (0: nothing in common)."""
    best = 0.0
    for _form, key in analyse(search_terms(clean_query(query))):
        grams = set(_trigrams(f" {key} "))
        for _other_form, other in analyse(text):
            others = set(_trigrams(f" {other} "))
            if key in other or other in key:
                best = max(best, 1.0)
            elif grams and others:
                best = max(best, len(grams & others) / len(grams | others))
    return best
