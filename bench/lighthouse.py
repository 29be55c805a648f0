"""Lighthouse audits of the public pages as a phone sees them, behind `make lighthouse`.

Builds the demo site (``load_demo``) into a database of its own under var/lighthouse/
(or with ``--database postgres`` the PostgreSQL database of ``LIGHTHOUSE_POSTGRES_URL``),
makes its image renditions and collects the static files as a deploy does, and serves it
with gunicorn and the production settings (DEBUG off, WhiteNoise, the page cache, Redis on
``LIGHTHOUSE_REDIS_URL`` when it answers, else a cache on disk) on 127.0.0.1 – the same
server start-up as the benchmark's (bench/run.py) – plus the compression that the load
balancer adds in production (bench/lighthouse_settings.py). The page's requests come as
from that load balancer (``X-Forwarded-Proto: https``), and nothing is redirected to
https (there is no load balancer here to answer it).

Then Lighthouse (npm, pinned in package.json) audits five pages – home, the catalogue, a
course page, a news article and the enrolment form of a bookable date – with its default
profile: a mid-range phone on a slow 4G connection, simulated throttling. Each page is
requested a few times first, as a server that has been up a while has served it (the
first visitor after a publish is the benchmark's part: `make bench`). With
``--preset desktop`` it audits as a desktop instead. Lighthouse never reaches beyond
127.0.0.1: Chromium is started with everything that calls home switched off.

Writes each page's report as JSON and HTML to var/lighthouse/, a summary to
var/lighthouse/latest.json, prints the four category scores per page and the audits that
cost points, and exits with 1 when a score is below ``--min`` (``LIGHTHOUSE_MIN``, 100).
Each page is audited ``--runs`` times (3) and the median score per category counts:
the performance score of one run moves with the load of the machine.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench.run import (
    FORWARDED_PROTO,
    ROOT,
    BenchFailure,
    check_status,
    manage,
    our_server,
    run_helper,
)

OUT_DIR = ROOT / "var" / "lighthouse"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "Perf", "accessibility": "A11y", "best-practices": "BP", "seo": "SEO"}
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
REDIS_URL = os.environ.get("LIGHTHOUSE_REDIS_URL", "redis://127.0.0.1:6379/13")
POSTGRES_URL = os.environ.get(
    "LIGHTHOUSE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/academy_lighthouse"
)


def redis_answers(url: str) -> bool:
    import socket

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def secret_key() -> str:
    import secrets

    secret_file = OUT_DIR / "secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(64))
    return secret_file.read_text()


def lighthouse_env(port: int, database: str, redis: bool) -> dict:
    data = OUT_DIR / "site"
    env = dict(os.environ)
    env.update(
        {
            # production, and the load balancer's compression (bench/lighthouse_settings.py)
            "DJANGO_SETTINGS_MODULE": "bench.lighthouse_settings",
            "DATABASE_URL": POSTGRES_URL
            if database == "postgres"
            else f"sqlite:///{data / 'lighthouse.sqlite3'}",
            "SECRET_KEY": secret_key(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "MEDIA_ROOT": str(data / "media"),
            "VAR_DIR": str(data / "var"),
            "STATIC_ROOT": str(data / "static"),
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "LOG_LEVEL": "WARNING",
            # Lighthouse sends X-Forwarded-Proto with the page's own requests, not with
            # its fetch of robots.txt: that must not be redirected to an https that the
            # load balancer in front of production would answer
            "SECURE_SSL_REDIRECT": "false",
        }
    )
    if redis:
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    return env


def reset_site(env: dict, database: str) -> None:
    """A new demo site each run: the demo's dates lie relative to today."""
    data = OUT_DIR / "site"
    shutil.rmtree(data, ignore_errors=True)
    (data / "var").mkdir(parents=True)
    if database == "postgres":
        import psycopg

        url = POSTGRES_URL.replace("postgres://", "postgresql://", 1)
        server, name = url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')


def build_site(env: dict, database: str) -> None:
    print("Building the demo site (production settings) …", flush=True)
    reset_site(env, database)
    manage(env, "migrate", "--noinput", "-v0")
    # load_demo refuses the production settings, on purpose: it loads into the same
    # database with the development settings, and everything else runs as in production
    manage(
        {**env, "DJANGO_SETTINGS_MODULE": "academy.settings.dev"},
        "load_demo",
        stdout=subprocess.DEVNULL,  # the demo accounts: not needed here
    )
    manage(env, "prepare_renditions")
    manage(env, "collectstatic", "--noinput", "-v0")
    # the cache may hold pages of an earlier run's database
    manage(
        env,
        "shell",
        "-c",
        "from django.core.cache import caches; [c.clear() for c in caches.all()]",
    )


def audit(url: str, report_base: Path, preset: str | None, attempts: int = 3) -> dict:
    """One Lighthouse run; again when Chromium's trace fails (NO_NAVSTART and the like
    happen now and then on a busy machine; they say nothing about the page)."""
    for attempt in range(1, attempts + 1):
        try:
            return _audit(url, report_base, preset)
        except BenchFailure as failure:
            if attempt == attempts:
                raise
            print(f"  (again: {str(failure).splitlines()[-1]})", flush=True)
    raise AssertionError("unreachable")


def _audit(url: str, report_base: Path, preset: str | None) -> dict:
    json_path = Path(f"{report_base}.report.json")
    json_path.unlink(missing_ok=True)
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={report_base}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--extra-headers=" + json.dumps(dict([FORWARDED_PROTO])),
    ]
    if preset:
        command.append(f"--preset={preset}")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not json_path.exists():
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
        raise BenchFailure(f"Lighthouse failed on {url}:\n{tail}")
    report = json.loads(json_path.read_text())
    if report.get("runtimeError"):
        raise BenchFailure(f"Lighthouse on {url}: {report['runtimeError'].get('message')}")
    return report


def scores(report: dict) -> dict:
    return {
        key: None
        if report["categories"][key]["score"] is None
        # Lighthouse's own rounding, as its report shows the score
        else round(report["categories"][key]["score"] * 100)
        for key in CATEGORIES
    }


def failing_audits(report: dict) -> list[dict]:
    """The audits that cost points: weighted in a category and below full marks, plus
    the performance audits Lighthouse flags (unweighted, but telling why a metric is slow)."""
    found = []
    for key in CATEGORIES:
        for ref in report["categories"][key]["auditRefs"]:
            result = report["audits"][ref["id"]]
            if result["scoreDisplayMode"] not in ("binary", "numeric", "metricSavings"):
                continue
            if result["score"] is None or result["score"] >= 1:
                continue
            if ref["weight"] == 0 and result["scoreDisplayMode"] != "metricSavings":
                continue
            found.append(
                {
                    "category": key,
                    "id": ref["id"],
                    "weight": ref["weight"],
                    "score": result["score"],
                    "title": result["title"],
                    "display": result.get("displayValue", ""),
                }
            )
    return found


def table_lines(rows: list[dict]) -> list[str]:
    header = f"{'page':<16}" + "".join(f"{SHORT[key]:>7}" for key in CATEGORIES) + "  path"
    lines = [header, "-" * len(header)]
    for row in rows:
        cells = "".join(
            f"{'–' if row['scores'][key] is None else row['scores'][key]:>7}" for key in CATEGORIES
        )
        lines.append(f"{row['page']:<16}{cells}  {row['path']}")
    return lines


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("LIGHTHOUSE_PORT", 8250)))
    parser.add_argument(
        "--min",
        type=int,
        default=int(os.environ.get("LIGHTHOUSE_MIN", 100)),
        help="lowest score that passes, in every category (LIGHTHOUSE_MIN, 100)",
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--no-redis", action="store_true", help="a cache on disk instead")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--runs",
        type=int,
        default=int(os.environ.get("LIGHTHOUSE_RUNS", 3)),
        help="audits per page; the median score counts (LIGHTHOUSE_RUNS, 3)",
    )
    parser.add_argument("--pages", help="comma-separated page names (default: all five)")
    parser.add_argument(
        "--preset",
        choices=("desktop",),
        default=os.environ.get("LIGHTHOUSE_PRESET") or None,
        help="Lighthouse's desktop profile instead of its default, a phone",
    )
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: npm ci (`make install`) installs it.", file=sys.stderr)
        return 2
    try:
        return run(args)
    except (BenchFailure, subprocess.CalledProcessError, subprocess.TimeoutExpired) as failure:
        print(f"\nLIGHTHOUSE FAILED: {failure}", file=sys.stderr)
        return 1


def run(args) -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for old_report in OUT_DIR.glob("*.report.*"):  # an earlier run's pages are not this one's
        old_report.unlink()
    redis = not args.no_redis and redis_answers(REDIS_URL)
    env = lighthouse_env(args.port, args.database, redis)
    build_site(env, args.database)
    urls = [tuple(item) for item in run_helper(env, "bench.lighthouse_urls")]
    if args.pages:
        wanted = set(args.pages.split(","))
        if unknown := wanted - {name for name, _path in urls}:
            names = ", ".join(name for name, _path in urls)
            print(f"Unknown page(s): {', '.join(sorted(unknown))}. Pages: {names}", file=sys.stderr)
            return 2
        urls = [(name, path) for name, path in urls if name in wanted]

    rows, loads, benchmarks = [], [], []
    with our_server("lighthouse", env, args.port, args.workers) as server:
        print(
            f"Serving on {server.url('/')} ({'Redis' if redis else 'cache on disk'}); "
            f"auditing {len(urls)} pages, {args.runs} run(s) each, "
            f"{args.preset or 'mobile'} profile …",
            flush=True,
        )
        for name, path in urls:
            runs = []
            for run_no in range(args.runs):
                # each worker has served the page before, and the page cache holds it, as
                # on a server that has been up a while (the cold path is the benchmark's)
                for _ in range(2 * args.workers):
                    check_status(server, [(name, path)], "before its audit")
                suffix = f"-{run_no + 1}" if args.runs > 1 else ""
                loads.append(os.getloadavg()[0])
                report = audit(server.url(path), OUT_DIR / f"{name}{suffix}", args.preset)
                runs.append({"scores": scores(report), "failing": failing_audits(report)})
                benchmarks.append(report.get("environment", {}).get("benchmarkIndex") or 0)
            median = {
                key: None
                if any(run["scores"][key] is None for run in runs)
                else round(statistics.median(run["scores"][key] for run in runs))
                for key in CATEGORIES
            }
            rows.append(
                {
                    "page": name,
                    "path": path,
                    "scores": median,
                    "runs": [run["scores"] for run in runs],
                    "failing": runs[-1]["failing"],
                    "report": f"var/lighthouse/{name}{suffix}.report.html",
                }
            )
            print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in median.items()), flush=True)

    output = ["", *table_lines(rows)]
    below = [
        (row["page"], key, row["scores"][key])
        for row in rows
        for key in CATEGORIES
        if row["scores"][key] is None or row["scores"][key] < args.min
    ]
    for row in rows:
        if row["failing"]:
            output += ["", f"{row['page']} – audits that cost points ({row['report']}):"]
            output += [
                f"  {item['category']:<15}{item['id']:<34}{item['score']:<6.2f}{item['display']}"
                for item in row["failing"]
            ]
    cores = os.cpu_count() or 1
    output += [
        "",
        f"Machine: load average {min(loads):.1f}–{max(loads):.1f} on {cores} cores when the "
        f"audits started, Lighthouse's benchmark index {min(benchmarks):.0f}–"
        f"{max(benchmarks):.0f}.",
    ]
    if max(loads) > cores:
        output.append(
            "WARNING: the machine was busy. Simulated throttling multiplies the CPU time "
            "Chromium took, so performance scores (total blocking time above all) come out "
            "lower than on a quiet machine: run again when it is quiet, or with more --runs."
        )
    print("\n".join(output))

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    summary = {
        "when": stamp,
        "commit": subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "lighthouse": subprocess.run(
            [str(LIGHTHOUSE), "--version"], capture_output=True, text=True
        ).stdout.strip(),
        "profile": args.preset or "mobile",
        "database": args.database,
        "cache": "redis" if redis else "file",
        "min": args.min,
        "load_average": [min(loads), max(loads)],
        "benchmark_index": [min(benchmarks), max(benchmarks)],
        "pages": rows,
        "table": output,
    }
    (OUT_DIR / "latest.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print("\nWritten: var/lighthouse/latest.json and a report per page in var/lighthouse/")
    if below:
        print(
            f"\n{len(below)} score(s) below {args.min}: "
            + ", ".join(f"{page} {key} {score}" for page, key, score in below),
            file=sys.stderr,
        )
        return 1
    print(f"\nEvery score is at least {args.min}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
