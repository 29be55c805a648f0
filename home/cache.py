"""The content version: what ends every cached fragment that shows a snippet.

Public pages are cached in three layers, each with one rule:

1. **Page cache** (``academy/pagecache.py``): whole answers to anonymous visitors,
   kept with the *page generation* they were rendered under. Every publish,
   unpublish, move or deletion of a page, every content change (3.) and every seat
   taken or given back moves the generation on: the next visitor gets a fresh page.
2. **Fragments**: Wagtail's ``{% wagtailpagecache %}`` and ``{% wagtailcache %}``,
   keyed by what they render – a page's own parts by ``Page.cache_key`` (id, address,
   time of the last publish), lists by the ids and publish times of the pages they
   show, and every fragment that shows a snippet, a setting, an image or a document
   by the content version (templates get it as ``content_version``). Free seats and
   anything personal are never inside a fragment.
3. **Content version** (this module): one number in the shared cache, moved on by
   signals registered in ``ready()`` (:func:`watch`) for every model whose change
   shows on a public page – snippets, settings, images, documents, sites, view
   restrictions – and by every change of a page's address (move, new slug,
   unpublish, deletion), because links to a page appear on other pages.
   ``tests/home/test_cache_signals.py`` walks the page, snippet and setting models
   and fails when one they show is not watched.

A moved version reaches every app server at once (the number lives in Redis);
fragments under an old version are never read again and expire on their own.

Nothing else is cached: Wagtail finds the site, routes the path level by level and
checks view restrictions itself, on every uncached request. Measured on the
benchmark database (``bench.seed``: 300 courses, 500 articles; production settings,
Redis, page cache off, fragments warm; CPU time per request of an in-process test
client, median of 5 × 60 requests), this costs 8–10 queries and stays within the
targets: home 14.6 ms, catalogue 14.7, a course 11.7, news 15.4, an article 12.4,
search 21.6 (targets 25, 25, 15, 25, 15, 40).
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

logger = logging.getLogger(__name__)

VERSION_KEY = "content:version"

#: sent whenever the content version moves on (the page cache ends with it)
content_changed = Signal()

#: every model whose saves and deletions move the content version on
WATCHED: set[type] = set()


def _cache():
    return caches[getattr(settings, "CONTENT_CACHE_ALIAS", "default")]


def fragment_seconds() -> int:
    """How long a fragment may live (0: fragments switched off); its key ends it earlier."""
    if not getattr(settings, "CONTENT_CACHE_ENABLED", True):
        return 0
    return int(getattr(settings, "CONTENT_CACHE_SECONDS", 24 * 3600))


def read_counter(cache, key: str) -> int:
    """A counter in the shared cache; a new start (empty or evicted cache) begins past
    every earlier value."""
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns() // 1000, timeout=None)
        value = cache.get(key) or 0
    return value


def move_counter(cache, key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns() // 1000, timeout=None)


def now_and_on_commit(function) -> None:
    """Run ``function`` now, and once more when the transaction that made the change
    commits: a request that read the new number before the commit may have rendered
    the old content under it."""
    function()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(function)


def content_version() -> int:
    """The current content version (0 while the cache does not answer)."""
    try:
        return read_counter(_cache(), VERSION_KEY)
    except Exception:
        logger.warning("cache unavailable, content version unknown", exc_info=True)
        return 0


def bump(**kwargs) -> None:
    """Move the content version on (a signal receiver): every fragment that shows
    content, and every cached page, ends."""
    now_and_on_commit(_bump_now)


def _bump_now() -> None:
    try:
        move_counter(_cache(), VERSION_KEY)
    except Exception:
        # the change itself is saved; the cache (down now) starts empty when it is back
        logger.error("cache unavailable: cached content not ended", exc_info=True)
    content_changed.send(sender=None)


def _bump_unless_created(sender, created=False, **kwargs):
    if not created:
        bump()


def watch(*models, on_create=True) -> None:
    """Saving or deleting one of these models changes what public pages show (creating
    one does not when ``on_create`` is false: site settings are created with their
    defaults by the first request that reads them)."""
    for model in models:
        WATCHED.add(model)
        uid = f"content-version-{model._meta.label_lower}"
        receiver = bump if on_create else _bump_unless_created
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(bump, sender=model, dispatch_uid=f"{uid}-delete", weak=False)


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        bump()


def connect() -> None:
    """Changes of page addresses, and the models of this app and of Wagtail that
    public pages show."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_slug_changed, page_unpublished, post_page_move

    from .models import Partner, SearchSynonym, SiteSettings

    page_unpublished.connect(bump, dispatch_uid="content-version-unpublished")
    page_slug_changed.connect(bump, dispatch_uid="content-version-slug")
    post_page_move.connect(bump, dispatch_uid="content-version-move")
    post_delete.connect(_page_deleted, dispatch_uid="content-version-page-delete")
    watch(Partner, Site, PageViewRestriction, get_image_model(), get_document_model())
    # the search's synonyms change what cached catalogue searches found
    watch(SearchSynonym)
    watch(SiteSettings, on_create=False)
