"""A cache that forgets everything when a request starts: the ``cold`` mode's cache.

Within one request it keeps what it was given, so a value read twice is made once, as
for the first visitor after every cache was emptied; the next request finds nothing.
Memory of the process: what a miss and a store cost in Redis is not part of the figure.
"""

from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_started


class EmptiedEachRequest(LocMemCache):
    pass


def _empty(**kwargs):
    from django.conf import settings
    from django.core.cache import caches

    for alias, config in settings.CACHES.items():
        if config["BACKEND"] == f"{__name__}.EmptiedEachRequest":
            caches[alias].clear()


request_started.connect(_empty, dispatch_uid="bench-cold-cache")
