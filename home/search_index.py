"""The site search's index: German words of every live page, kept up to date.

Text goes through :func:`analyse`: split into words (hyphenated words also joined:
"IT-Sicherheit" → it, sicherheit, itsicherheit), folded (lower case, ä → ae, ö → oe,
ü → ue, ß → ss, accents dropped: "Meißen" and "Meissen" become one word), stop words
dropped, and stemmed with CISTEM (Weissweiler & Fraser 2017, a stemmer made for German
search: "Nachfolge", "Nachfolgen", "Nachfolger" → "nachfolg"). Queries go through the
same steps (``home/search.py``).

Each page gives rows of :class:`~home.models.SearchPosting` (word, weight by field:
title, short fields such as teaser, topics or places, body) and adds its words to
:class:`~home.models.SearchWord`, the vocabulary that compounds, typos and "Meinten
Sie …?" are looked up in.

The index is a search backend of Wagtail's search (``WAGTAILSEARCH_BACKENDS["site"]``):
Wagtail calls it whenever an indexed object is saved or deleted (a page is saved on
every publish and unpublish; a course when one of its dates changes), and
``manage.py update_index`` rebuilds it. Only live pages keep rows; which of them a
visitor may see is decided when searching.
"""

import math
import re
import unicodedata
from collections import defaultdict

from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from modelsearch.backends.base import BaseIndex, BaseSearchBackend
from modelsearch.index import RelatedFields, SearchField

WORD_MAX_LENGTH = 60

#: weight of a word by the field it stands in
TITLE_WEIGHT = 6.0
SHORT_FIELD_WEIGHT = 2.0  # teaser, intro, topics, tags, places, names
BODY_WEIGHT = 1.0
SHORT_FIELDS = {"teaser", "intro", "search_description", "name", "city", "venue_name"}

# frequent German words that say nothing about a page (folded)
STOP_WORDS = frozenset(
    [
        "aber",
        "alle",
        "allem",
        "allen",
        "aller",
        "alles",
        "als",
        "also",
        "am",
        "an",
        "ans",
        "auch",
        "auf",
        "aus",
        "bei",
        "beim",
        "bin",
        "bis",
        "bist",
        "da",
        "damit",
        "dann",
        "das",
        "dass",
        "dein",
        "deine",
        "dem",
        "den",
        "der",
        "des",
        "dessen",
        "die",
        "dies",
        "diese",
        "diesem",
        "diesen",
        "dieser",
        "dieses",
        "doch",
        "dort",
        "du",
        "durch",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "er",
        "es",
        "etwa",
        "euch",
        "euer",
        "eure",
        "fuer",
        "gegen",
        "hat",
        "hatte",
        "haben",
        "hier",
        "hin",
        "ich",
        "ihm",
        "ihn",
        "ihnen",
        "ihr",
        "ihre",
        "ihrem",
        "ihren",
        "ihrer",
        "im",
        "in",
        "ins",
        "ist",
        "ja",
        "jede",
        "jedem",
        "jeden",
        "jeder",
        "jedes",
        "kann",
        "kein",
        "keine",
        "man",
        "mit",
        "muss",
        "nach",
        "nicht",
        "noch",
        "nun",
        "nur",
        "ob",
        "oder",
        "ohne",
        "sehr",
        "sein",
        "seine",
        "sich",
        "sie",
        "sind",
        "so",
        "solche",
        "soll",
        "sollte",
        "sondern",
        "sowie",
        "um",
        "und",
        "uns",
        "unser",
        "unsere",
        "unter",
        "vom",
        "von",
        "vor",
        "war",
        "waren",
        "was",
        "weil",
        "welche",
        "wenn",
        "wer",
        "werden",
        "wie",
        "wieder",
        "will",
        "wir",
        "wird",
        "wo",
        "wurde",
        "zu",
        "zum",
        "zur",
        "zwischen",
        "ueber",
    ]
)

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})


def fold(text: str) -> str:
    """Lower case, German umlauts and ß spelled out, other accents dropped."""
    text = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """CISTEM (case-insensitive) on a folded word."""
    if len(word) <= 3:
        return word
    word = word.replace("sch", "$").replace("ei", "%").replace("ie", "&")
    word = re.sub(r"(.)\1", r"\1*", word)
    while len(word) > 3:
        if len(word) > 5 and word[-2:] in ("em", "er", "nd"):
            word = word[:-2]
        elif word[-1] in "tesn":
            word = word[:-1]
        else:
            break
    word = re.sub(r"(.)\*", r"\1\1", word)
    return word.replace("%", "ei").replace("&", "ie").replace("$", "sch")


def words(text: str) -> list[tuple[str, str]]:
    """(surface form, folded word) of every word of a text, hyphenated words as their
    parts and joined."""
    found = []
    for match in _WORD.finditer(text):
        token = match.group(0)
        parts = token.split("-")
        for part in parts:
            found.append((part, fold(part)))
        if len(parts) > 1:
            joined = "".join(parts)
            found.append((joined, fold(joined)))
    return found


def analyse(text: str) -> list[tuple[str, str]]:
    """(surface form, index word) of every word worth indexing or searching for."""
    result = []
    for form, folded in words(text):
        if folded in STOP_WORDS or (len(folded) < 2 and not folded.isdigit()):
            continue
        key = stem(folded)[:WORD_MAX_LENGTH]
        if key:
            result.append((form[:WORD_MAX_LENGTH], key))
    return result


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return strip_tags(value) if "<" in value else value
    if isinstance(value, (list, tuple)):
        return " ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_plain(item) for item in value.values())
    return _plain(force_str(value))


def _field_texts(obj, fields, related=False):
    """(weight, text) of each search field of ``obj`` (as its ``search_fields`` say)."""
    for field in fields:
        if isinstance(field, SearchField):
            name = field.field_name
            if name == "title" and not related:
                weight = TITLE_WEIGHT
            elif related or name in SHORT_FIELDS:
                weight = SHORT_FIELD_WEIGHT
            else:
                weight = BODY_WEIGHT
            yield weight, _plain(field.get_value(obj))
        elif isinstance(field, RelatedFields):
            value = field.get_value(obj)
            if value is None:
                continue
            if hasattr(value, "all"):
                items = value.all()
            else:
                items = [value() if callable(value) else value]
            for item in items:
                yield from _field_texts(item, field.fields, related=True)


def page_words(page) -> dict[str, tuple[str, float]]:
    """index word → (surface form, weight) of one (specific) page."""
    counts: dict[str, dict[float, int]] = defaultdict(lambda: defaultdict(int))
    forms: dict[str, str] = {}
    texts = list(_field_texts(page, page.get_search_fields()))
    if page.search_description:
        texts.append((SHORT_FIELD_WEIGHT, page.search_description))
    for weight, text in texts:
        for form, key in analyse(text):
            counts[key][weight] += 1
            forms.setdefault(key, form)
    # a word counts by the best field it stands in, a little more when repeated
    return {
        key: (
            forms[key],
            max(weight * (1 + math.log(number)) for weight, number in by_weight.items())
            + 0.1 * (sum(by_weight.values()) - 1),
        )
        for key, by_weight in counts.items()
    }


def index_pages(pages) -> None:
    """Replace the index rows of these pages (rows of pages not live are removed)."""
    from wagtail.models import Page

    from .models import SearchPosting, SearchWord

    entries = {}
    for page in pages:
        if not isinstance(page, Page):
            continue
        if page.live:
            specific = page.specific_deferred if type(page) is Page else page
            entries[page.pk] = page_words(specific)
        else:
            entries[page.pk] = {}
    if not entries:
        return
    old_word_ids = set(
        SearchPosting.objects.filter(page_id__in=entries).values_list("word_id", flat=True)
    )
    SearchPosting.objects.filter(page_id__in=entries).delete()
    wanted = {key: form for found in entries.values() for key, (form, _w) in found.items()}
    ids = {}
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        ids.update(SearchWord.objects.filter(word__in=chunk).values_list("word", "pk"))
    missing = [SearchWord(word=key, form=wanted[key]) for key in keys if key not in ids]
    if missing:
        SearchWord.objects.bulk_create(missing, batch_size=500, ignore_conflicts=True)
        for start in range(0, len(missing), 500):
            chunk = [word.word for word in missing[start : start + 500]]
            ids.update(SearchWord.objects.filter(word__in=chunk).values_list("word", "pk"))
    SearchPosting.objects.bulk_create(
        [
            SearchPosting(page_id=page_id, word_id=ids[key], weight=weight)
            for page_id, found in entries.items()
            for key, (_form, weight) in found.items()
        ],
        batch_size=500,
    )
    _count_pages(old_word_ids | set(ids.values()))


def remove_pages(page_ids) -> None:
    from .models import SearchPosting

    page_ids = list(page_ids)
    old_word_ids = set(
        SearchPosting.objects.filter(page_id__in=page_ids).values_list("word_id", flat=True)
    )
    SearchPosting.objects.filter(page_id__in=page_ids).delete()
    _count_pages(old_word_ids)


def _count_pages(word_ids) -> None:
    from .models import SearchPosting, SearchWord

    counts = (
        SearchPosting.objects.filter(word=OuterRef("pk"))
        .order_by()
        .values("word")
        .annotate(number=Count("pk"))
        .values("number")
    )
    word_ids = list(word_ids)
    for start in range(0, len(word_ids), 500):
        SearchWord.objects.filter(pk__in=word_ids[start : start + 500]).update(
            doc_count=Coalesce(Subquery(counts), 0)
        )


def reset() -> None:
    from .models import SearchPosting, SearchWord

    SearchPosting.objects.all().delete()
    SearchWord.objects.all().delete()
    if connection.vendor == "sqlite":
        # the trigram table follows the words by triggers; start it afresh as well
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO home_searchword_trigram(home_searchword_trigram) VALUES ('rebuild')"
            )


class SiteIndex(BaseIndex):
    def get_key(self):
        return "site"

    def reset(self):
        reset()

    def add_items(self, model, items):
        index_pages(items)

    def delete_item(self, item):
        from wagtail.models import Page

        if isinstance(item, Page):
            remove_pages([item.pk])


class SiteIndexRebuilder:
    def __init__(self, index):
        self.index = index

    def start(self):
        self.index.reset()
        return self.index

    def finish(self):
        pass


class SiteSearchBackend(BaseSearchBackend):
    """Keeps the site search's index; searching is ``home.search``'s (not ``.search()``)."""

    index_class = SiteIndex
    rebuilder_class = SiteIndexRebuilder

    def search(self, *args, **kwargs):
        raise NotImplementedError("The site index is searched with home.search.rank_pages().")

    autocomplete = search


SearchBackend = SiteSearchBackend
