import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
def ping(request):
    """The smallest Django view: no database, no template (load balancer probe, benchmark)."""
    return HttpResponse("ok", content_type="text/plain")


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    key = f"readyz:{get_random_string(12)}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


def task_backend_path() -> str:
    return settings.TASKS["default"]["BACKEND"]


def _check_tasks():
    """The database backend's queue table answers (other backends need nothing)."""
    if "django_tasks_db" in task_backend_path():
        model = apps.get_model("django_tasks_database", "DBTaskResult")
        model.objects.filter(status="READY").exists()


@never_cache
@require_GET
def readyz(request):
    """Readiness: database, cache and task queue answer; 503 otherwise."""
    checks = {"database": _check_database, "cache": _check_cache, "tasks": _check_tasks}
    result = {}
    for name, check in checks.items():
        try:
            check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            result[name] = "unavailable"
        else:
            result[name] = "ok"
    ready = all(value == "ok" for value in result.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", **result}, status=200 if ready else 503
    )


def login_locked(request, credentials=None, *args, **kwargs):
    """Answer of the login throttle (django-axes) after too many failed attempts."""
    return HttpResponse(
        _("Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es später erneut."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
