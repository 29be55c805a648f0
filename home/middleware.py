"""Middleware of the site's ground floor."""

from wagtail.models import Site

from . import cache


def _site_with_specific_root(request):
    site = Site._find_for_request(request)
    if site is not None:
        # routing starts at the specific root page: keep it with the site
        site.root_page = site.root_page.specific
    return site


class CachedSiteMiddleware:
    """Wagtail finds the site of every request with a query that costs more than
    rendering a cached page, then asks for the root page twice. This finds both in
    the cache of public content (a saved site or a publish ends it), for Wagtail's
    own ``Site.find_for_request`` and routing to use. It also makes the request
    known to ``home.cache``, which reads each cached value once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    #: answered without a site (probes, files): no cache, no database
    skip = ("/ping/", "/healthz/", "/readyz/", "/static/", "/robots.txt")

    def __call__(self, request):
        if request.path.startswith(self.skip):
            return self.get_response(request)
        token = cache.current_request.set(request)
        try:
            if not hasattr(request, "_wagtail_site") and cache.enabled(request):
                request._wagtail_site = cache.remember(
                    "site",
                    (request.get_port(),),
                    lambda: _site_with_specific_root(request),
                    request,
                )
            return self.get_response(request)
        finally:
            cache.current_request.reset(token)
