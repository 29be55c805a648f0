"""Renditions are made ahead of time: the list covers every template and call, the
command and the upload task make them, and serving a page then makes none."""

import io
import re
import shlex
from pathlib import Path

import pytest
from wagtail.images.models import Filter, Rendition

from home import renditions
from home.images import get_or_create_image

ROOT = Path(__file__).resolve().parent.parent.parent
TAG = re.compile(r"{%\s*(?:image|picture)\s+\S+\s+(.*?)%}", re.S)
CALL = re.compile(r"get_rendition\(\s*\"([^\"]+)\"\s*\)")


def _template_specs():
    for path in (ROOT / "templates").rglob("*.html"):
        for match in TAG.finditer(path.read_text()):
            bits = shlex.split(match.group(1))
            if "as" in bits:
                bits = bits[: bits.index("as")]
            spec = " ".join(bit for bit in bits if "=" not in bit)
            yield path.relative_to(ROOT), spec


def _code_specs():
    for folder in ("home", "courses", "enrolment"):
        for path in (ROOT / folder).rglob("*.py"):
            for spec in CALL.findall(path.read_text()):
                yield path.relative_to(ROOT), spec


def test_every_size_the_site_asks_for_is_made_ahead():
    known = set(renditions.filter_specs())
    found = [*_template_specs(), *_code_specs()]
    assert len(found) >= 10  # the parser sees the templates at all
    missing = [
        (str(path), spec) for path, spec in found if not set(Filter.expand_spec(spec)) <= known
    ]
    assert missing == [], "add these to home.renditions.RENDITION_SPECS"


@pytest.mark.django_db
def test_command_makes_every_rendition_once():
    from django.core.management import call_command

    image = get_or_create_image("Werkstatt")
    call_command("prepare_renditions", stdout=io.StringIO())
    specs = set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))
    assert specs == set(renditions.filter_specs())
    call_command("prepare_renditions", stdout=io.StringIO())
    assert Rendition.objects.filter(image=image).count() == len(specs)


@pytest.mark.django_db
def test_upload_prepares_renditions_in_the_background(settings, django_capture_on_commit_callbacks):
    settings.RENDITIONS_ON_UPLOAD = True
    with django_capture_on_commit_callbacks(execute=True):
        image = get_or_create_image("Neues Foto")
    assert Rendition.objects.filter(image=image).count() == len(renditions.filter_specs())


@pytest.mark.django_db
def test_serving_pages_makes_no_rendition(client, home_page):
    from tests.factories import NewsIndexPageFactory, build_news

    image = get_or_create_image("Werkstatt")
    index = NewsIndexPageFactory(parent=home_page)
    (article,) = build_news(index, 1, lead_image=image, lead_image_alt="Werkstatt")
    home_page.hero_image = image
    home_page.save_revision().publish()
    renditions.prepare()
    before = Rendition.objects.count()
    for url in ("/", index.url, article.url):
        assert client.get(url).status_code == 200
    assert Rendition.objects.count() == before
