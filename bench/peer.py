"""The peer site of ``make bench --peer DIR``: a checkout of Wagtail's bakerydemo, served
beside ours the same way (gunicorn, 2 workers, DEBUG off, its production settings, on
127.0.0.1), so that CPU time per request can be compared on the same machine in the
same run.

Nothing of it is kept in this repository. At run time the benchmark makes

- a virtual environment ``var/bench/peer-venv`` from the checkout's requirements
  (``requirements/base.txt``, else ``requirements.txt``) plus gunicorn and WhiteNoise
  (its production settings serve static files with WhiteNoise), installed with pip;
- its own SQLite database ``var/bench/peer/bakerydemo.sqlite3``, migrated and loaded
  with its ``load_initial_data`` command (which copies its images into the checkout's
  media folder), and its static files collected inside the checkout.

Both are redone when the checkout (its commit) or its requirements change.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
VENV = BENCH_DIR / "peer-venv"
DATA = BENCH_DIR / "peer"
DB_PATH = DATA / "bakerydemo.sqlite3"
#: what its production settings import and what serves it, beyond its base requirements
EXTRA = ["gunicorn", "whitenoise"]
#: the newest bakerydemo that installs and runs on Python 3.11: Wagtail 7.1, Django 5.2
#: (after it: Wagtail 7.2, whose django-tasks 0.9 fails on 3.11, then Django 6.0, 3.12+)
PYTHON_311_COMMIT = "e6d0fc1"


class PeerError(Exception):
    """The peer cannot be set up; the message says why and what to do."""


def _python() -> Path:
    return VENV / "bin" / "python"


def _requirements(checkout: Path) -> Path:
    for candidate in (checkout / "requirements" / "base.txt", checkout / "requirements.txt"):
        if candidate.exists():
            return candidate
    raise PeerError(f"{checkout}: no requirements/base.txt or requirements.txt")


def _commit(checkout: Path) -> str:
    result = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def _check_checkout(checkout: Path) -> None:
    if not (checkout / "manage.py").exists() or not (checkout / "bakerydemo").is_dir():
        raise PeerError(
            f"{checkout} is not a checkout of Wagtail's bakerydemo (manage.py and the "
            "bakerydemo package are missing)"
        )


def _explain_pip_failure(output: str, requirements: Path) -> str:
    lines = [line for line in output.splitlines() if line.startswith("ERROR")]
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    message = [
        f"pip could not install the peer's requirements ({requirements}) with Python {python}:"
    ]
    for line in lines[-3:]:
        message.append("  " + (line if len(line) < 400 else line[:400] + " …"))
    if "Requires-Python" in output:
        message.append(
            f"The pinned versions need a newer Python than {python}. Check out an older "
            f"commit of bakerydemo that runs on Python {python} (its move to Django 6.0 "
            f"needs Python 3.12; {PYTHON_311_COMMIT} is the last with Wagtail 7.1 and "
            "Django 5.2), or run the benchmark with a newer Python."
        )
    return "\n".join(message)


def _explain_manage_failure(output: str) -> str:
    if "django_tasks" in output and "super(type, obj)" in output:
        return (
            "\nIts django-tasks (0.9, pinned by Wagtail 7.2) cannot enqueue a task on Python "
            "3.11 (RealOrangeOne/django-tasks#223, fixed in 0.11, which Wagtail 7.2 does not "
            f"allow). Check out {PYTHON_311_COMMIT} (Wagtail 7.1, Django 5.2) instead."
        )
    return ""


def ensure_venv(checkout: Path) -> None:
    requirements = _requirements(checkout)
    wanted = hashlib.sha256(
        requirements.read_bytes() + repr((EXTRA, sys.version_info[:2])).encode()
    ).hexdigest()
    stamp = VENV / ".bench-requirements"
    if stamp.exists() and stamp.read_text() == wanted and _python().exists():
        return
    print(f"Installing the peer's requirements into {VENV.relative_to(ROOT)} …", flush=True)
    shutil.rmtree(VENV, ignore_errors=True)
    base_python = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base_python, "-m", "venv", str(VENV)], check=True)
    pip = [str(_python()), "-m", "pip", "install", "--disable-pip-version-check"]
    result = subprocess.run(
        [*pip, "-r", str(requirements), *EXTRA], capture_output=True, text=True, cwd=checkout
    )
    if result.returncode != 0:
        raise PeerError(_explain_pip_failure(result.stdout + result.stderr, requirements))
    stamp.write_text(wanted)


def env(checkout: Path, secret_key: str) -> dict:
    """Its production settings, DEBUG off, SQLite of its own, its memory cache (no Redis)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    environment = {name: os.environ[name] for name in keep if name in os.environ}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.production",
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_URL": f"sqlite:///{DB_PATH}",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),  # bench.queries and bench.peer_urls run in its venv
            "PATH": f"{VENV / 'bin'}:{os.environ.get('PATH', '')}",
        }
    )
    return environment


def _manage(checkout: Path, environment: dict, *args) -> None:
    result = subprocess.run(
        [str(_python()), "manage.py", *args],
        cwd=checkout,
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        output = result.stdout + result.stderr
        tail = "\n".join(output.splitlines()[-15:])
        raise PeerError(
            f"peer: manage.py {' '.join(args)} failed:\n{tail}{_explain_manage_failure(output)}"
        )


def prepare(checkout: Path, secret_key: str) -> dict:
    """Venv, database and static files of the peer; returns its environment."""
    checkout = checkout.resolve()
    _check_checkout(checkout)
    ensure_venv(checkout)
    environment = env(checkout, secret_key)
    DATA.mkdir(parents=True, exist_ok=True)
    mark_path = DATA / "loaded.json"
    wanted = {"checkout": str(checkout), "commit": _commit(checkout)}
    mark = json.loads(mark_path.read_text()) if mark_path.exists() else {}
    if mark != wanted or not DB_PATH.exists():
        print("Loading the peer's initial data (once) …", flush=True)
        mark_path.unlink(missing_ok=True)  # written again only once loading has succeeded
        DB_PATH.unlink(missing_ok=True)
        _manage(checkout, environment, "migrate", "--noinput", "-v0")
        _manage(checkout, environment, "load_initial_data")
        mark_path.write_text(json.dumps(wanted))
    _manage(checkout, environment, "collectstatic", "--noinput", "-v0")
    return environment


def run_module(checkout: Path, environment: dict, module: str, *args) -> object:
    """Run one of the bench's helper modules in the peer's venv, from its checkout."""
    result = subprocess.run(
        [str(_python()), "-m", module, *args],
        cwd=checkout,
        env=environment,
        capture_output=True,
        text=True,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH-RESULT ")]
    if result.returncode != 0 or not lines:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise PeerError(f"peer: {module} failed:\n{tail}")
    return json.loads(lines[-1].removeprefix("BENCH-RESULT "))


def describe(checkout: Path) -> dict:
    versions = subprocess.run(
        [
            str(_python()),
            "-c",
            "import django, wagtail; print(wagtail.__version__, django.get_version())",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    return {
        "checkout": str(checkout.resolve()),
        "commit": _commit(checkout)[:12],
        "wagtail": versions[0] if versions else "?",
        "django": versions[1] if len(versions) > 1 else "?",
    }


def gunicorn_command(port: int, workers: int) -> list[str]:
    return [
        str(VENV / "bin" / "gunicorn"),
        "bakerydemo.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
