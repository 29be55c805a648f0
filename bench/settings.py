"""Settings of the benchmark's servers: production settings, and for the ``cold`` mode
nothing that keeps anything between requests.

``BENCH_MODE`` (set by bench/run.py for each server):

- ``cached``: production as it is (page cache, cached fragments, Redis);
- ``warm``: the page cache off (``PAGE_CACHE_ENABLED=false`` from the environment);
  cached fragments of public content warm, as on a busy site between publishes;
- ``cold``: every request is served as the first after a publish or a restart of the
  cache: the content cache and the page cache off (``CONTENT_CACHE_ENABLED=false``,
  ``PAGE_CACHE_ENABLED=false`` from the environment), each process's own copy of
  cached content off, and every cache alias one that never stores (``DummyCache``), so
  Wagtail's site root paths and rendition look-ups come from the database too.

Django's own metadata kept per process (content types, compiled templates, URL
patterns) stays warm in every mode, as it does after a publish.
"""

import os

from academy.settings.production import *  # noqa: F403
from academy.settings.production import CACHES

BENCH_MODE = os.environ.get("BENCH_MODE", "cached")

if BENCH_MODE == "cold":
    CONTENT_CACHE_ENABLED = False
    CONTENT_CACHE_LOCAL_ENTRIES = 0
    PAGE_CACHE_ENABLED = False
    CACHES = {  # every alias the project uses, and "renditions" should one be added
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        for alias in {*CACHES, "renditions"}
    }
