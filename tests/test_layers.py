"""The apps depend on each other one way only:

    learning → enrolment → courses → home,   news → courses → home,   staffauth at the bottom.

A lower app never imports a higher one (it sends a signal or offers a hook that the
higher app registers instead), and a lower app's templates never load a higher app's
template tags or include or extend its templates. ``academy`` only wires the apps
together and may import any of them."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# what each app may import (besides itself, Django, Wagtail and other libraries)
ALLOWED = {
    "staffauth": set(),
    "home": set(),
    "news": {"courses", "home"},
    "courses": {"home", "staffauth"},
    "enrolment": {"courses", "home", "staffauth"},
    "learning": {"enrolment", "courses", "home", "staffauth"},
}
APPS = set(ALLOWED)
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
TEMPLATE_REF = re.compile(r"{%\s*(?:include|extends)\s+[\"']([\w-]+)/")


def python_violations(app: str, source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            top = module.split(".")[0]
            if top in APPS and top != app and top not in ALLOWED[app]:
                found.append(f"{filename}:{node.lineno} imports {module}")
    return found


def tag_libraries() -> dict[str, str]:
    """Template tag library name → the app that defines it."""
    return {
        path.stem: path.parent.parent.name
        for app in APPS
        for path in (ROOT / app / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def template_violations(app: str, text: str, filename: str, libraries: dict) -> list[str]:
    found = []
    for match in LOAD.finditer(text):
        for name in match.group(1).split():
            owner = libraries.get(name)
            if owner and owner != app and owner not in ALLOWED[app]:
                found.append(f"{filename} loads {name} of {owner}")
    for match in TEMPLATE_REF.finditer(text):
        owner = match.group(1)
        if owner in APPS and owner != app and owner not in ALLOWED[app]:
            found.append(f"{filename} uses a template of {owner}")
    return found


def test_python_imports_point_one_way():
    violations = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            violations += python_violations(app, path.read_text(), str(path.relative_to(ROOT)))
    assert violations == []


def test_templates_point_one_way():
    libraries = tag_libraries()
    violations = []
    for path in (ROOT / "templates").rglob("*.html"):
        relative = path.relative_to(ROOT / "templates")
        # base.html, components/ and the error pages belong to the site's shell
        app = relative.parts[0] if relative.parts[0] in APPS else "home"
        violations += template_violations(app, path.read_text(), str(relative), libraries)
    assert violations == []


def test_the_checks_find_a_wrong_direction():
    assert python_violations("courses", "from enrolment import services\n", "x.py") == [
        "x.py:1 imports enrolment"
    ]
    assert python_violations("home", "import news.models\n", "y.py") == [
        "y.py:1 imports news.models"
    ]
    assert python_violations("learning", "from enrolment import services\n", "z.py") == []
    libraries = {"lesson_tags": "learning", "site_tags": "home"}
    text = '{% load i18n lesson_tags site_tags %}{% include "learning/x.html" %}'
    assert template_violations("courses", text, "c.html", libraries) == [
        "c.html loads lesson_tags of learning",
        "c.html uses a template of learning",
    ]
