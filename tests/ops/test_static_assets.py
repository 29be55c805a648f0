"""Front-end weight: one stylesheet compiled from Bootstrap's Sass sources with only the parts
the site uses (static/scss/, `make assets`), served with far-future cache headers, and a
catalogue whose first visit on a phone stays light."""

import gzip
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
BUILT_CSS = ROOT / "static" / "build" / "site.css"
BOOTSTRAP_CSS = ROOT / "node_modules" / "bootstrap" / "dist" / "css" / "bootstrap.css"
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"

# Measured with Bootstrap 5.3.8: 75.6 kB, 13.5 kB gzipped (the copied bootstrap.min.css plus
# theme.css were 242 kB, 33.3 kB gzipped). The budgets leave room for the site to grow.
CSS_BUDGET_RAW = 100_000
CSS_BUDGET_GZIP = 18_000
# The catalogue's first visit on a phone: HTML plus every stylesheet and script, gzipped,
# images not counted.
FIRST_VISIT_BUDGET_GZIP = 120 * 1024

# Selectors of the components and helpers that the templates and forms need.
KEY_SELECTORS = [
    ".container",
    ".row-cols-md-3",
    ".col-lg-8",
    ".btn",
    ".btn-primary",
    ".btn-outline-primary",
    ".btn-link",
    ".form-control",
    ".form-select",
    ".form-check-input",
    ".form-label",
    ".is-invalid",
    ".invalid-feedback",
    ".visually-hidden",
    ".visually-hidden-focusable",
    ".card",
    ".card-img-top",
    ".alert-danger",
    ".alert-success",
    ".badge",
    ".text-bg-success",
    ".breadcrumb-item",
    ".pagination",
    ".page-link",
    ".nav-link",
    ".ratio-16x9",
    ".figure-caption",
    ".py-md-5",
    # the theme, compiled into the same file
    ".btn-accent",
    ".skip-link",
    ".seat-badge--open",
    ".catalogue-filter",
]


def built_css() -> str:
    if not BUILT_CSS.exists():
        pytest.fail(f"{BUILT_CSS.relative_to(ROOT)} is missing: run `make assets`")
    return BUILT_CSS.read_text()


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def css_classes(css: str) -> set[str]:
    """Class names that selectors of ``css`` mention (declarations removed first)."""
    while True:
        stripped = re.sub(r"\{[^{}]*\}", "{}", css)
        if stripped == css:
            break
        css = stripped
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", css))


@cache
def bootstrap_classes() -> frozenset[str]:
    """Every class that the whole of Bootstrap defines (its unabridged dist build)."""
    if not BOOTSTRAP_CSS.exists():
        pytest.fail("node_modules/bootstrap is missing: run `make install`")
    return frozenset(css_classes(BOOTSTRAP_CSS.read_text()))


def classes_in_html(html: str) -> set[str]:
    return {name for value in re.findall(r'class="([^"]*)"', html) for name in value.split()}


def missing_bootstrap_classes(used: set[str]) -> list[str]:
    return sorted((used & bootstrap_classes()) - css_classes(built_css()))


HINT = (
    "Bootstrap classes in use but not built: add the component's import or the utility's "
    "values in static/scss/_bootstrap-parts.scss, then `make assets`"
)


# --- The built stylesheet -------------------------------------------------------------------


def test_one_small_stylesheet_is_built():
    css = built_css().encode()
    assert len(css) < CSS_BUDGET_RAW, len(css)
    assert gzip_size(css) < CSS_BUDGET_GZIP, gzip_size(css)


@pytest.mark.parametrize("selector", KEY_SELECTORS)
def test_stylesheet_has_what_the_templates_use(selector):
    assert selector[1:] in css_classes(built_css()), f"{selector} is missing from the build"


def test_theme_comes_after_bootstrap():
    css = built_css()
    bootstrap_rule = re.search(r"\.btn-primary\{--bs-btn-color:\s*#fff", css)
    theme_rule = re.search(r"\.btn-primary\{--bs-btn-bg:\s*var\(--academy-blue\)", css)
    assert bootstrap_rule and theme_rule
    bootstrap_rule, theme_rule = bootstrap_rule.start(), theme_rule.start()
    assert bootstrap_rule < theme_rule, "the theme must override Bootstrap's own rules"


def _site_templates() -> list[Path]:
    """The templates styled by the site's stylesheet: not the ones in the Wagtail admin
    (admin/ folders, or extending wagtailadmin/ directly or through another template)
    and not e-mails."""
    templates = ROOT / "templates"

    def in_admin(path: Path) -> bool:
        seen = set()
        while path not in seen and path.exists():
            seen.add(path)
            parent = re.search(r"\{%\s*extends\s+[\"']([^\"']+)[\"']", path.read_text())
            if parent is None:
                return False
            if parent[1].startswith("wagtailadmin/"):
                return True
            path = templates / parent[1]
        return False

    return [
        path
        for path in sorted(templates.rglob("*.html"))
        if not {"admin", "mail"} & set(path.relative_to(templates).parts) and not in_admin(path)
    ]


def _template_classes() -> dict[str, set[str]]:
    """Literal class names in the site's templates, widgets and scripts, by where they occur."""
    found: dict[str, set[str]] = {}

    def add(value: str, where: str) -> None:
        for name in re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", value).split():
            found.setdefault(name, set()).add(where)

    for path in _site_templates():
        text = path.read_text()
        for value in re.findall(r'class="((?:[^"{]|\{\{.*?\}\}|\{%.*?%\})*)"', text, re.S):
            add(value, str(path.relative_to(ROOT)))
    for app in ("home", "courses", "enrolment"):
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text()
            for value in re.findall(r'(?:"class"\s*:\s*|css_class\s*=\s*)"([^"]*)"', text):
                add(value, str(path.relative_to(ROOT)))
    for path in (ROOT / "static" / "js").rglob("*.js"):
        for args in re.findall(r"classList\.\w+\(([^)]*)\)", path.read_text()):
            add(" ".join(re.findall(r"[\"']([\w-]+)[\"']", args)), str(path.relative_to(ROOT)))
    return found


def test_every_bootstrap_class_in_the_templates_is_built():
    found = _template_classes()
    assert {"btn-primary", "form-control", "ratio-16x9"} <= set(found)  # the scan works
    missing = missing_bootstrap_classes(set(found))
    assert not missing, f"{HINT}: " + ", ".join(f"{n} ({min(found[n])})" for n in missing)


# --- A catalogue with demo-like content -------------------------------------------------------


@pytest.fixture
def demo_catalogue(home_page):
    """About as much as the demo content: 30 courses with two dates each, five topics,
    trainers, target groups, trades, partners with logos in the footer."""
    from home.images import get_or_create_image
    from tests.factories import (
        CourseDateFactory,
        CourseIndexPageFactory,
        CoursePageFactory,
        PartnerFactory,
        TargetGroupFactory,
        TopicFactory,
        TradeFactory,
        TrainerFactory,
        _in_days,
    )

    image = get_or_create_image("Werkstatt")
    colours = ["blue", "orange", "green", "purple", "red"]
    names = ["Digitalisierung", "Betriebsnachfolge", "Innovation", "Kreativwirtschaft", "Recht"]
    topics = [
        TopicFactory(name=name, slug=name.lower(), colour=colour)
        for name, colour in zip(names, colours, strict=True)
    ]
    groups = TargetGroupFactory.create_batch(4)
    trades = TradeFactory.create_batch(8)
    trainers = TrainerFactory.create_batch(4)
    PartnerFactory.create_batch(6, logo=image)
    index = CourseIndexPageFactory(parent=home_page)
    courses = []
    for n in range(30):
        course = CoursePageFactory(
            parent=index,
            title=f"Digitale Auftragsabwicklung im Handwerksbetrieb, Teil {n + 1}",
            teaser="Vom Angebot bis zur Rechnung: wie kleine Betriebe ihre Abläufe "
            "digital organisieren, ohne den Überblick zu verlieren.",
            topics=[topics[n % 5], topics[(n + 2) % 5]],
            image=image,
            image_alt="Werkstatt",
            price=120 + n,
        )
        course.target_groups.set(groups[n % 4 : n % 4 + 2])
        course.trades.set(trades[n % 8 : n % 8 + 3])
        course.trainers.set(trainers[n % 4 : n % 4 + 1])
        course.save()
        for offset in (10, 45):
            CourseDateFactory(course=course, start=_in_days(offset + n))
        courses.append(course)
    return index, courses


def _static_files(html: str) -> list[Path]:
    """The local files of every stylesheet and script that ``html`` loads."""
    from django.conf import settings

    urls = re.findall(r'<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"', html)
    urls += re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', html)
    files = []
    for url in urls:
        path = urlsplit(url).path
        assert path.startswith(settings.STATIC_URL), f"{url} is not one of the site's static files"
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        assert found, f"{url} does not resolve to a static file"
        files.append(Path(found))
    return files


@pytest.mark.django_db
def test_catalogue_first_visit_on_a_phone_stays_light(client, demo_catalogue):
    index, _ = demo_catalogue
    response = client.get(index.url, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile")
    assert response.status_code == 200
    html = response.content
    assets = _static_files(html.decode())
    assert BUILT_CSS in assets, "the catalogue loads the built stylesheet"
    sizes = {"HTML": gzip_size(html)} | {p.name: gzip_size(p.read_bytes()) for p in assets}
    total = sum(sizes.values())
    assert total < FIRST_VISIT_BUDGET_GZIP, f"{total} bytes gzipped: {sizes}"


@pytest.mark.django_db
def test_rendered_pages_use_only_built_bootstrap_classes(client, demo_catalogue):
    index, courses = demo_catalogue
    date = courses[0].dates.first()
    responses = [
        client.get(index.url),
        client.get(index.url, {"page": 2, "thema": "digitalisierung"}),
        client.get(courses[0].url),
        client.get(reverse("search"), {"q": "Handwerk"}),
        client.post(reverse("enrolment:enrol", args=[date.pk]), {"email": "kein-at"}),
        client.post(reverse("learner:signin"), {"email": "kein-at"}),
    ]
    used = set()
    for response in responses:
        assert response.status_code in (200, 400), response.status_code
        used |= classes_in_html(response.content.decode())
    assert {"form-control", "is-invalid", "invalid-feedback", "card"} <= used  # forms with errors
    missing = missing_bootstrap_classes(used)
    assert not missing, f"{HINT}: {missing}"


# --- Far-future cache headers for hashed files ------------------------------------------------


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic with the production settings (manifest storage, compressed copies)."""
    root = tmp_path_factory.mktemp("static_collected")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="academy.settings.production",
        SECRET_KEY="collectstatic-only-" + "x" * 40,
        ALLOWED_HOSTS="akademie.example.org",
        STATIC_ROOT=str(root),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def production_static(settings, collected):
    settings.STATIC_ROOT = collected
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    settings.DEBUG = False
    return json.loads((collected / "staticfiles.json").read_text())["paths"]


def test_production_uses_the_compressed_manifest_storage():
    # The fixture above mirrors this setting; the collectstatic run itself uses production.py.
    assert MANIFEST_STORAGE in (ROOT / "academy" / "settings" / "production.py").read_text()


def test_hashed_stylesheet_is_cached_for_ten_years_and_immutable(client, production_static):
    hashed = production_static["build/site.css"]
    assert re.fullmatch(r"build/site\.[0-9a-f]{12}\.css", hashed)
    page = render_to_string("500.html")
    assert f'href="/static/{hashed}"' in page, "pages link the hashed name"

    response = client.get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    body = gzip.decompress(b"".join(response.streaming_content))
    assert body == BUILT_CSS.read_bytes()


def test_unhashed_name_is_cached_only_briefly(client, production_static):
    response = client.get("/static/build/site.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert response["Cache-Control"] == "max-age=60, public"


# --- Images ---------------------------------------------------------------------------------


IMAGE_TAG = re.compile(r"<img\b[^>]*>|\{%\s*(?:image|picture|srcset_image)\b.*?%\}", re.S)
# Images that are never below the fold of a public page.
NOT_LAZY = {
    "home/partner_preview.html",  # the partner's preview in the editor: the only image
}


def test_images_have_dimensions_and_load_lazily_unless_they_lead_the_page():
    problems = []
    for path in _site_templates():
        name = str(path.relative_to(ROOT / "templates"))
        for tag in IMAGE_TAG.findall(path.read_text()):
            if tag.startswith("<img"):
                # Wagtail's tags write the rendition's width and height themselves.
                if not ("width=" in tag and "height=" in tag):
                    problems.append(f"{name}: {tag} has no width and height")
            elif name not in NOT_LAZY and not (
                'loading="lazy"' in tag or 'fetchpriority="high"' in tag
            ):
                problems.append(f'{name}: {tag} is neither loading="lazy" nor the page\'s lead')
    assert not problems, "\n".join(problems)
