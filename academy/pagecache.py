"""A page cache for anonymous visitors that stays correct.

What is cached: 200 answers to GET/HEAD from visitors who carry no cookie but
(at most) the CSRF cookie — so no session, no messages, nobody signed in —
outside the excluded paths (enrolment, admin, documents, search, learner
area, probes), and only when the answer sets no cookie (every page that puts
a CSRF token into a form sets the CSRF cookie again), is not marked
private/no-store/no-cache and carries no CSP nonce. ``Vary: Cookie`` alone
does not prevent storing: every request answered from the cache carries the
same (no) session, which is all the base template looks at.

How long: ``PAGE_CACHE_SECONDS`` (default 30). Course pages and the catalogue
show free seats, which change without a publish: they are never more than
that many seconds stale. Every publish, unpublish, move or delete of a page,
every saved snippet, image or site setting drops the whole cache at once: its
keys contain the content version of ``home.cache``, kept in the shared cache,
so with Redis every app server sees an editor's change immediately.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import cc_delim_re, get_max_age, patch_response_headers

from home import cache as content_cache

logger = logging.getLogger(__name__)

STATUS_HEADER = "X-Page-Cache"
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


def invalidate(**kwargs) -> None:
    """Drop every cached page (and every cached fragment of public content)."""
    content_cache.bump()


def _key(request) -> str:
    raw = f"{request.method == 'HEAD'}|{request.get_host()}|{request.get_full_path()}"
    return f"pagecache:{content_cache.version(request)}:{hashlib.sha256(raw.encode()).hexdigest()}"


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
        try:
            key = _key(request)
            cached = _cache().get(key)
        except Exception:  # the cache is down: pages come from the database meanwhile
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        if cached is not None:
            cached[STATUS_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if response_is_cacheable(request, response):
            if not response.has_header("Cache-Control"):
                patch_response_headers(response, cache_timeout=seconds())
            response[STATUS_HEADER] = "miss"
            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(lambda r: _store(key, r))
            else:
                _store(key, response)
        return response


def _store(key, response) -> None:
    try:
        _cache().set(key, response, seconds())
    except Exception:
        logger.warning("page cache unavailable, page not stored", exc_info=True)
