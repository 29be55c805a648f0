"""The page cache for anonymous visitors (the first of three caching layers, see
``home/cache.py``).

What is cached: 200 answers to GET/HEAD from visitors who carry no cookie but
(at most) the CSRF cookie — so no session, no messages, nobody signed in —
outside the excluded paths (enrolment, admin, documents, search, learner
area, probes), and only when the answer sets no cookie (every page that puts
a CSRF token into a form sets the CSRF cookie again), is not marked
private/no-store/no-cache and carries no CSP nonce. ``Vary: Cookie`` alone
does not prevent storing: every request answered from the cache carries the
same (no) session, which is all the base template looks at.

The rule: a cached page is kept with the *page generation* it was rendered
under, and answers only while that generation is current. The generation moves
on (:func:`end`) with every publish, unpublish, move or deletion of a page, every
change of the content version (snippets, settings, images, documents) and every
seat taken or given back (``courses.signals.booking_changed``, sent by the
queryset update that counts it) — so the next visitor sees each of them; the
receivers are registered in ``AcademyConfig.ready()``. Only what changes with
time alone (a registration deadline passing, a date beginning) waits for the
entry to expire: ``PAGE_CACHE_SECONDS`` (default 30).

The generation lives in the shared cache next to the pages: one round trip
reads both, and with Redis every app server sees a change at once.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import cc_delim_re, get_max_age, patch_response_headers

from home.cache import move_counter, now_and_on_commit, read_counter

logger = logging.getLogger(__name__)

STATUS_HEADER = "X-Page-Cache"
GENERATION_KEY = "pagecache:generation"
DEFAULT_EXCLUDE = (
    "/admin/",
    "/django-admin/",
    "/anmeldung/",
    "/lernen/",
    "/documents/",
    "/suche/",
    "/healthz/",
    "/readyz/",
    "/ping/",
    "/static/",
    "/media/",
)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 30))


def end(**kwargs) -> None:
    """Every cached page ends (a signal receiver)."""
    now_and_on_commit(_end_now)


def _end_now() -> None:
    try:
        move_counter(_cache(), GENERATION_KEY)
    except Exception:
        logger.error("page cache unavailable: cached pages not ended", exc_info=True)


def _content_changed(**kwargs):
    # sent by home.cache, now and again when the change commits
    _end_now()


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        end()


def connect() -> None:
    from django.db.models.signals import post_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from courses.signals import booking_changed
    from home.cache import content_changed

    page_published.connect(end, dispatch_uid="pagecache-published")
    page_unpublished.connect(end, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(end, dispatch_uid="pagecache-move")
    post_delete.connect(_page_deleted, dispatch_uid="pagecache-page-delete")
    content_changed.connect(_content_changed, dispatch_uid="pagecache-content")
    booking_changed.connect(end, dispatch_uid="pagecache-booking")


def _key(request) -> str:
    raw = f"{request.method == 'HEAD'}|{request.get_host()}|{request.get_full_path()}"
    return f"pagecache:{hashlib.sha256(raw.encode()).hexdigest()}"


def request_is_cacheable(request) -> bool:
    if not getattr(settings, "PAGE_CACHE_ENABLED", True) or seconds() <= 0:
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if set(request.COOKIES) - {settings.CSRF_COOKIE_NAME}:
        return False
    if request.META.get("HTTP_AUTHORIZATION"):
        return False
    excluded = tuple(getattr(settings, "PAGE_CACHE_EXCLUDE", DEFAULT_EXCLUDE))
    return not request.path.startswith(excluded)


def response_is_cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", ""))}
    if "*" in vary or "authorization" in vary:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    if get_max_age(response) == 0:
        return False
    if "nonce-" in response.get("Content-Security-Policy", ""):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PageCacheMiddleware:
    """Sits above sessions and authentication: a hit never touches the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            return self.get_response(request)
        cache = _cache()
        try:
            key = _key(request)
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY)
            if generation is None:
                generation = read_counter(cache, GENERATION_KEY)
        except Exception:  # the cache is down: pages come from the database meanwhile
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            response = entry[1]
            response[STATUS_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if response_is_cacheable(request, response):
            if not response.has_header("Cache-Control"):
                patch_response_headers(response, cache_timeout=seconds())
            response[STATUS_HEADER] = "miss"
            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(lambda r: _store(key, generation, r))
            else:
                _store(key, generation, response)
        return response


def _store(key, generation, response) -> None:
    # stored with the generation read before rendering: a change made meanwhile ends it
    try:
        _cache().set(key, (generation, response), seconds())
    except Exception:
        logger.warning("page cache unavailable, page not stored", exc_info=True)
