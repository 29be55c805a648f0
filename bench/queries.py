"""Status, queries per request and compressed HTML size of each benchmark URL, in-process.

For every URL: one request with every cache empty first (imports, renditions, content
types: what a server that has run for a while keeps in its process), then every cache
alias emptied again, then the *first* request counted, then a second one (*warm*: what the visitors after the first get).
Each request comes from a new visitor without cookies. Used for this project (settings
of one benchmark mode) and for the peer site of ``--peer`` (its own settings).
"""

import gzip
import json
import sys

from bench.django_setup import setup

setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def empty_caches() -> None:
    for alias, config in settings.CACHES.items():
        if "django_redis" in config["BACKEND"]:
            # Redis is shared: only this benchmark's keys (KEY_PREFIX), of every version
            from django_redis import get_redis_connection

            redis = get_redis_connection(alias)
            keys = list(redis.scan_iter(match=f"{config['KEY_PREFIX']}:*", count=1000))
            if keys:
                redis.delete(*keys)
        else:
            caches[alias].clear()


def visit(path):
    # as from the TLS-terminating load balancer (see FORWARDED_PROTO in bench/run.py)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        body = b"".join(response) if response.streaming else response.content
    return response.status_code, len(queries), body


def main(urls) -> None:
    results = {}
    for _name, path in urls:
        empty_caches()
        visit(path)
        empty_caches()
        status_first, first, body = visit(path)
        status_warm, warm, _body = visit(path)
        results[path] = {
            "status": status_first if status_first != 200 else status_warm,
            "queries_first": first,
            "queries_warm": warm,
            "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
        }
    print("BENCH-RESULT " + json.dumps(results))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
