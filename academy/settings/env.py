"""Small helpers to read configuration from the environment."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """Comma-separated IP addresses or networks (``127.0.0.1,10.0.0.0/24``); a wrong
    entry stops the start-up rather than trusting the wrong peers."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is neither an IP address nor a network."
            ) from error
    return networks


def database_config(default_sqlite_path) -> dict:
    """The default database: DATABASE_URL if set, else an embedded SQLite file.

    SQLite is opened for safe concurrent writers: every transaction takes the
    write lock at BEGIN (IMMEDIATE), the journal is WAL and a writer waits
    for a busy lock instead of failing at once.
    """
    url = os.environ.get("DATABASE_URL", "")
    if url:
        config = dj_database_url.parse(
            url,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
            conn_health_checks=True,
        )
    else:
        # The embedded database lives under var/, which a fresh checkout lacks.
        Path(default_sqlite_path).parent.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite_path)}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            }
        )
    return config


def redis_caches(url: str) -> dict:
    """Two cache aliases on one Redis. ``default`` (sessions, Wagtail, Django) logs and
    ignores errors, so pages, enrolment and sign-in go on while Redis is down;
    ``strict`` raises them for the project's own code that decides what to do without
    a cache (cached content, the page cache, rate limits, /readyz/). Short socket
    timeouts: a Redis that does not answer costs a request one second, not thirty."""
    options = {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
    common = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "academy"}
    return {
        "default": {**common, "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True}},
        "strict": {**common, "OPTIONS": {**options, "IGNORE_EXCEPTIONS": False}},
    }


def local_caches(backend: str, location: str = "", options: dict | None = None) -> dict:
    """The same two aliases on one local store (memory of the process or files)."""
    config = {"BACKEND": backend, "LOCATION": location, **({"OPTIONS": options} if options else {})}
    return {"default": dict(config), "strict": dict(config)}
