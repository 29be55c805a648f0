"""What every template needs to key its cached fragments (see home/cache.py)."""

from django.utils.functional import SimpleLazyObject

from . import cache


def fragments(request):
    """``content_version`` for fragments that show snippets, settings, images or
    documents, ``site_id`` for those that differ per site, and ``fragment_seconds``,
    their lifetime (0 when switched off). Read only when a template uses them."""
    from wagtail.models import Site

    def site_id():
        site = Site.find_for_request(request)
        return site.pk if site is not None else None

    return {
        "content_version": SimpleLazyObject(cache.content_version),
        "site_id": SimpleLazyObject(site_id),
        "fragment_seconds": cache.fragment_seconds(),
    }
