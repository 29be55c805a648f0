"""``{% publiccache %}``: template fragments shared by every visitor (see home.cache)."""

from django import template
from django.template.base import Node

from home import cache

register = template.Library()


class PublicCacheNode(Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        request = context.get("request")
        vary = [var.resolve(context) for var in self.vary_on]
        if request is None or not cache.enabled(request) or any(v is None for v in vary):
            return self.nodelist.render(context)
        return cache.remember(
            self.name.resolve(context),
            tuple(vary),
            lambda: self.nodelist.render(context),
            request=request,
        )


@register.tag("publiccache")
def do_publiccache(parser, token):
    """``{% publiccache "name" [vary …] %}…{% endpubliccache %}``"""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name.")
    nodelist = parser.parse(("endpubliccache",))
    parser.delete_first_token()
    return PublicCacheNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
