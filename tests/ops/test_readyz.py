from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_readyz_reports_database_cache_and_tasks(client):
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "tasks": "ok",
        "degraded": [],
    }
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_the_database_task_queue(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.get("/readyz/").json()["tasks"] == "ok"


def test_readyz_is_degraded_when_the_cache_fails(client, monkeypatch):
    """Pages, enrolment and sign-in go on without Redis: the instance stays in the load
    balancer, and the answer names what is missing."""
    from django.core.cache import caches

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(caches["strict"], "set", broken)
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "unavailable"
    assert response.json()["database"] == "ok"
    assert response.json()["degraded"] == ["cache"]


@pytest.fixture
def task_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.READY_TASK_MAX_AGE_SECONDS = 60


def age(result, **delta):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(**delta)
    )


def test_readyz_says_the_task_worker_is_stalled(client, task_queue):
    """Finding: /readyz/ said "ok" while no worker ran; a due task waiting longer than
    READY_TASK_MAX_AGE_SECONDS now shows it."""
    from enrolment.tasks import send_pending_mail

    result = send_pending_mail.enqueue()
    assert client.get("/readyz/").json()["tasks"] == "ok"  # just enqueued
    age(result, minutes=5)
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["tasks"] == "stalled"
    assert response.json()["degraded"] == ["tasks"]


def test_a_task_due_later_is_not_a_stalled_worker(client, task_queue):
    from enrolment.tasks import send_pending_mail

    later = send_pending_mail.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()
    age(later, hours=2)
    assert client.get("/readyz/").json()["tasks"] == "ok"
    overdue = send_pending_mail.using(run_after=timezone.now() - timedelta(minutes=5)).enqueue()
    assert overdue.id
    assert client.get("/readyz/").json()["tasks"] == "stalled"


def test_finished_tasks_do_not_count(client, task_queue):
    from django_tasks_db.models import DBTaskResult

    from enrolment.tasks import send_pending_mail

    result = send_pending_mail.enqueue()
    age(result, hours=1)
    DBTaskResult.objects.filter(pk=result.id).update(status="SUCCESSFUL")
    assert client.get("/readyz/").json()["status"] == "ok"


def test_readyz_is_503_when_the_database_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "unavailable"


def test_healthz_keeps_its_contract(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
