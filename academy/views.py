import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Min
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
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


# Request headers that make a conditional answer (304, 412, a partial range):
# none of them may probe a private document.
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
)


def _in_private_collection(document_id: int) -> bool:
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    collection_id = (
        get_document_model()
        .objects.filter(pk=document_id)
        .values_list("collection_id", flat=True)
        .first()
    )
    if collection_id is None:
        return False
    collection = Collection.objects.filter(pk=collection_id).first()
    return collection is not None and collection.get_view_restrictions().exists()


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (``/documents/``), which checks the collection's
    privacy. A document of a private collection (course material) is personal:
    no browser or proxy stores it, and no validator answers a conditional request
    (Wagtail's ETag is the file's hash, or empty and the same for many files).
    Public documents are served as Wagtail serves them."""
    from wagtail.documents.views.serve import serve as wagtail_serve

    private = _in_private_collection(document_id)
    if private:
        for header in CONDITIONAL_HEADERS:
            request.META.pop(header, None)
    response = wagtail_serve(request, document_id, document_filename)
    if private:
        for header in ("ETag", "Last-Modified", "Expires"):
            if header in response:
                del response[header]
        response["Cache-Control"] = "private, no-store"
        patch_vary_headers(response, ["Cookie"])
    return response
