from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def ping(request):
    """The smallest Django view: no database, no template (load balancer probe, benchmark)."""
    return HttpResponse("ok", content_type="text/plain")
