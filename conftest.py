"""Project-wide pytest fixtures: a Wagtail site with a home page, users, and the
production cache (Redis, ``cached_db`` sessions) for tests marked ``redis``."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    """Tests of one database's own features belong to that database's run.

    `make test` (SQLite) and `make test-postgres` together run every test; each run
    deselects the tests meant for the other database instead of skipping them."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    other = "sqlite_only" if "postgresql" in engine else "postgres_only"
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(other)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


_redis_problem: list[str | None] = []


@pytest.fixture(autouse=True)
def _redis_when_marked(request):
    """Tests marked ``redis`` run with Redis as the cache and ``cached_db`` sessions,
    as in production (see tests/redis_cache.py). Without Redis they are skipped,
    except under CI=true, where they fail."""
    if request.node.get_closest_marker("redis") is None:
        yield
        return
    from tests import redis_cache

    if not _redis_problem:
        _redis_problem.append(redis_cache.unreachable_reason())
    problem = _redis_problem[0]
    if problem is not None:
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    from django.core.cache import cache

    settings = request.getfixturevalue("settings")
    settings.CACHES = redis_cache.cache_settings()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached fragments name pages by id and
    publish time, and both come back after a test's rollback."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _wagtail_roots(request):
    """A transactional test flushes the database, including what migrations had
    inserted; with tests spread over workers, any later test may run after one.
    Put Wagtail's roots and the staff roles back (inside the test's own transaction
    where it has one; a transactional test sets up the roles it needs itself)."""
    marker = request.node.get_closest_marker("django_db")
    fixtures = request.fixturenames
    if marker is None and not {"db", "transactional_db", "live_server"} & set(fixtures):
        return
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in fixtures for name in ("transactional_db", "live_server")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from tests.factories import ensure_wagtail_roots

    ensure_wagtail_roots()
    if not transactional:
        # the staff roles of the data migrations, likewise flushed
        request.getfixturevalue("staff_roles")


@pytest.fixture
def staff_roles(db):
    """The staff roles (groups Redaktion, Trainer, … with their permissions) as their data
    migrations make them: a browser test on the same worker may have flushed them."""
    import contextlib
    import importlib
    from unittest import mock

    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name="Redaktion").exists():
        return
    roles = importlib.import_module("enrolment.migrations.0002_editor_roles")
    grants = [
        importlib.import_module(name)
        for name in (
            "courses.migrations.0008_staff_search_promotions",
            "courses.migrations.0011_staff_provider_settings",
            "courses.migrations.0013_staff_funding_programmes",
            "enrolment.migrations.0014_staff_bookings",
            "enrolment.migrations.0016_staff_invoice_settings",
        )
    ]
    # the permissions exist (post_migrate makes them again after a flush); the
    # migrations' own way of making them would unset the live apps' models modules
    with contextlib.ExitStack() as patches:
        for module in (roles, *grants):
            patches.enter_context(
                mock.patch.object(module, "_ensure_permissions", lambda apps: None)
            )
        roles.create_roles(apps, None)
        for module in grants:
            module.grant(apps, None)


@pytest.fixture
def home_page(db):
    from tests.factories import build_site

    return build_site()


@pytest.fixture
def site(home_page):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)
