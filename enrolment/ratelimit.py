"""A fixed-window rate limit in Django's cache (Redis across processes, locmem in tests).

Keys hold only a hash of the address, never the address itself.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    return f"enrol-rl:{kind}:{digest}"


def hit(kind: str, value: str) -> bool:
    """Count one request; False when the limit of ``kind`` is exceeded."""
    limit, window = settings.ENROLMENT_RATE_LIMIT[kind]
    key = _key(kind, value)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    """The client's address. Behind a trusted reverse proxy set
    ENROLMENT_CLIENT_IP_HEADER (e.g. "HTTP_X_FORWARDED_FOR"): its last entry,
    the one the proxy added, is used; otherwise REMOTE_ADDR."""
    header = getattr(settings, "ENROLMENT_CLIENT_IP_HEADER", "")
    if header:
        forwarded = [part.strip() for part in request.META.get(header, "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-1][:64]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
