"""Production settings: refuse to start half-configured; check --deploy stays silent."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-for-tests-only-0123456789"


def run_manage(*args, env_overrides):
    unwanted = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "academy.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", env_overrides={"ALLOWED_HOSTS": "akademie.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", env_overrides={"SECRET_KEY": GOOD_KEY})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_reports_nothing():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        env_overrides={"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "akademie.example.org"},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.sqlite_only
def test_sqlite_is_opened_for_concurrent_writers(settings, db):
    from django.db import connection

    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


def test_german_first(settings):
    assert settings.LANGUAGE_CODE == "de"
    assert settings.TIME_ZONE == "Europe/Berlin"


def test_static_files_collect_with_hashed_names_for_production(tmp_path):
    result = run_manage(
        "collectstatic",
        "--noinput",
        "-v0",
        env_overrides={
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "akademie.example.org",
            "STATIC_ROOT": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "build/site.css" in manifest
    assert list(tmp_path.glob("build/site.*.css.gz")), "compressed, hashed copies for WhiteNoise"
