"""Every string marked for translation has a German entry, and the compiled
catalogue matches the source catalogue."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = Path("locale/de/LC_MESSAGES/django.po")
# every app of the project (a folder with an apps.py), the templates and the catalogue
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))
SOURCES = [*APPS, "templates", "locale", "manage.py"]


def _copy_sources(target: Path) -> None:
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / name)


def test_every_marked_string_has_a_german_translation(tmp_path):
    _copy_sources(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings.test",
        "PYTHONPATH": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(tmp_path / PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(tmp_path / PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    missing = [line for line in untranslated.splitlines() if line.startswith("msgid ")][1:]
    assert not missing, "Strings without German translation (run `make messages`):\n" + untranslated
    assert "msgid" not in fuzzy, "Fuzzy translations (check and run `make messages`):\n" + fuzzy


def test_compiled_catalogue_is_up_to_date(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(ROOT / PO)], check=True)
    committed = ROOT / PO.with_suffix(".mo")
    assert committed.exists(), "locale/de/LC_MESSAGES/django.mo is missing (run `make messages`)"
    assert compiled.read_bytes() == committed.read_bytes(), (
        "django.mo is stale: run `make messages`"
    )


def test_german_catalogue_is_active():
    from django.utils import translation

    with translation.override("de"):
        assert translation.gettext("Zum Inhalt springen") == "Zum Inhalt springen"
        # Django's own strings come out in German too
        assert (
            translation.gettext("This field is required.") == "Dieses Feld muss ausgefüllt werden."
        )
