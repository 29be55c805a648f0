"""Settings of the benchmark's servers: production settings, and for the ``cold`` mode
nothing that keeps anything between requests.

``BENCH_MODE`` (set by bench/run.py for each server):

- ``cached``: production as it is (page cache, cached fragments, Redis);
- ``warm``: the page cache off (``PAGE_CACHE_ENABLED=false`` from the environment);
  cached fragments of public content warm, as on a busy site between publishes;
- ``cold``: every request is served as the first visitor after a publish or a restart
  of the cache: the page cache off (``PAGE_CACHE_ENABLED=false``), every cache alias one
  that is emptied when each request starts (bench/coldcache.py: every cached fragment,
  Wagtail's site root paths and rendition look-ups are missed and made again) and each
  process's own copy of cached content off. The content cache itself stays switched
  on, so its code runs as for that first visitor.

Django's own metadata kept per process (content types, compiled templates, URL
patterns) stays warm in every mode, as it does after a publish.
"""

import os

from academy.settings.production import *  # noqa: F403
from academy.settings.production import CACHES

BENCH_MODE = os.environ.get("BENCH_MODE", "cached")

# keys of their own in the shared Redis database, apart from any other checkout's benchmark
CACHES = {alias: {**config, "KEY_PREFIX": "academy-bench"} for alias, config in CACHES.items()}

if BENCH_MODE == "cold":
    PAGE_CACHE_ENABLED = False
    CONTENT_CACHE_LOCAL_ENTRIES = 0
    CACHES = {  # every alias the project uses, and "renditions" should one be added
        alias: {"BACKEND": "bench.coldcache.EmptiedEachRequest", "LOCATION": "bench-cold"}
        for alias in {*CACHES, "renditions"}
    }
