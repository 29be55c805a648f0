"""A fixed-window rate limit in Django's cache (Redis across processes, locmem in tests).

Keys hold only a hash of the address, never the address itself.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from home.clientip import client_ip as _client_ip


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
    """The client's address for counting (see home.clientip: X-Forwarded-For only
    from TRUSTED_PROXIES)."""
    return _client_ip(request) or "unknown"
