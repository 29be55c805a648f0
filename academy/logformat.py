"""One JSON object per log line on stdout, for the log collector of the platform."""

import json
import logging
import threading
import time
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class OncePerInterval(logging.Filter):
    """Lets the same message (logger and format string) through once per ``seconds``;
    the next one that passes says how many were left out meanwhile. For failures that
    repeat on every call while they last, such as a Redis outage."""

    def __init__(self, seconds: float = 60, name: str = ""):
        super().__init__(name)
        self.seconds = float(seconds)
        self._seen: dict[tuple, list] = {}  # (logger, msg) -> [last passed, left out]
        self._lock = threading.Lock()

    def filter(self, record):
        key = (record.name, str(record.msg))
        now = time.monotonic()
        with self._lock:
            entry = self._seen.get(key)
            if entry is not None and now - entry[0] < self.seconds:
                entry[1] += 1
                return False
            left_out = entry[1] if entry is not None else 0
            self._seen[key] = [now, 0]
            if len(self._seen) > 1000:  # bounded: forget the oldest
                oldest = min(self._seen, key=lambda k: self._seen[k][0])
                self._seen.pop(oldest, None)
        if left_out:
            record.msg = f"{record.msg} ({left_out} more like this left out)"
        return True
