from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page, Site

from .search import clean_query, find_pages, searchable_pages

SEARCH_RESULTS_PER_PAGE = 10


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /documents/",
        "",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def _type_label(content_type_id):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return model._meta.verbose_name if model else ""


def _teaser(page):
    describe = getattr(page, "get_meta_description", None)
    text = describe() if describe else page.search_description
    return str(text or "")


def _promotions(query, site):
    """Results the editors pinned to this query (Wagtail search promotions)."""
    picks = list(query.editors_picks.select_related("page"))
    page_ids = [pick.page_id for pick in picks if pick.page_id]
    visible = set()
    if page_ids:
        visible = set(searchable_pages(site).filter(pk__in=page_ids).values_list("pk", flat=True))
    return [pick for pick in picks if pick.page_id in visible or not pick.page_id]


def _hits(pages, request):
    """Title, address, type and teaser of each page shown: one query per page type."""
    ids_by_type = {}
    for page in pages:
        ids_by_type.setdefault(page.content_type_id, []).append(page.pk)
    specific = {}
    for content_type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
        found = model._default_manager.filter(pk__in=ids)
        if hasattr(found, "defer_streamfields"):
            found = found.defer_streamfields()
        specific.update((page.pk, page) for page in found)
    return [
        {
            "title": page.title,
            "url": page.get_url(request),
            "type": str(_type_label(page.content_type_id)),
            "teaser": _teaser(page),
        }
        for page in (specific.get(page.pk) for page in pages)
        if page is not None
    ]


@require_GET
def search(request):
    """One search box over courses, news and pages; queries are counted for the editors."""
    query = clean_query(request.GET.get("q", ""))
    site = Site.find_for_request(request)
    results = []
    promotions = []
    suggestion = ""
    if query:
        results, suggestion = find_pages(query, site)
        query_record = Query.get(query)
        query_record.add_hit()
        promotions = _promotions(query_record, site)
        promoted_ids = {pick.page_id for pick in promotions}
        results = [page for page in results if page.pk not in promoted_ids]

    paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    hits = _hits(page_obj.object_list, request)
    type_counts = Counter(_type_label(page.content_type_id) for page in results)
    return render(
        request,
        "home/search.html",
        {
            "search_query": query,
            "hits": hits,
            "page_obj": page_obj,
            "paginator": paginator,
            "promotions": promotions,
            "type_counts": sorted(type_counts.items(), key=lambda item: -item[1]),
            "suggestions": SimpleLazyObject(lambda: _suggestion_pages(site, request)),
            "did_you_mean": suggestion,
            "fallback": SimpleLazyObject(lambda: _fallback(query, site, request)),
        },
    )


def _fallback(query, site, request):
    """What to show instead of an empty page: the first answer of the apps above
    (the catalogue offers the courses of the topic nearest to the query)."""
    for hook in hooks.get_hooks("site_search_fallback"):
        answer = hook(query, searchable_pages(site), request)
        if answer:
            return answer
    return None


def _suggestion_pages(site, request):
    """Course catalogue and news section, for the empty state (found by type, not import)."""
    pages = searchable_pages(site).filter(
        content_type__app_label__in=["courses", "news"],
        content_type__model__in=["courseindexpage", "newsindexpage"],
    )
    return [{"title": page.title, "url": page.get_url(request)} for page in pages.order_by("path")]
