"""The one rate limiter: fixed windows counted in the shared cache (Redis across app
servers, local memory in development and tests).

Keys hold only a hash of the address or e-mail address, never the value itself.
When the cache cannot count (Redis down) the caller decides: reading and enrolling
go on (``when_unavailable=True``, fail open: a booking is worth more than a
limit), requesting sign-in links stops (``when_unavailable=False``, fail closed).
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches

from home.clientip import client_ip as _client_ip

logger = logging.getLogger(__name__)

#: a cache alias that raises on errors (the default one ignores them): a limiter
#: must know whether it counted
CACHE_ALIAS = "strict"


def _cache():
    return caches[getattr(settings, "RATELIMIT_CACHE_ALIAS", CACHE_ALIAS)]


def _key(kind: str, value: str, prefix: str = "enrol-rl") -> str:
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    return f"{prefix}:{kind}:{digest}"


def count(key: str, window: int) -> int:
    """Add one to the counter ``key`` of a window of ``window`` seconds; its new value.
    Raises whatever the cache raises."""
    cache = _cache()
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def allow(key: str, limit: int, window: int, *, when_unavailable: bool) -> bool:
    """Count one request under ``key``; False when over ``limit``. When the cache does
    not answer: ``when_unavailable`` (logged)."""
    try:
        return count(key, window) <= limit
    except Exception:
        logger.warning(
            "rate limit %s not counted (cache unavailable): %s",
            key.split(":", 1)[0],
            "allowed" if when_unavailable else "refused",
            exc_info=True,
        )
        return when_unavailable


def _limit(kind: str) -> tuple[int, int] | None:
    """(bookings, seconds) of the limit ``kind`` in ``ENROLMENT_RATE_LIMIT``; a
    signed-in learner's address falls back to the plain address limit, and a kind not
    configured is not limited."""
    limits = settings.ENROLMENT_RATE_LIMIT
    if kind == "ip_learner" and kind not in limits:
        kind = "ip"
    return limits.get(kind)


def hit(kind: str, value: str) -> bool:
    """Count one request under the limit ``kind``; False when it is exceeded.
    Fails open: without the cache nobody is kept from enrolling."""
    if (limit := _limit(kind)) is None:
        return True
    return allow(_key(kind, value), *limit, when_unavailable=True)


def exceeded(kind: str, value: str) -> bool:
    """Whether the limit ``kind`` is used up already (nothing is counted: a booking
    counts only once it is made, see :func:`record`). Fails open."""
    if (limit := _limit(kind)) is None:
        return False
    try:
        return (_cache().get(_key(kind, value)) or 0) >= limit[0]
    except Exception:
        logger.warning("rate limit %s not read (cache unavailable): allowed", kind, exc_info=True)
        return False


def record(kind: str, value: str) -> None:
    """Count one booking made under the limit ``kind``."""
    if (limit := _limit(kind)) is None:
        return
    try:
        count(_key(kind, value), limit[1])
    except Exception:
        logger.warning("rate limit %s not counted (cache unavailable)", kind, exc_info=True)


def minutes_left(kind: str, value: str) -> int:
    """When the limit ``kind`` is free again, in whole minutes (at most its window)."""
    window = (_limit(kind) or (0, 3600))[1]
    seconds = window
    try:
        ttl = getattr(_cache(), "ttl", None)  # django-redis tells; memory caches do not
        if ttl is not None:
            left = ttl(_key(kind, value))
            if left and left > 0:
                seconds = min(left, window)
    except Exception:
        logger.debug("time left of rate limit %s unknown", kind, exc_info=True)
    return max(1, -(-seconds // 60))


def client_ip(request) -> str:
    """The client's address for counting (see home.clientip: X-Forwarded-For only
    from TRUSTED_PROXIES)."""
    return _client_ip(request) or "unknown"
