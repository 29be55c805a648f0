"""The performance benchmark behind `make bench`.

Seeds a large catalogue into its own SQLite database under var/bench/, serves it
with gunicorn and production settings (2 workers, DEBUG off, static files through
WhiteNoise) on 127.0.0.1, warms up, then drives every URL with wrk on loopback,
interleaved (A B A B …) over several rounds. Reports medians per URL: requests/s,
p50/p95/p99 latency, server CPU milliseconds per request (CPU time of the
gunicorn processes over the run), errors, database queries per request and
compressed HTML size. Prints a table and writes JSON under var/bench/.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DB_PATH = BENCH_DIR / "bench.sqlite3"
SEED_MARK = BENCH_DIR / "seeded.json"
SEED_VERSION = 1
PYTHON = sys.executable
HZ = os.sysconf("SC_CLK_TCK")


def bench_env() -> dict:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    secret_file = BENCH_DIR / "secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(64))
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "academy.settings.production",
            "DATABASE_URL": f"sqlite:///{DB_PATH}",
            "SECRET_KEY": secret_file.read_text(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "MEDIA_ROOT": str(BENCH_DIR / "media"),
            "VAR_DIR": str(BENCH_DIR / "var"),
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "LOG_LEVEL": "WARNING",
            "SITE_URL": "http://127.0.0.1",
        }
    )
    env.pop("REDIS_URL", None)
    return env


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def prepare(env, reseed: bool) -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    mark = json.loads(SEED_MARK.read_text()) if SEED_MARK.exists() else {}
    if reseed or mark.get("version") != SEED_VERSION:
        for path in (DB_PATH, Path(f"{DB_PATH}-wal"), Path(f"{DB_PATH}-shm"), SEED_MARK):
            path.unlink(missing_ok=True)
        shutil.rmtree(BENCH_DIR / "media", ignore_errors=True)
        print("Migrating and seeding the benchmark database (once) …", flush=True)
        manage(env, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        subprocess.run([PYTHON, "-m", "bench.seed"], cwd=ROOT, env=env, check=True)
        SEED_MARK.write_text(
            json.dumps({"version": SEED_VERSION, "seconds": round(time.monotonic() - started)})
        )
    manage(env, "collectstatic", "--noinput", "-v0")


def discover_urls(env) -> list[tuple[str, str]]:
    """Ask the seeded database for the concrete URLs (course page, article, …)."""
    out = subprocess.run(
        [PYTHON, "-m", "bench.urls"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return [tuple(item) for item in json.loads(out)]


def measure_queries(env, urls) -> dict:
    out = subprocess.run(
        [PYTHON, "-m", "bench.queries", json.dumps(urls)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


class Server:
    def __init__(self, env, port: int, workers: int):
        self.env, self.port, self.workers = env, port, workers
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "academy.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz/", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def cpu_seconds(self) -> float:
        """utime+stime of the master and its workers."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
        return total / HZ


def run_wrk(url: str, seconds: float, connections: int) -> dict:
    result = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{int(seconds)}s",
            "--timeout",
            "10s",
            "--script",
            str(ROOT / "bench" / "report.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    return json.loads(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4, help="duration of one wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        print("wrk is missing (Debian package 'wrk'; `make bench` installs it).", file=sys.stderr)
        return 2
    env = bench_env()
    prepare(env, args.reseed)
    urls = discover_urls(env)
    queries = measure_queries(env, urls)

    samples = {name: [] for name, _path in urls}
    with Server(env, args.port, workers=2) as server:
        base = f"http://127.0.0.1:{args.port}"
        for _name, path in urls:  # warm-up: imports, caches, connections
            run_wrk(base + path, 1, 2)
        for round_no in range(args.rounds):
            order = urls if round_no % 2 == 0 else list(reversed(urls))
            for name, path in order:
                cpu_before = server.cpu_seconds()
                figures = run_wrk(base + path, args.seconds, args.connections)
                cpu = server.cpu_seconds() - cpu_before
                figures["cpu_ms_per_request"] = 1000 * cpu / max(figures["requests"], 1)
                samples[name].append(figures)

    rows = []
    for name, path in urls:
        runs = samples[name]

        def med(key, runs=runs):
            return statistics.median(run[key] for run in runs)

        rows.append(
            {
                "page": name,
                "path": path,
                "requests_per_s": round(
                    statistics.median(r["requests"] / (r["duration_us"] / 1e6) for r in runs), 1
                ),
                "p50_ms": round(med("p50_us") / 1000, 2),
                "p95_ms": round(med("p95_us") / 1000, 2),
                "p99_ms": round(med("p99_us") / 1000, 2),
                "cpu_ms_per_request": round(med("cpu_ms_per_request"), 2),
                "errors": sum(r["errors"] for r in runs),
                "queries": queries[path]["queries"],
                "status": queries[path]["status"],
                "html_kb_gzip": round(queries[path]["gzip_bytes"] / 1024, 1),
            }
        )

    header = (
        f"{'page':<22}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'CPU ms/req':>12}{'errors':>8}{'queries':>9}{'KB gz':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<22}{row['requests_per_s']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['p99_ms']:>9}{row['cpu_ms_per_request']:>12}{row['errors']:>8}"
            f"{row['queries']:>9}{row['html_kb_gzip']:>8}"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "mode": "uncached",
        "rounds": args.rounds,
        "seconds_per_run": args.seconds,
        "connections": args.connections,
        "workers": 2,
        "cpu_count": os.cpu_count(),
        "results": rows,
    }
    out = BENCH_DIR / f"bench-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    shutil.copyfile(out, BENCH_DIR / "latest.json")
    print(f"\nWritten: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
