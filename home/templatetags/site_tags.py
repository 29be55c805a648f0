"""SEO and listing helpers for templates: JSON-LD, sharing tags, highlighting, pagination."""

import json
import re

from django import template
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from home.search import search_terms

register = template.Library()

DEFAULT_DESCRIPTION = _(
    "Kurse zu Digitalisierung, Betriebsnachfolge und Innovation für Handwerksbetriebe "
    "in der Elberegion Meißen – in Riesa, Meißen und online."
)

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data):
    """A <script type="application/ld+json"> with the data, safe inside HTML."""
    if not data:
        return ""
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.filter
def highlight(text, query):
    """The text, HTML-escaped, with the words of the query marked."""
    text = escape(str(text or ""))
    words = sorted({w for w in search_terms(str(query or "")).split() if len(w) > 1}, key=len)
    if not words:
        return mark_safe(text)  # noqa: S308 – escaped above
    pattern = re.compile("|".join(re.escape(escape(w)) for w in reversed(words)), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", text))  # noqa: S308


def absolute_url(url, request=None):
    if not url or url.startswith(("http://", "https://")):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


@register.inclusion_tag("components/calendar_subscribe.html", takes_context=True)
def calendar_subscribe(context, url, label, id="kalender-adresse"):
    """A calendar feed to subscribe to: ``webcal://`` link, address and copy button."""
    address = absolute_url(url, context.get("request"))
    webcal = re.sub(r"^https?://", "webcal://", address)
    return {"url": address, "webcal": webcal, "label": label, "id": id}


@register.inclusion_tag("components/social_meta.html", takes_context=True)
def social_meta(context):
    """OpenGraph and Twitter card tags; the image from ``page.get_social_image()``."""
    request = context.get("request")
    page = context.get("page")
    image = None
    get_image = getattr(page, "get_social_image", None)
    if callable(get_image):
        source = get_image()
        if source is not None:
            rendition = source.get_rendition("fill-1200x630")
            get_alt = getattr(page, "get_social_image_alt", None)
            image = {
                "url": absolute_url(rendition.url, request),
                "width": rendition.width,
                "height": rendition.height,
                "alt": get_alt() if callable(get_alt) else "",
            }
    return {
        "page": page,
        "request": request,
        "image": image,
        "title": context.get("meta_title") or (page and (page.seo_title or page.title)) or "",
        "description": meta_description(context),
        "url": page.get_full_url(request) if page is not None else None,
        "is_article": page is not None and page.specific_class.__name__ == "NewsPage",
    }


@register.simple_tag(takes_context=True)
def meta_description(context):
    page = context.get("page")
    describe = getattr(page, "get_meta_description", None)
    text = describe() if callable(describe) else getattr(page, "search_description", "")
    return str(text or context.get("meta_description_text") or DEFAULT_DESCRIPTION)


@register.inclusion_tag("components/pagination.html", takes_context=True)
def pagination(context, page_obj, label=""):
    page_range = []
    if page_obj is not None and page_obj.paginator.num_pages > 1:
        page_range = list(
            page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
        )
    return {
        "page_obj": page_obj,
        "page_range": page_range,
        "ellipsis": page_obj.paginator.ELLIPSIS if page_obj is not None else "",
        "label": label,
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def sections(context, hook_name):
    """An inclusion point: what apps above the page's own app add to it. Functions
    registered for the Wagtail hook ``hook_name`` get the template context and return
    HTML (e.g. the catalogue's next dates and the latest news on the home page, the
    material outline on a course page), so a lower app never loads a higher app's
    template tags."""
    from django.utils.safestring import mark_safe
    from wagtail import hooks

    parts = [render(context) for render in hooks.get_hooks(hook_name)]
    return mark_safe("".join(str(part) for part in parts if part))  # noqa: S308 - rendered templates
