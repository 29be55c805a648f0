"""Navigation, breadcrumbs and footer pieces for base.html."""

from django import template
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from home import cache
from home.models import Partner

register = template.Library()


def _site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    root = _site_root(context)
    current = context.get("page")
    if root is None:
        return {"root_url": None, "items": []}

    def entries():
        pages = root.get_children().live().public().in_menu().only("title", "path", "url_path")
        return [
            {"title": page.title, "path": page.path, "url": page.get_url(request)} for page in pages
        ]

    # the same entries for everybody: kept until the next publish
    items = cache.remember("main-menu", (root.pk,), entries, request=request)
    current_path = current.path if current is not None else ""
    return {
        "root_url": root.get_url(request),
        "root_current": current_path == root.path,
        "items": [{**item, "current": _current(item["path"], current_path)} for item in items],
    }


def _current(path, current_path) -> str:
    """aria-current: "page" on the page itself, "true" on the section it belongs to."""
    if path == current_path:
        return "page"
    return "true" if current_path.startswith(path) else ""


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    root = _site_root(context)
    if page is None or root is None or page.depth <= root.depth:
        return {"ancestors": [], "page": page}
    request = context.get("request")
    ancestors = list(
        Page.objects.ancestor_of(page).filter(depth__gte=root.depth).order_by("depth").live()
    )
    items = [
        (_("Start") if position == 0 else ancestor.title, ancestor.get_full_url(request))
        for position, ancestor in enumerate(ancestors)
    ]
    items.append((page.title, page.get_full_url(request)))
    json_ld = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(items, start=1)
        ],
    }
    return {"ancestors": ancestors, "page": page, "request": request, "json_ld": json_ld}


@register.inclusion_tag("components/partner_logos.html")
def partner_logos():
    partners = Partner.objects.select_related("logo").prefetch_related("logo__renditions")
    return {"partners": list(partners)}
