"""What the load balancer in front of production does to responses, for servers that run
without one (the Lighthouse audit): compress the types deploy/nginx.conf compresses."""

from django.middleware.gzip import GZipMiddleware

#: ``gzip_types`` of deploy/nginx.conf (WhiteNoise's static files come compressed already)
GZIP_TYPES = {
    "text/html",
    "text/plain",
    "text/calendar",
    "application/json",
    "application/ld+json",
    "application/rss+xml",
    "application/atom+xml",
    "image/svg+xml",
}
#: ``gzip_min_length``
GZIP_MIN_LENGTH = 1024


class Compression(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in GZIP_TYPES:
            return response
        if not response.streaming and len(response.content) < GZIP_MIN_LENGTH:
            return response
        return super().process_response(request, response)
