"""German text for addresses and file names: ä → ae, ö → oe, ü → ue, ß → ss.

Django's ``slugify`` and Wagtail's slug field drop the umlaut's dots ("Fördermittel für"
→ "fordermittel-fur"), which reads wrongly to a German visitor; these spell it out."""

from django.utils.text import slugify

GERMAN_LETTERS = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
    "ß": "ss",
    "ẞ": "SS",
}
_TABLE = str.maketrans(GERMAN_LETTERS)


def transliterate(text: str) -> str:
    """The German letters written out in ASCII (other letters unchanged)."""
    return (text or "").translate(_TABLE)


def german_slug(text: str, max_length: int = 80, default: str = "") -> str:
    """A slug for an address or file name: "Fördermittel für Bäcker" →
    "foerdermittel-fuer-baecker" (other accented letters lose their accent)."""
    slug = slugify(transliterate(text))[:max_length].strip("-")
    return slug or default


def slug_widget():
    """Wagtail's slug field (it follows the title as one types) with the German letters
    spelled out before the rest is simplified."""
    from wagtail.admin.widgets import SlugInput

    class GermanSlugInput(SlugInput):
        def __init__(self, attrs=None, formatters=None, locale=None):
            german = list(GERMAN_LETTERS.items())
            super().__init__(attrs, formatters=[*german, *(formatters or [])], locale=locale)

    return GermanSlugInput
