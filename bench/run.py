"""The performance benchmark behind `make bench`.

Seeds a large catalogue into a database of its own (SQLite under var/bench/sqlite/, or
with ``--database postgres`` the PostgreSQL database ``academy_bench``) and makes its
image renditions ahead (as a deploy does). Serves it three times at once with gunicorn
and production settings (2 workers each, DEBUG off, static files through WhiteNoise) on
127.0.0.1, one server per mode (see bench/settings.py):

- ``cold``: every request served as the first visitor after a publish: no cache stores;
- ``warm``: cached fragments of public content warm, the page cache off;
- ``cached``: production (page cache for anonymous visitors, fragments, Redis).

``warm`` and ``cached`` use Redis on 127.0.0.1:6379 (database 9, keys of their own) when it
answers, else a cache on disk. With ``--peer DIR`` a checkout of Wagtail's bakerydemo is
served beside them (bench/peer.py) and CPU time per request is compared.

Every URL is first requested in-process (status, queries of the first request with
every cache empty and of the request after it, compressed size), then once per server
with urllib (status, no redirects followed). Then wrk drives every URL on every server,
interleaved over several rounds; every response must be a 200, or the run fails.

Reports medians per URL and mode: requests/s, p50/p95/p99 latency, server CPU
milliseconds per request (CPU time of that server's gunicorn processes over the run),
queries (first/warm) and compressed HTML size. Prints a table per mode and writes JSON
under var/bench/.
"""

import argparse
import gzip
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench import peer as peer_site

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
SEED_VERSION = 2  # 2: renditions made ahead
REDIS_URL = "redis://127.0.0.1:6379/9"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/academy_bench"
)
MODES = ("cold", "warm", "cached")
MODE_NOTES = {
    "cold": "every request as the first visitor after a publish: page cache off, every "
    "cache emptied when a request starts",
    "warm": "cached fragments of public content warm, page cache off",
    "cached": "production: page cache for anonymous visitors, fragments, Redis",
    "peer": "bakerydemo as its production settings have it (its memory cache, no page cache)",
}
#: our pages against the peer's pages of the same kind
PEER_PAIRS = [
    ("course_page", "blog_post"),
    ("news_article", "blog_post"),
    ("home", "blog_index"),
    ("catalogue", "blog_index"),
    ("news_index", "blog_index"),
    ("search", "search"),
]
#: every request comes as from the TLS-terminating load balancer (both sites' production
#: settings trust it through SECURE_PROXY_SSL_HEADER), so neither redirects to https
FORWARDED_PROTO = ("X-Forwarded-Proto", "https")
PYTHON = sys.executable
HZ = os.sysconf("SC_CLK_TCK")


class BenchFailure(Exception):
    """The run cannot give true figures (a page that is not a 200, a server that fails)."""


def redis_answers() -> bool:
    """Redis answers on 127.0.0.1:6379. Its database 9 is shared with other checkouts'
    benchmarks: ours has keys of its own (bench/settings.py) and empties only those."""
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def data_dir(database: str) -> Path:
    return BENCH_DIR / database


def secret_key() -> str:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    secret_file = BENCH_DIR / "secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(64))
    return secret_file.read_text()


def database_url(database: str, mode: str = "") -> str:
    if database == "postgres":
        # the server of each mode names its connections, so their CPU time can be counted
        return f"{POSTGRES_URL}?application_name=academy_bench_{mode}" if mode else POSTGRES_URL
    return f"sqlite:///{data_dir('sqlite') / 'bench.sqlite3'}"


def bench_env(mode: str, database: str, redis: bool) -> dict:
    data = data_dir(database)
    data.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_MODE": mode,
            "DATABASE_URL": database_url(database, mode),
            "SECRET_KEY": secret_key(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(data / "media"),
            "VAR_DIR": str(data / "var"),
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "LOG_LEVEL": "WARNING",
            "SITE_URL": "http://127.0.0.1",
            "PAGE_CACHE_ENABLED": "true" if mode == "cached" else "false",
            "CONTENT_CACHE_ENABLED": "true",  # cold: caches emptied per request (bench/settings.py)
        }
    )
    if redis and mode != "cold":
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def _postgres(statement_for, admin=True) -> None:
    """Run statements on the PostgreSQL server of POSTGRES_URL: in its admin database
    (create, drop), or in the benchmark's own."""
    import psycopg

    url = POSTGRES_URL.replace("postgres://", "postgresql://", 1)
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres" if admin else url, autocommit=True) as conn:
        for statement in statement_for(conn, name):
            conn.execute(statement)


def reset_database(database: str) -> None:
    data = data_dir(database)
    if database == "sqlite":
        db = data / "bench.sqlite3"
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            path.unlink(missing_ok=True)
    else:
        _postgres(lambda conn, name: [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
    shutil.rmtree(data / "media", ignore_errors=True)


def ensure_database(database: str) -> None:
    if database != "postgres":
        return

    def create(conn, name):
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        return [] if exists else [f'CREATE DATABASE "{name}"']

    _postgres(create)


def prepare(env, database: str, reseed: bool) -> None:
    mark_path = data_dir(database) / "seeded.json"
    mark = json.loads(mark_path.read_text()) if mark_path.exists() else {}
    if reseed or mark.get("version") != SEED_VERSION:
        mark_path.unlink(missing_ok=True)
        reset_database(database)
        ensure_database(database)
        print(f"Migrating and seeding the benchmark database ({database}, once) …", flush=True)
        manage(env, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        subprocess.run([PYTHON, "-m", "bench.seed"], cwd=ROOT, env=env, check=True)
        manage(env, "prepare_renditions")
        if database == "postgres":  # planner statistics, as autovacuum has them in production
            _postgres(lambda conn, name: ["VACUUM ANALYZE"], admin=False)
        mark_path.write_text(
            json.dumps({"version": SEED_VERSION, "seconds": round(time.monotonic() - started)})
        )
    else:
        # a database seeded by an earlier version of the code: migrate it, as a deploy does
        manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")


def run_helper(env, module: str, *args, cwd=ROOT, python=PYTHON):
    """One of the bench's helper modules (bench.urls, bench.queries) in its own process."""
    result = subprocess.run(
        [python, "-m", module, *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH-RESULT ")]
    if result.returncode != 0 or not lines:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
        raise BenchFailure(f"{module} failed:\n{tail}")
    return json.loads(lines[-1].removeprefix("BENCH-RESULT "))


def process_cpu(pid: int) -> float | None:
    """utime+stime of one process in seconds (None once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return (int(fields[11]) + int(fields[12])) / HZ


class DatabaseCpu:
    """CPU time of the PostgreSQL backends serving one mode's server (SQLite works inside
    the server's own processes, which Server.cpu_seconds counts already). Per backend
    process, so a connection opened during a run counts from its start; one closed during
    a run is lost (connections persist: CONN_MAX_AGE)."""

    def __init__(self, database: str):
        self.conn = None
        if database == "postgres":
            import psycopg

            self.conn = psycopg.connect(
                POSTGRES_URL.replace("postgres://", "postgresql://", 1), autocommit=True
            )

    def sample(self, mode: str) -> dict:
        if self.conn is None:
            return {}
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
            [f"academy_bench_{mode}"],
        ).fetchall()
        return {pid: cpu for (pid,) in rows if (cpu := process_cpu(pid)) is not None}

    @staticmethod
    def spent(before: dict, after: dict) -> float:
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())

    def close(self):
        if self.conn is not None:
            self.conn.close()


class Server:
    def __init__(self, name, command, cwd, env, port, ready_path="/healthz/", log=None):
        self.name, self.command, self.cwd, self.env = name, command, cwd, env
        self.port, self.ready_path, self.log = port, ready_path, log
        self.process = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        import socket

        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise BenchFailure(
                    f"{self.name}: port {self.port} is taken (another benchmark or server?); "
                    "choose others with --port"
                )
        output = None
        if self.log:
            output = open(self.log, "ab")  # noqa: SIM115 – handed to the server, closed with it
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env=self.env, stdout=output, stderr=output
        )
        if output:
            output.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                where = f" (see {self.log})" if self.log else ""
                raise BenchFailure(
                    f"{self.name}: gunicorn exited with {self.process.returncode}{where}"
                )
            try:
                status, _body, _headers = fetch(self.url(self.ready_path))
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise BenchFailure(f"{self.name}: gunicorn did not answer on port {self.port}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)

    def cpu_seconds(self) -> float:
        """utime+stime of the master and its workers."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        return sum(cpu for pid in pids if (cpu := process_cpu(pid)) is not None)


def our_server(mode: str, env: dict, port: int, workers: int) -> Server:
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "academy.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    return Server(mode, command, ROOT, env, port)


def settle(server: Server, db_cpu: DatabaseCpu, mode: str, limit: float = 15.0):
    """Wait until the server (and its database backends) stop using CPU: requests still
    in flight when wrk stops belong to this run, not to the next one. Returns the CPU
    figures taken then."""
    deadline = time.monotonic() + limit
    cpu, db = server.cpu_seconds(), db_cpu.sample(mode)
    while time.monotonic() < deadline:
        time.sleep(0.2)
        cpu_now, db_now = server.cpu_seconds(), db_cpu.sample(mode)
        if cpu_now - cpu + db_cpu.spent(db, db_now) < 0.011:  # a tick or so: idle
            return cpu_now, db_now
        cpu, db = cpu_now, db_now
    return cpu, db


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer of its own, not the page


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str):
    request = urllib.request.Request(url, headers=dict([FORWARDED_PROTO]))  # noqa: S310 – http://127.0.0.1 only
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def check_status(server: Server, urls, when: str) -> dict:
    """Every URL once with urllib; anything but a 200 ends the run."""
    seen = {}
    for name, path in urls:
        status, body, headers = fetch(server.url(path))
        if status != 200:
            where = headers.get("Location", "")
            raise BenchFailure(
                f"{server.name} {name} ({path}) {when}: HTTP {status}"
                + (f" to {where}" if where else "")
                + " – only 200 answers are measured"
            )
        seen[path] = {
            "status": status,
            "bytes": len(body),
            "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
            "page_cache": headers.get("X-Page-Cache", ""),
        }
    return seen


def run_wrk(url: str, seconds: float, connections: int) -> dict:
    result = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{max(1, int(seconds))}s",
            "--timeout",
            "10s",
            "--header",
            ": ".join(FORWARDED_PROTO),
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


def check_wrk(figures: dict, server: Server, name: str, path: str, warm_up=False) -> None:
    if figures["not_200"] or figures["status_errors"]:
        raise BenchFailure(
            f"{server.name} {name} ({path}): {figures['not_200']} of {figures['requests']} "
            f"responses under load were not 200 (e.g. HTTP {figures['bad_status']}; wrk's own "
            f"count of 4xx/5xx: {figures['status_errors']})"
        )
    if figures["socket_errors"]:
        raise BenchFailure(
            f"{server.name} {name} ({path}): {figures['socket_errors']} connection errors or "
            f"timeouts in {figures['requests']} requests"
        )
    if not figures["requests"] and not warm_up:
        raise BenchFailure(f"{server.name} {name} ({path}): no request answered")


def summarise(runs: list[dict], query: dict, name: str, path: str) -> dict:
    def med(key):
        return statistics.median(run[key] for run in runs)

    return {
        "page": name,
        "path": path,
        "status": query["status"],
        "requests": sum(r["requests"] for r in runs),
        "requests_per_s": round(
            statistics.median(r["requests"] / (r["duration_us"] / 1e6) for r in runs), 1
        ),
        "p50_ms": round(med("p50_us") / 1000, 2),
        "p95_ms": round(med("p95_us") / 1000, 2),
        "p99_ms": round(med("p99_us") / 1000, 2),
        "cpu_ms_per_request": round(med("cpu_ms_per_request"), 2),
        "db_cpu_ms_per_request": round(med("db_cpu_ms_per_request"), 2),
        "cpu_ms_runs": [round(r["cpu_ms_per_request"], 2) for r in runs],
        "queries_first": query.get("queries_first"),
        "queries_warm": query.get("queries_warm"),
        "html_kb_gzip": round(query["gzip_bytes"] / 1024, 1),
    }


COLUMNS = (
    ("page", 21),
    ("status", 7),
    ("req/s", 8),
    ("p50 ms", 8),
    ("p95 ms", 8),
    ("p99 ms", 8),
    ("CPU ms/req", 11),
    ("queries", 9),
    ("KB gz", 7),
)


def table_lines(rows: list[dict], db_column: bool = False) -> list[str]:
    """One line per page; with ``db_column`` (PostgreSQL) the database's share of the CPU
    time after it."""
    columns = [*COLUMNS[:7], ("of it DB", 10), *COLUMNS[7:]] if db_column else list(COLUMNS)

    def line(values):
        first, *rest = zip(values, columns, strict=True)
        return f"{first[0]:<{first[1][1]}}" + "".join(f"{v:>{w}}" for v, (_, w) in rest)

    header = line([title for title, _width in columns])
    lines = [header, "-" * len(header)]
    for row in rows:
        first, warm = row.get("queries_first"), row.get("queries_warm")
        queries = "–" if first is None else f"{first}/{warm}"
        values = [
            row["page"],
            row["status"],
            row["requests_per_s"],
            row["p50_ms"],
            row["p95_ms"],
            row["p99_ms"],
            row["cpu_ms_per_request"],
            queries,
            row["html_kb_gzip"],
        ]
        if db_column:
            values.insert(7, row["db_cpu_ms_per_request"])
        lines.append(line(values))
    return lines


def ratio_lines(results: dict, peer_rows: list[dict], modes, peer_info: dict) -> list[str]:
    peer_cpu = {row["page"]: row["cpu_ms_per_request"] for row in peer_rows}
    ours = {
        mode: {row["page"]: row["cpu_ms_per_request"] for row in results[mode]} for mode in modes
    }
    lines = [
        f"CPU ms/request, ours ÷ bakerydemo {peer_info['commit'][:7]} (Wagtail "
        f"{peer_info['wagtail']}, Django {peer_info['django']}); below 1: we spend less",
        f"{'ours':<15}{'bakerydemo':<13}{'its ms':>8}" + "".join(f"{m:>9}" for m in modes),
    ]
    for our_page, their_page in PEER_PAIRS:
        if their_page not in peer_cpu or not all(our_page in ours[m] for m in modes):
            continue
        theirs = peer_cpu[their_page]
        cells = "".join(f"{ours[m][our_page] / theirs:>9.2f}" for m in modes)
        lines.append(f"{our_page:<15}{their_page:<13}{theirs:>8}{cells}")
    return lines


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip()


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=3, help="duration of one wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument(
        "--port", type=int, default=8200, help="cold; warm, cached and the peer: +1, +2, +3"
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--no-redis", action="store_true", help="a cache on disk instead")
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument(
        "--modes", default=",".join(MODES), help="comma-separated, of " + ", ".join(MODES)
    )
    parser.add_argument("--peer", type=Path, metavar="DIR", help="a checkout of wagtail/bakerydemo")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    try:
        return bench(args)
    except (BenchFailure, peer_site.PeerError) as failure:
        print(f"\nBENCHMARK FAILED: {failure}", file=sys.stderr)
        return 1


def bench(args) -> int:
    if shutil.which("wrk") is None:
        print("wrk is missing (Debian package 'wrk'; `make bench` installs it).", file=sys.stderr)
        return 2
    modes = tuple(mode for mode in MODES if mode in args.modes.split(","))
    if not modes or set(args.modes.split(",")) - set(MODES):
        print(f"--modes: choose from {', '.join(MODES)}", file=sys.stderr)
        return 2

    peer = None
    if args.peer:  # first: a peer that cannot be set up fails before the long part
        checkout = args.peer.resolve()
        peer_env = peer_site.prepare(checkout, secret_key())
        peer_urls = [
            tuple(item) for item in peer_site.run_module(checkout, peer_env, "bench.peer_urls")
        ]
        peer = {
            "checkout": checkout,
            "env": peer_env,
            "urls": peer_urls,
            "info": peer_site.describe(checkout),
            "queries": peer_site.run_module(
                checkout, peer_env, "bench.queries", json.dumps(peer_urls)
            ),
        }

    redis = not args.no_redis and redis_answers()
    envs = {mode: bench_env(mode, args.database, redis) for mode in MODES}
    prepare(envs["warm"], args.database, args.reseed)
    urls = [tuple(item) for item in run_helper(envs["warm"], "bench.urls")]
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
    pages = [(name, path) for name, path in urls if not name.startswith("baseline")]
    # the floor of the machine (a static file, a view without database): production only
    urls_of = {mode: pages if mode != "cached" else urls for mode in modes}

    queries = {
        mode: run_helper(envs[mode], "bench.queries", json.dumps(urls_of[mode])) for mode in modes
    }
    warnings = []
    for mode in modes:
        for name, path in urls_of[mode]:
            found = queries[mode][path]
            if found["status"] != 200:
                raise BenchFailure(f"{mode} {name} ({path}): HTTP {found['status']} in-process")
            if mode == "cold" and found["queries_warm"] < found["queries_first"]:
                warnings.append(
                    f"cold mode is not cold: {name} took {found['queries_first']} queries, then "
                    f"{found['queries_warm']} – something still caches (see bench/settings.py)"
                )
    if "cold" in modes and "warm" in modes:
        for name, path in pages:
            cold, warm = (
                queries["cold"][path]["queries_first"],
                queries["warm"][path]["queries_first"],
            )
            if cold != warm:
                warnings.append(
                    f"{name}: {cold} queries in cold mode, {warm} for the first visitor with "
                    "Redis emptied – the cold mode does not serve what that visitor gets"
                )
    if peer:
        for name, path in peer["urls"]:
            if peer["queries"][path]["status"] != 200:
                raise BenchFailure(f"peer {name} ({path}): HTTP {peer['queries'][path]['status']}")

    ports = {mode: args.port + offset for offset, mode in enumerate(MODES)}
    samples = {(mode, name): [] for mode in modes for name, _path in urls_of[mode]}
    checks = {}
    with ExitStack() as stack:
        db_cpu = DatabaseCpu(args.database)
        stack.callback(db_cpu.close)
        servers = {
            mode: stack.enter_context(our_server(mode, envs[mode], ports[mode], args.workers))
            for mode in modes
        }
        jobs = [
            (mode, name, path)
            for name, path in urls
            for mode in modes
            if (name, path) in urls_of[mode]
        ]
        if peer:
            servers["peer"] = stack.enter_context(
                Server(
                    "peer",
                    peer_site.gunicorn_command(args.port + len(MODES), args.workers),
                    peer["checkout"],
                    peer["env"],
                    args.port + len(MODES),
                    ready_path=peer["urls"][0][1],
                    log=peer_site.DATA / "gunicorn.log",
                )
            )
            jobs += [("peer", name, path) for name, path in peer["urls"]]
            samples.update({("peer", name): [] for name, _path in peer["urls"]})
            urls_of["peer"] = peer["urls"]

        for mode, server in servers.items():
            checks[mode] = check_status(server, urls_of[mode], "before the runs")
        print(
            f"All {sum(len(u) for u in urls_of.values())} URLs answer 200. Warming up …", flush=True
        )
        for mode, name, path in jobs:  # a slow page may answer nothing within the warm-up
            figures = run_wrk(servers[mode].url(path), 2, 2)
            check_wrk(figures, servers[mode], name, path, warm_up=True)
        total = len(jobs) * args.rounds
        print(
            f"{total} runs of {args.seconds} s ({len(jobs)} URL×server, {args.rounds} rounds) …",
            flush=True,
        )
        for round_no in range(args.rounds):
            for mode, name, path in jobs if round_no % 2 == 0 else reversed(jobs):
                server = servers[mode]
                cpu_before, db_before = server.cpu_seconds(), db_cpu.sample(mode)
                figures = run_wrk(server.url(path), args.seconds, args.connections)
                cpu_after, db_after = settle(server, db_cpu, mode)
                cpu = cpu_after - cpu_before
                db = db_cpu.spent(db_before, db_after)
                check_wrk(figures, server, name, path)
                # served: what wrk counted, plus the request each connection still had in
                # flight when wrk stopped (the server finished it before it was idle again)
                served = figures["requests"] + args.connections
                figures["app_cpu_ms_per_request"] = 1000 * cpu / served
                figures["db_cpu_ms_per_request"] = 1000 * db / served
                figures["cpu_ms_per_request"] = 1000 * (cpu + db) / served
                samples[(mode, name)].append(figures)
        for mode, server in servers.items():
            after = check_status(server, urls_of[mode], "after the runs")
            for path, seen in after.items():
                checks[mode][path]["page_cache_after"] = seen["page_cache"]

    results = {
        mode: [
            summarise(samples[(mode, name)], queries[mode][path], name, path)
            for name, path in urls_of[mode]
        ]
        for mode in modes
    }
    for mode in modes:
        for row in results[mode]:
            row["page_cache"] = checks[mode][row["path"]]["page_cache_after"]
    output = []
    for mode in modes:
        output += [
            "",
            f"{mode} – {MODE_NOTES[mode]}",
            *table_lines(results[mode], args.database == "postgres"),
        ]
    peer_rows = None
    if peer:
        peer_rows = [
            summarise(samples[("peer", name)], peer["queries"][path], name, path)
            for name, path in peer["urls"]
        ]
        output += ["", f"bakerydemo – {MODE_NOTES['peer']}", *table_lines(peer_rows)]
        output += ["", *ratio_lines(results, peer_rows, modes, peer["info"])]
    output += ["", *summary_lines(results, modes)]
    print("\n".join(output))
    for warning in warnings:
        print(f"WARNING: {warning}")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "commit": git_commit(),
        "database": args.database,
        "cache": "redis" if redis else "file",
        "rounds": args.rounds,
        "seconds_per_run": args.seconds,
        "connections": args.connections,
        "workers": args.workers,
        "cpu_count": os.cpu_count(),
        "modes": {mode: MODE_NOTES[mode] for mode in modes},
        "results": results,
        "warnings": warnings,
        "table": output,
    }
    if peer:
        report["peer"] = {**peer["info"], "results": peer_rows, "pairs": PEER_PAIRS}
    out = BENCH_DIR / f"bench-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    shutil.copyfile(out, BENCH_DIR / "latest.json")
    print(f"\nWritten: {out.relative_to(ROOT)}")
    return 0


def summary_lines(results: dict, modes) -> list[str]:
    lines = []
    for mode in modes:
        rows = [r for r in results[mode] if not r["page"].startswith("baseline")]
        if not rows:
            continue
        cpu = [r["cpu_ms_per_request"] for r in rows]
        rate = [r["requests_per_s"] for r in rows]
        lines.append(
            f"{mode:<7} pages: {min(rate)}–{max(rate)} req/s, CPU {min(cpu)}–{max(cpu)} ms/req, "
            f"worst p99 {max(r['p99_ms'] for r in rows)} ms, first request "
            f"{min(r['queries_first'] for r in rows)}–{max(r['queries_first'] for r in rows)} queries"
        )
    return lines


if __name__ == "__main__":
    sys.exit(main())
