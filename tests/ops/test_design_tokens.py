"""The design tokens (static/scss/_tokens.scss): every text colour is readable on the
backgrounds it is used on (WCAG 2.1 AA: at least 4.5:1), and the theme takes its
colours from the tokens instead of writing them out again."""

import re
from pathlib import Path

import pytest

SCSS = Path(__file__).resolve().parents[2] / "static" / "scss"

# text token → the background tokens it stands on in the theme
PAIRS = {
    "ink": ("surface", "surface-muted", "blue-light", "neutral-bg", "highlight-bg"),
    "ink-muted": ("surface", "surface-muted", "blue-light"),
    "link": ("surface", "surface-muted", "blue-light"),
    "link-hover": ("surface", "blue-light"),
    "blue": ("surface", "blue-light"),
    "orange": ("surface",),
    "success": ("success-bg", "surface"),
    "warning": ("warning-bg", "surface"),
    "danger": ("danger-bg", "surface"),
    "neutral": ("neutral-bg", "surface"),
    # white text on filled buttons, badges, the footer
    "surface": (
        "blue",
        "blue-dark",
        "blue-muted",
        "orange",
        "orange-dark",
        "topic-green",
        "topic-purple",
        "topic-red",
    ),
}


def tokens() -> dict[str, str]:
    text = (SCSS / "_tokens.scss").read_text()
    block = text[text.index("$academy-colours:") :]
    block = block[: block.index(");")]
    return dict(re.findall(r'"([a-z-]+)":\s*(#[0-9a-fA-F]{6})', block))


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_the_known_extremes():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    ("text", "background"),
    [(text, background) for text, backgrounds in PAIRS.items() for background in backgrounds],
)
def test_text_colour_is_readable_on_its_background(text, background):
    colours = tokens()
    ratio = contrast(colours[text], colours[background])
    assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}:1"


def test_theme_writes_no_colour_of_its_own():
    """Colours live in the tokens; the theme names them (var(--academy-…))."""
    theme = (SCSS / "_theme.scss").read_text()
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", theme, flags=re.S)
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b", code) == []


def test_every_token_the_theme_uses_exists():
    theme = (SCSS / "_theme.scss").read_text()
    text = (SCSS / "_tokens.scss").read_text()
    defined = set(tokens()) | set(re.findall(r'"(-?\d|h\d)":', text))
    defined |= {f"step-{step}" for step in re.findall(r'"(-?\d)":', text)}
    defined |= {"line-height", "heading-line-height", "radius", "touch"}
    used = set(re.findall(r"var\(--academy-([a-z0-9-]+)\)", theme))
    assert used <= defined, used - defined
