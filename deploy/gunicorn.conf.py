"""gunicorn settings for every installation (container, VM, `make cluster`).

Environment: PORT (8000), BIND (overrides PORT and the address, e.g. ``0.0.0.0:8000``
in a container or ``10.0.0.5:8000`` on a private network), WEB_CONCURRENCY (workers;
default 2 × CPU cores + 1, at most 8), GUNICORN_THREADS (1), GUNICORN_TIMEOUT (30 s).

Without BIND the server listens on loopback only: an app server is reached through
the load balancer, never directly from outside (the client address of a direct
request could not be told from the load balancer's, see TRUSTED_PROXIES).
"""

import multiprocessing
import os

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
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
