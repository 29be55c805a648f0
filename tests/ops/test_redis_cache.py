"""The ``redis`` marker: tests run against Redis and ``cached_db`` sessions, as in
production, each test process under its own key prefix."""

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from tests import redis_cache


@pytest.mark.redis
def test_marked_tests_use_redis_and_cached_db_sessions(client, db):
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    cache.set("probe", 42)
    server = redis.Redis.from_url(redis_cache.redis_url())
    assert server.get(f"{redis_cache.key_prefix()}:1:probe") is not None
    session = client.session
    session["probe"] = "x"
    session.save()
    assert (
        server.exists(
            f"{redis_cache.key_prefix()}:1:django.contrib.sessions.cached_db{session.session_key}"
        )
        == 1
    )


@pytest.mark.redis
def test_clear_empties_only_this_process_prefix():
    server = redis.Redis.from_url(redis_cache.redis_url())
    foreign = "academy-test-someone-else:1:keep-me"
    server.set(foreign, "1", ex=60)
    try:
        cache.set("mine", 1)
        cache.clear()
        assert cache.get("mine") is None
        assert server.get(foreign) == b"1"
    finally:
        server.delete(foreign)


def test_unmarked_tests_keep_the_local_memory_cache():
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_an_unreachable_server_is_named(monkeypatch):
    monkeypatch.setenv("TEST_REDIS_URL", "redis://127.0.0.1:1/3")
    reason = redis_cache.unreachable_reason()
    assert reason is not None and "127.0.0.1:1" in reason


@pytest.mark.parametrize("ci, outcome, code", [("true", "1 error", 1), ("", "1 skipped", 0)])
def test_without_redis_marked_tests_fail_on_ci_and_skip_elsewhere(ci, outcome, code):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "CI": ci, "TEST_REDIS_URL": "redis://127.0.0.1:1/3"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "tests/ops/test_redis_cache.py::test_clear_empties_only_this_process_prefix",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert outcome in result.stdout, result.stdout
    assert result.returncode == code
    assert "does not answer" in result.stdout
