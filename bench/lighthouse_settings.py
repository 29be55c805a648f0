"""Settings of the Lighthouse audit's server: production as it is, plus the compression
the load balancer in front of the app servers adds in production (deploy/nginx.conf:
``gzip on``), outermost as nginx is, so a phone gets the page as many bytes as it would."""

from academy.settings.production import *  # noqa: F403
from academy.settings.production import MIDDLEWARE

MIDDLEWARE = ["bench.loadbalancer.Compression", *MIDDLEWARE]
