import json
import logging

import pytest

from academy.logformat import JsonFormatter
from academy.requestid import RequestIdFilter

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    response = client.get("/ping/")
    assert len(response["X-Request-ID"]) == 32


def test_the_proxy_request_id_is_kept(client):
    response = client.get("/ping/", HTTP_X_REQUEST_ID="a1b2c3d4e5f60718")
    assert response["X-Request-ID"] == "a1b2c3d4e5f60718"


def test_a_malformed_request_id_is_replaced(client):
    response = client.get("/ping/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def test_log_lines_written_during_a_request_carry_its_id(client, monkeypatch):
    records = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Capture()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("academy.views")
    logger.addHandler(handler)
    monkeypatch.setattr("academy.views._check_cache", _raise)
    try:
        response = client.get("/readyz/", HTTP_X_REQUEST_ID="req-0123456789")
    finally:
        logger.removeHandler(handler)
    assert response.json()["cache"] == "unavailable"
    assert records
    assert all(record.request_id == "req-0123456789" for record in records)


def _raise():
    raise RuntimeError("cache down")


def test_json_log_line():
    record = logging.LogRecord("academy", logging.INFO, __file__, 1, "Hallo %s", ("Welt",), None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Hallo Welt"
    assert line["level"] == "INFO"
    assert line["request_id"] == "-"
