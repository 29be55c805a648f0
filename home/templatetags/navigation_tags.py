"""Navigation, breadcrumbs and footer pieces for base.html.

Menu and breadcrumbs show other pages' titles and are rendered on every request
(one query for the menu, none for the breadcrumbs of a routed page); the footer is
a fragment under the content version (components/footer.html).
"""

from django import template
from django.utils.translation import gettext as _
from wagtail.models import Site

from home.models import HomePage, Partner
from home.visibility import public_pages

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
    current_path = getattr(current, "path", "")
    if isinstance(current, HomePage) and current.pk == root.pk:
        # the home page has read the pages below it for its sections
        pages = [page for page in current.child_pages if page.show_in_menus]
    else:
        pages = public_pages(root.get_children().live().in_menu()).only("title", "path", "url_path")
    return {
        "root_url": root.get_url(request),
        "root_current": current_path == root.path,
        "items": [
            {
                "title": page.title,
                "url": page.get_url(request),
                "current": _current(page.path, current_path),
            }
            for page in pages
        ],
    }


def _current(path, current_path) -> str:
    """aria-current: "page" on the page itself, "true" on the section it belongs to."""
    if path == current_path:
        return "page"
    return "true" if current_path.startswith(path) else ""


def _ancestors(page, root) -> list:
    """The live pages from the site root down to the page's parent. Routing has handed
    each page its parent (``get_parent`` keeps it), so a routed page asks the database
    nothing; any other page asks once."""
    chain = []
    parent = page
    while parent.depth > root.depth:
        parent = parent.get_parent()
        if parent is None:
            break
        chain.append(parent)
    if chain and chain[-1].path != root.path:  # not below this site's root
        return []
    return [ancestor for ancestor in reversed(chain) if ancestor.live]


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    root = _site_root(context)
    if page is None or root is None or not hasattr(page, "depth") or page.depth <= root.depth:
        return {"ancestors": [], "page": page}
    request = context.get("request")
    ancestors = _ancestors(page, root)
    items = [
        (_("Startseite") if position == 0 else ancestor.title, ancestor.get_full_url(request))
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
