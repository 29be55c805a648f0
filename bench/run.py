"""The performance benchmark behind `make bench`.

Seeds a large catalogue into its own SQLite database under var/bench/ and makes
its image renditions ahead (as a deploy does). Serves it twice at once with
gunicorn and production settings (2 workers each, DEBUG off, static files
through WhiteNoise) on 127.0.0.1: one server *uncached* (the page cache for
anonymous visitors off; cached fragments of public content on, as they are
part of the code) and one *cached* (as in production). Both use Redis on
127.0.0.1:6379 (database 9, emptied first) when it answers, else a cache on
disk. Warms up, then drives every URL with wrk on loopback, interleaved
(A B A B …, uncached and cached in turn) over several rounds.

Reports medians per URL and mode: requests/s, p50/p95/p99 latency, server CPU
milliseconds per request (CPU time of that server's gunicorn processes over the
run), errors, database queries per request and compressed HTML size. Prints a
table per mode and writes JSON under var/bench/.
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
SEED_VERSION = 2  # 2: renditions made ahead
REDIS_URL = "redis://127.0.0.1:6379/9"
MODES = ("uncached", "cached")
PYTHON = sys.executable
HZ = os.sysconf("SC_CLK_TCK")


def redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"SELECT 9\r\nFLUSHDB\r\n")
            return sock.recv(64).startswith(b"+OK")
    except OSError:
        return False


def bench_env(mode: str = "uncached", redis: bool = False) -> dict:
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
    env["PAGE_CACHE_ENABLED"] = "true" if mode == "cached" else "false"
    if redis:
        env["REDIS_URL"] = REDIS_URL
    else:
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
        manage(env, "prepare_renditions")
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


def summarise(runs: list[dict], query: dict, name: str, path: str) -> dict:
    def med(key):
        return statistics.median(run[key] for run in runs)

    return {
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
        "queries": query["queries"],
        "status": query["status"],
        "html_kb_gzip": round(query["gzip_bytes"] / 1024, 1),
    }


def print_table(mode: str, rows: list[dict]) -> None:
    header = (
        f"{'page':<22}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'CPU ms/req':>12}{'errors':>8}{'queries':>9}{'KB gz':>8}"
    )
    print(f"\n{mode}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<22}{row['requests_per_s']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['p99_ms']:>9}{row['cpu_ms_per_request']:>12}{row['errors']:>8}"
            f"{row['queries']:>9}{row['html_kb_gzip']:>8}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4, help="duration of one wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8200, help="uncached; cached: port + 1")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--no-redis", action="store_true", help="a cache on disk instead")
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        print("wrk is missing (Debian package 'wrk'; `make bench` installs it).", file=sys.stderr)
        return 2
    redis = not args.no_redis and redis_answers()
    envs = {mode: bench_env(mode, redis) for mode in MODES}
    prepare(envs["uncached"], args.reseed)
    urls = discover_urls(envs["uncached"])
    if args.pages:
        wanted = set(args.pages.split(","))
        unknown = wanted - {name for name, _path in urls}
        if unknown:
            names = ", ".join(name for name, _path in urls)
            print(f"Unknown page(s): {', '.join(sorted(unknown))}. Pages: {names}", file=sys.stderr)
            return 2
        urls = [
            (name, path) for name, path in urls if name in wanted or name.startswith("baseline")
        ]
    queries = {mode: measure_queries(envs[mode], urls) for mode in MODES}

    samples = {(mode, name): [] for mode in MODES for name, _path in urls}
    ports = {mode: args.port + offset for offset, mode in enumerate(MODES)}
    with (
        Server(envs["uncached"], ports["uncached"], workers=2) as uncached,
        Server(envs["cached"], ports["cached"], workers=2) as cached,
    ):
        servers = {"uncached": uncached, "cached": cached}
        for mode in MODES:  # warm-up: imports, caches, connections
            for _name, path in urls:
                run_wrk(f"http://127.0.0.1:{ports[mode]}{path}", 1, 2)
        for round_no in range(args.rounds):
            order = urls if round_no % 2 == 0 else list(reversed(urls))
            modes = MODES if round_no % 2 == 0 else tuple(reversed(MODES))
            for name, path in order:
                for mode in modes:
                    server = servers[mode]
                    cpu_before = server.cpu_seconds()
                    figures = run_wrk(
                        f"http://127.0.0.1:{ports[mode]}{path}", args.seconds, args.connections
                    )
                    cpu = server.cpu_seconds() - cpu_before
                    figures["cpu_ms_per_request"] = 1000 * cpu / max(figures["requests"], 1)
                    samples[(mode, name)].append(figures)

    results = {
        mode: [
            summarise(samples[(mode, name)], queries[mode][path], name, path) for name, path in urls
        ]
        for mode in MODES
    }
    for mode in MODES:
        print_table(mode, results[mode])
    static = next(r for r in results["cached"] if r["page"] == "baseline_static")
    pages = [r for r in results["cached"] if not r["page"].startswith("baseline")]
    cacheable = [r for r in pages if r["page"] not in ("search", "enrolment_form")]
    print(
        f"\ncached pages: {min(r['requests_per_s'] for r in cacheable)}–"
        f"{max(r['requests_per_s'] for r in cacheable)} req/s, static file "
        f"{static['requests_per_s']} req/s; worst p99 "
        f"{max(r['p99_ms'] for r in cacheable)} ms; errors "
        f"{sum(r['errors'] for mode in MODES for r in results[mode])}"
    )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "cache": "redis" if redis else "file",
        "rounds": args.rounds,
        "seconds_per_run": args.seconds,
        "connections": args.connections,
        "workers": 2,
        "cpu_count": os.cpu_count(),
        "results": results,
    }
    out = BENCH_DIR / f"bench-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    shutil.copyfile(out, BENCH_DIR / "latest.json")
    print(f"\nWritten: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
