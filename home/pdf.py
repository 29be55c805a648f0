"""Text in the project's PDFs (fpdf2): certificates, sign-in sheets, invoices.

Unicode with DejaVu Sans (Debian's ``fonts-dejavu-core``) when installed, so umlauts,
ß, dashes and the euro sign print as written; without it Helvetica with the text
reduced to latin-1. One place, so every PDF of the site looks and behaves alike.
"""

from pathlib import Path

from django.utils.text import normalize_newlines

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

LATIN1_REPLACEMENTS = {
    "–": "-",
    "—": "-",
    "„": '"',
    "“": '"',
    "”": '"',
    "’": "'",
    "…": "...",
    "€": "EUR",
    "•": "-",
}


class PdfText:
    """Fonts of one fpdf2 document, and text made printable with them."""

    def __init__(self, pdf):
        self.pdf = pdf
        regular = FONT_DIR / "DejaVuSans.ttf"
        bold = FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.exists():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold if bold.exists() else regular))
            self.family, self.unicode = "DejaVu", True
        else:
            self.family, self.unicode = "Helvetica", False

    def clean(self, text: str) -> str:
        text = normalize_newlines(str(text))
        if self.unicode:
            return text
        for old, new in LATIN1_REPLACEMENTS.items():
            text = text.replace(old, new)
        return text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size, style=""):
        self.pdf.set_font(self.family, style, size)
