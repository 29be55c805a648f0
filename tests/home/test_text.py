import pytest

from home.text import german_slug, transliterate


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Fördermittel für Bäcker", "foerdermittel-fuer-baecker"),
        ("Übergabe an die Größte", "uebergabe-an-die-groesste"),
        ("ÄÖÜ äöü ß ẞ", "aeoeue-aeoeue-ss-ss"),
        ("Café & Crème brûlée", "cafe-creme-brulee"),  # other accents just drop
        ("  --- ", ""),
        ("🔧", ""),
    ],
)
def test_german_slug(text, slug):
    assert german_slug(text) == slug


def test_slug_length_and_default():
    assert german_slug("Größe " * 40, max_length=20) == "groesse-groesse-groe"
    assert german_slug("", default="kurs") == "kurs"
    assert transliterate(None) == ""
