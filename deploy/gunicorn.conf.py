"""gunicorn settings for every installation (container, VM, `make cluster`).

Environment: PORT (8000), BIND (overrides PORT), WEB_CONCURRENCY (workers; default
2 × CPU cores + 1, at most 8), GUNICORN_THREADS (1), GUNICORN_TIMEOUT (30 s).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '{"time":"%(t)s","request_id":"%({x-request-id}o)s","method":"%(m)s",'
    '"path":"%(U)s","status":%(s)s,"bytes":"%(B)s","ms":%(M)s}'
)
