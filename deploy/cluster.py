# ruff: noqa: T201, S603 - command-line scripts: they print and start local processes
"""Several app servers on one machine: `make cluster`, `make cluster-check`, …

    python -m deploy.cluster up        PostgreSQL db academy_cluster, its own Redis on
                                       127.0.0.1:6380, two gunicorn instances (127.0.0.1:8301,
                                       :8302), the task worker and nginx on 127.0.0.1:8300
    python -m deploy.cluster status    which processes run
    python -m deploy.cluster down      stop everything this script started
    python -m deploy.cluster restart-missing   start whatever of the above is not running

Uses the PostgreSQL already running on 127.0.0.1 (its own database only) and starts
a Redis of its own (no persistence) that the journeys may stop and start without
touching the machine's Redis. Production settings; pid files and logs under
var/cluster/. Processes run in their own session; `down` ends them by pid.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "var" / "cluster"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG_ADMIN_URL = os.environ.get("CLUSTER_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("CLUSTER_DB", "academy_cluster")
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_PORT = int(os.environ.get("CLUSTER_REDIS_PORT", "6380"))
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
LB = "http://127.0.0.1:8300"
APPS = {"app-1": 8301, "app-2": 8302}


def env() -> dict:
    RUN.mkdir(parents=True, exist_ok=True)
    key_file = RUN / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
    values = dict(os.environ)
    values.update(
        {
            "DJANGO_SETTINGS_MODULE": "academy.settings.production",
            "DATABASE_URL": DB_URL,
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": key_file.read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SITE_URL": LB,
            "MEDIA_ROOT": str(RUN / "media"),
            "VAR_DIR": str(RUN / "var"),
            "STATIC_ROOT": str(RUN / "static"),
            # nginx connects from 127.0.0.1: only its X-Forwarded-For is believed
            "TRUSTED_PROXIES": "127.0.0.1",
            # the journeys stop the worker: /readyz/ says so after a few seconds
            "READY_TASK_MAX_AGE_SECONDS": os.environ.get("READY_TASK_MAX_AGE_SECONDS", "5"),
            "LOG_FORMAT": "json",
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        }
    )
    return values


def manage(*args, settings=None, capture=False, check=True):
    values = env()
    if settings:
        values["DJANGO_SETTINGS_MODULE"] = settings
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=values,
        check=check,
        capture_output=capture,
        text=True,
        timeout=900,
    )


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(
        PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def pid_of(name: str) -> int | None:
    path = RUN / f"{name}.pid"
    if not path.exists():
        return None
    pid = int(path.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def spawn(name: str, argv: list[str]) -> int:
    log = open(RUN / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    (RUN / f"{name}.pid").write_text(str(process.pid))
    return process.pid


def start_app(name: str) -> None:
    if pid_of(name):
        return
    port = APPS[name]
    spawn(
        name,
        [
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "academy.wsgi",
        ],
    )


def start_redis() -> None:
    if pid_of("redis"):
        return
    redis = shutil.which("redis-server") or "/usr/bin/redis-server"
    spawn(
        "redis",
        [
            redis,
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            str(RUN),
        ],
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"Redis on port {REDIS_PORT} did not start")


def start_worker() -> None:
    if not pid_of("worker"):
        spawn("worker", [PYTHON, "manage.py", "db_worker", "--interval", "0.5", "--no-reload"])


def start_nginx() -> None:
    if pid_of("nginx"):
        return
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    prefix = RUN / "nginx"
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    spawn(
        "nginx",
        [nginx, "-p", f"{prefix}/", "-c", str(ROOT / "deploy" / "nginx.conf"), "-g", "daemon off;"],
    )


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"not ready in {seconds:.0f} s: {url}")


def up() -> None:
    RUN.mkdir(parents=True, exist_ok=True)
    ensure_database()
    start_redis()
    print(f"Database {DB_NAME}: migrate, static files, demo content (once) …", flush=True)
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage("load_demo", "--if-empty", settings="academy.settings.dev", capture=True)
    restart_missing()
    status()


def restart_missing() -> None:
    start_redis()
    for name in APPS:
        start_app(name)
    start_worker()
    start_nginx()
    for port in APPS.values():
        wait_for(f"http://127.0.0.1:{port}/readyz/")
    wait_for(f"{LB}/readyz/")


def status() -> None:
    rows = {name: pid_of(name) for name in (*APPS, "worker", "nginx", "redis")}
    print(json.dumps({"load_balancer": LB, "processes": rows}, indent=2))


def stop(name: str) -> None:
    pid = pid_of(name)
    if pid:
        os.killpg(pid, signal.SIGTERM)
        for _ in range(100):
            if not pid_of(name):
                break
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
    (RUN / f"{name}.pid").unlink(missing_ok=True)


def down() -> None:
    for name in ("nginx", *APPS, "worker", "redis"):
        stop(name)
    print("cluster stopped")


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "status"
    actions = {"up": up, "down": down, "status": status, "restart-missing": restart_missing}
    if command not in actions:
        print(__doc__)
        return 2
    actions[command]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
