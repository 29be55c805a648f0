"""Redis stopped: pages, enrolment and sign-in keep working. Cache errors are logged
and ignored, sessions come from the database, rate limits fail open for reading and
enrolling and closed for sign-in links, the login throttle (in the database) still
counts, and /readyz/ says what is degraded.

The cache here is the production configuration pointed at a closed port."""

import logging
import time

import pytest
from django.core import mail
from django.urls import reverse

from academy.logformat import OncePerInterval
from academy.settings.env import redis_caches
from enrolment.models import Enrolment
from tests.enrolment.builders import course_date, person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_caches(CLOSED_PORT)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PAGE_CACHE_ENABLED = True
    settings.CONTENT_CACHE_ENABLED = True


@pytest.fixture(autouse=True)
def _fresh_log_throttle():
    """Each test sees the first message of its own outage (the filter is shared)."""
    for name in ("django_redis.cache", "home.cache", "academy.pagecache", "enrolment.ratelimit"):
        for log_filter in logging.getLogger(name).filters:
            if isinstance(log_filter, OncePerInterval):
                log_filter._seen.clear()


@pytest.fixture
def date():
    return course_date(capacity=5)


def test_the_test_cache_really_is_down(redis_down):
    from django.core.cache import caches
    from redis.exceptions import ConnectionError as RedisConnectionError

    with pytest.raises(RedisConnectionError):
        caches["strict"].get("x")
    assert caches["default"].get("x", "fallback") == "fallback"  # ignored


def test_pages_answer(client, redis_down, date):
    started = time.monotonic()
    for url in ("/", "/kurse/", date.course.url, "/suche/?q=Kurs", "/kurse/kalender/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response
    assert time.monotonic() - started < 10


def test_enrolment_goes_on_and_its_rate_limit_fails_open(client, redis_down, date, caplog):
    url = reverse("enrolment:enrol", args=[date.pk])
    assert client.get(url).status_code == 200
    data = {k: v for k, v in person(1).items() if k != "billing"}
    response = client.post(url, {**data, "consent": "on"})
    assert response.status_code == 302
    assert Enrolment.objects.filter(email="person1@example.org").exists()
    assert any(
        r.name == "enrolment.ratelimit" and "allowed" in r.getMessage() for r in caplog.records
    )


def test_sign_in_page_answers_and_links_are_not_mailed_unthrottled(client, redis_down):
    assert client.get(reverse("learner:signin")).status_code == 200
    response = client.post(reverse("learner:signin"), {"email": "lernende@example.org"})
    assert response.status_code == 429  # fail closed: no mail without a working limit
    assert mail.outbox == []


def test_a_sign_in_link_signs_in_and_the_session_holds(client, redis_down):
    from sesame.utils import get_token

    user = UserFactory(username="lernende@example.org", email="lernende@example.org")
    response = client.post(reverse("learner:link", args=[get_token(user)]))
    assert response.status_code == 302
    assert client.get(reverse("learner:home")).status_code == 200  # session from the database


def test_admin_sign_in_works_and_the_login_throttle_still_counts(
    client, redis_down, settings, django_user_model
):
    from django.test import Client

    django_user_model.objects.create_superuser("redaktion", "r@example.org", "richtig-123")
    response = client.post("/admin/login/", {"username": "redaktion", "password": "richtig-123"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    stranger = Client()
    answers = [
        stranger.post("/admin/login/", {"username": "redaktion", "password": "falsch"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert answers[-1] == 429  # fail closed: counted in the database, not in Redis


def test_readyz_names_the_cache_as_degraded(client, redis_down):
    response = client.get("/readyz/")
    assert response.status_code == 200  # this instance still serves
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "unavailable",
        "tasks": "ok",
        "degraded": ["cache"],
    }


def test_repeated_cache_errors_are_logged_once_a_minute():
    throttle = OncePerInterval(seconds=60)

    def record(msg="Exception ignored"):
        return logging.LogRecord("django_redis.cache", logging.ERROR, __file__, 1, msg, (), None)

    assert throttle.filter(record())
    assert not any(throttle.filter(record()) for _ in range(50))
    assert throttle.filter(record("another message"))
    throttle._seen[("django_redis.cache", "Exception ignored")][0] -= 61
    later = record()
    assert throttle.filter(later)
    assert "50 more like this left out" in later.getMessage()
