"""Tests against the production cache: Redis through django-redis, sessions in
``cached_db``.

Tests (or modules) marked ``@pytest.mark.redis`` run with these settings instead
of the local-memory cache: the session, rate-limit, throttle and cache tests,
whose point is what several processes share. Each test process has its own key
prefix, and ``cache.clear()`` removes only that prefix, so parallel workers (and
other users of the same Redis database) never empty each other's keys.

``TEST_REDIS_URL`` names the server and database (default
``redis://127.0.0.1:6379/3``). Without Redis the tests are skipped on a
developer's machine; with ``CI=true`` they fail.
"""

import os

from django_redis.client import DefaultClient

DEFAULT_URL = "redis://127.0.0.1:6379/3"


def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL") or DEFAULT_URL


def key_prefix() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"academy-test-{worker}-{os.getpid()}"


class PrefixClient(DefaultClient):
    """django-redis' client whose ``clear()`` empties only this process's prefix
    (the default flushes the whole database)."""

    def clear(self, client=None) -> None:
        if client is None:
            client = self.get_client(write=True)
        prefix = self._backend.key_prefix
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)


def cache_settings() -> dict:
    """Both aliases of production (``default`` and ``strict``) on one Redis with this
    process's prefix; in tests neither hides an error."""
    config = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url(),
        "KEY_PREFIX": key_prefix(),
        "OPTIONS": {
            "CLIENT_CLASS": "tests.redis_cache.PrefixClient",
            "IGNORE_EXCEPTIONS": False,
            "SOCKET_CONNECT_TIMEOUT": 2,
            "SOCKET_TIMEOUT": 5,
        },
    }
    return {"default": dict(config), "strict": dict(config)}


def unreachable_reason() -> str | None:
    """Why Redis cannot be used, or None when it answers."""
    import redis

    try:
        redis.Redis.from_url(redis_url(), socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as error:  # any failure means: no Redis for these tests
        return f"Redis at {redis_url()} does not answer: {type(error).__name__}: {error}"
    return None
