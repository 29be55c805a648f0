"""Caches of public content, and the one switch that ends them all.

Everything an editor can change (pages, snippets, site settings, images)
belongs to one *content version*, a number in the shared cache. Every cache
key of public content contains it, so a publish, an unpublish, a move, a
deleted page or a saved snippet makes every cached fragment and every cached
page obsolete at once, on every app server that shares the cache (Redis in
production). Obsolete entries are never read again and expire on their own.

Two ways to use it:

- ``{% publiccache "name" vary … %}…{% endpubliccache %}`` (``cache_tags``)
  keeps a piece of a template that looks the same for every visitor – menus,
  footer, the body of a page – and renders it anew for previews. A vary value
  of ``None`` switches caching off for that render.
- :func:`remember` keeps a computed value (a list of menu entries, the
  catalogue page's address) under the same rules.

Free-seat numbers change without an editor: templates render them outside
the cached fragments, or make them part of the key (course cards), so they are
always current.
"""

import contextvars
import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)
VERSION_KEY = "content:version"
_SENTINEL = object()


def _cache():
    return caches[getattr(settings, "CONTENT_CACHE_ALIAS", "default")]


def timeout() -> int:
    """How long a fragment may live; its version makes it obsolete much earlier."""
    return int(getattr(settings, "CONTENT_CACHE_SECONDS", 24 * 3600))


#: the request being answered (set by home.middleware.CachedSiteMiddleware): values
#: read from the cache are kept with it, so no request asks the cache twice
current_request = contextvars.ContextVar("content_cache_request", default=None)


def version(request=None) -> int:
    """The current content version (read once per request)."""
    request = request if request is not None else current_request.get()
    if request is not None:
        cached = getattr(request, "_content_version", None)
        if cached is not None:
            return cached
    cache = _cache()
    value = cache.get(VERSION_KEY)
    if value is None:
        # a new start (empty or evicted cache) begins past every earlier version
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        value = cache.get(VERSION_KEY) or 1
    if request is not None:
        request._content_version = value
    return value


def bump(**kwargs) -> None:
    """Make every cached fragment and page obsolete (a signal receiver).

    Now, and once more when the transaction that made the change commits: a request
    that read the new version before the commit may have rendered the old content
    under it."""
    _bump_now()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        transaction.on_commit(_bump_now)


def _bump_now() -> None:
    cache = _cache()
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, time.time_ns() // 1000, timeout=None)
    except Exception:
        # the change itself is saved; the cache (down now) starts empty when it is back
        logger.error("cache unavailable: cached content not ended", exc_info=True)


# --- a small copy in each process -------------------------------------------------
#
# A key names one version of the content and never gets another value, so each app
# server process may keep what it has read: only the version itself is asked of the
# shared cache on every request. Rendered fragments are kept as they are, other
# values pickled (every reader gets its own copy).

_local: OrderedDict = OrderedDict()
_local_lock = threading.Lock()


def _local_size() -> int:
    return int(getattr(settings, "CONTENT_CACHE_LOCAL_ENTRIES", 2000))


def _local_get(cache_key):
    with _local_lock:
        entry = _local.get(cache_key, _SENTINEL)
        if entry is _SENTINEL:
            return _SENTINEL
        _local.move_to_end(cache_key)
    pickled, value = entry
    return pickle.loads(value) if pickled else value  # noqa: S301 – pickled by this process


def _local_set(cache_key, value) -> None:
    size = _local_size()
    if size <= 0:
        return
    entry = (False, value) if isinstance(value, str) else (True, pickle.dumps(value))
    with _local_lock:
        _local[cache_key] = entry
        _local.move_to_end(cache_key)
        while len(_local) > size:
            _local.popitem(last=False)


def clear_local() -> None:
    with _local_lock:
        _local.clear()


def key(name: str, *vary, request=None) -> str:
    raw = "|".join(str(part) for part in vary)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"content:{version(request)}:{name}:{digest}"


def _host(request) -> str | None:
    try:
        return request.get_host()
    except DisallowedHost:
        return None


def enabled(request) -> bool:
    if not getattr(settings, "CONTENT_CACHE_ENABLED", True):
        return False
    # a preview shows a draft: never store it, never answer it from the cache
    return not getattr(request, "is_preview", False) and _host(request) is not None


def remember(name: str, vary: tuple, compute, request=None):
    """``compute()``, kept under the content version and the vary values (and the
    request's host: rendered addresses may be absolute)."""
    if not getattr(settings, "CONTENT_CACHE_ENABLED", True):
        return compute()
    if request is not None:
        if not enabled(request):
            return compute()
        vary = (_host(request), *vary)
    cache = _cache()
    seen = _seen(request if request is not None else current_request.get())
    try:
        cache_key = key(name, *vary, request=request)
        value = seen.get(cache_key, _SENTINEL)
        if value is _SENTINEL:
            value = _local_get(cache_key)
        if value is _SENTINEL:
            value = cache.get(cache_key, _SENTINEL)
            if value is not _SENTINEL:
                _local_set(cache_key, value)
    except Exception:  # the cache is down: the database still answers
        logger.warning("cache unavailable, %s rendered without it", name, exc_info=True)
        return compute()
    if value is _SENTINEL:
        value = compute()
        try:
            cache.set(cache_key, value, timeout())
            _local_set(cache_key, value)
        except Exception:
            logger.warning("cache unavailable, %s not stored", name, exc_info=True)
    seen[cache_key] = value
    return value


def _seen(request) -> dict:
    """Values this request has read from the cache already (a throwaway dict without one)."""
    if request is None:
        return {}
    if not hasattr(request, "_prefetched_fragments"):
        request._prefetched_fragments = {}
    return request._prefetched_fragments


def _restrictions() -> dict:
    from wagtail.models import Page, PageViewRestriction

    return {
        "restricted": list(PageViewRestriction.objects.values_list("pk", "page__path")),
        "aliases": list(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)),
    }


def restrictions() -> dict:
    """Which pages carry view restrictions, and which pages are aliases (cached)."""
    return remember("view-restrictions", (), _restrictions)


def public_pages(queryset):
    """``queryset.public()`` without asking the database for the restrictions."""
    from django.db.models import Q

    restricted = Q()
    for _pk, path in restrictions()["restricted"]:
        restricted |= Q(path__startswith=path)
    return queryset.exclude(restricted) if restricted else queryset


class CachedItem:
    """An item of a listing whose fragment comes from the cache: it carries only what
    the fragment's key is made of."""

    def __init__(self, pk, **key_parts):
        self.pk = pk
        self.__dict__.update(key_parts)


def _get_many(keys: list) -> dict:
    """The values found, from this process's copy first, then the shared cache."""
    found = {}
    for cache_key in keys:
        value = _local_get(cache_key)
        if value is not _SENTINEL:
            found[cache_key] = value
    rest = [cache_key for cache_key in keys if cache_key not in found]
    if rest:
        shared = _cache().get_many(rest)
        for cache_key, value in shared.items():
            _local_set(cache_key, value)
        found.update(shared)
    return found


def missing(name: str, varies: list[tuple], request) -> list[int]:
    """Positions of the vary tuples whose fragment ``name`` is not in the cache (all of
    them when caching is off): what a listing must load the data for. The fragments
    found are kept with the request, so rendering them asks the cache no more."""
    if not enabled(request):
        return list(range(len(varies)))
    host = _host(request)
    try:
        keys = [key(name, host, *vary, request=request) for vary in varies]
        found = _get_many(keys)
    except Exception:
        logger.warning("cache unavailable", exc_info=True)
        return list(range(len(varies)))
    _seen(request).update(found)
    return [position for position, k in enumerate(keys) if k not in found]


def remember_many(name: str, ids: list, compute, request=None) -> dict:
    """Values per id (``compute(missing_ids)`` returns a dict), kept like :func:`remember`."""
    if not ids:
        return {}
    if not getattr(settings, "CONTENT_CACHE_ENABLED", True) or (
        request is not None and not enabled(request)
    ):
        return compute(ids)
    cache = _cache()
    host = _host(request) if request is not None else ""
    try:
        keys = {pk: key(name, host, pk, request=request) for pk in ids}
        found = _get_many(list(keys.values()))
    except Exception:
        logger.warning("cache unavailable, %s computed without it", name, exc_info=True)
        return compute(ids)
    values = {pk: found[k] for pk, k in keys.items() if k in found}
    missing = [pk for pk in ids if pk not in values]
    if missing:
        computed = compute(missing)
        try:
            cache.set_many({keys[pk]: value for pk, value in computed.items()}, timeout())
            for pk, value in computed.items():
                _local_set(keys[pk], value)
        except Exception:
            logger.warning("cache unavailable, %s not stored", name, exc_info=True)
        values.update(computed)
    return values


def _bump_unless_created(sender, created=False, **kwargs):
    if not created:
        bump()


def bump_on_change(*models, on_create=True) -> None:
    """Saving or deleting one of these models changes public content (creating one
    does not when ``on_create`` is false: site settings are created with defaults on
    the first request that reads them)."""
    for model in models:
        uid = f"content-version-{model._meta.label_lower}"
        receiver = bump if on_create else _bump_unless_created
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(bump, sender=model, dispatch_uid=f"{uid}-delete", weak=False)


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        bump()


def _alias_saved(sender, instance, created, **kwargs):
    from wagtail.models import Page

    # aliases share their original's view restrictions (see restrictions())
    if isinstance(instance, Page) and instance.alias_of_id and created:
        bump()


def connect() -> None:
    """Page events, and the models of this app and of Wagtail that pages show."""
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    from .models import Partner, SiteSettings

    page_published.connect(bump, dispatch_uid="content-version-published")
    page_unpublished.connect(bump, dispatch_uid="content-version-unpublished")
    page_slug_changed.connect(bump, dispatch_uid="content-version-slug")
    post_page_move.connect(bump, dispatch_uid="content-version-move")
    post_delete.connect(_page_deleted, dispatch_uid="content-version-page-delete")
    post_save.connect(_alias_saved, dispatch_uid="content-version-alias")
    bump_on_change(Partner, Site, PageViewRestriction, get_image_model())
    bump_on_change(SiteSettings, on_create=False)
