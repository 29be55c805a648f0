"""Queries per request and compressed HTML size of each benchmark URL, in-process."""

import gzip
import json
import sys

from bench.django_setup import setup

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(urls) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for _name, path in urls:
        client.get(path)  # first request may fill caches; measure the second
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        body = b"".join(response) if response.streaming else response.content
        results[path] = {
            "status": response.status_code,
            "queries": len(queries),
            "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
        }
    print(json.dumps(results))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
