import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Min
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

logger = logging.getLogger(__name__)


@never_cache
def ping(request):
    """The smallest Django view: no database, no template (load balancer probe, benchmark)."""
    return HttpResponse("ok", content_type="text/plain")


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache():
    """The shared cache (the alias that raises errors instead of ignoring them)."""
    cache = caches["strict"]
    key = f"readyz:{get_random_string(12)}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)
    return "ok"


def task_backend_path() -> str:
    return settings.TASKS["default"]["BACKEND"]


def oldest_due_task_age() -> float | None:
    """Seconds the oldest task of the database queue has been due without a worker
    taking it (None: nothing due). A task with a delay is due from its run_after."""
    from django_tasks_db.models import get_date_max

    model = apps.get_model("django_tasks_database", "DBTaskResult")
    due = model.objects.ready()
    never_delayed = due.filter(run_after=get_date_max()).aggregate(m=Min("enqueued_at"))["m"]
    delayed = due.exclude(run_after=get_date_max()).aggregate(m=Min("run_after"))["m"]
    moments = [moment for moment in (never_delayed, delayed) if moment is not None]
    if not moments:
        return None
    return max(0.0, (timezone.now() - min(moments)).total_seconds())


def _check_tasks():
    """The database backend's queue answers and a worker takes what is due: a task
    waiting longer than READY_TASK_MAX_AGE_SECONDS means no worker runs (other
    backends need nothing)."""
    if "django_tasks_db" not in task_backend_path():
        return "ok"
    age = oldest_due_task_age()
    if age is not None and age > settings.READY_TASK_MAX_AGE_SECONDS:
        logger.warning("task queue stalled: oldest due task waits %d s", age)
        return "stalled"
    return "ok"


#: only the database makes the instance unready
ESSENTIAL = {"database"}


@never_cache
@require_GET
def readyz(request):
    """Readiness, part by part. Database down: 503 ("error"), this instance cannot
    serve. Cache down or task worker stalled: 200 with ``"status": "degraded"`` and
    the parts named under ``degraded`` – pages, enrolment and sign-in go on, so the
    load balancer keeps the instance; monitoring alerts on anything but "ok"."""
    checks = {"database": _check_database, "cache": _check_cache, "tasks": _check_tasks}
    result = {}
    for name, check in checks.items():
        try:
            result[name] = check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            result[name] = "unavailable"
    failing = [name for name, value in result.items() if value != "ok"]
    if set(failing) & ESSENTIAL:
        status, code = "error", 503
    elif failing:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, **result, "degraded": failing}, status=code)


def login_locked(request, credentials=None, *args, **kwargs):
    """Answer of the login throttle (django-axes) after too many failed attempts."""
    return HttpResponse(
        _("Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es später erneut."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )


@cache_control(max_age=30 * 24 * 3600, public=True)
def media_image(request, path):
    """An image from MEDIA_ROOT (renditions and originals; never documents)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
