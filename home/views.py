from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page, Site

from .search import clean_query, search_pages, searchable_pages

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


def _promotions(query_string, site):
    """Results the editors pinned to this query (Wagtail search promotions)."""
    picks = list(Query.get(query_string).editors_picks.select_related("page"))
    visible = set(
        searchable_pages(site)
        .filter(pk__in=[pick.page_id for pick in picks if pick.page_id])
        .values_list("pk", flat=True)
    )
    return [pick for pick in picks if pick.page_id in visible or not pick.page_id]


@require_GET
def search(request):
    """One search box over courses, news and pages; queries are counted for the editors."""
    query = clean_query(request.GET.get("q", ""))
    site = Site.find_for_request(request)
    results = []
    promotions = []
    if query:
        results = search_pages(query, site)
        Query.get(query).add_hit()
        promotions = _promotions(query, site)
        promoted_ids = {pick.page_id for pick in promotions}
        results = [page for page in results if page.pk not in promoted_ids]

    paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    shown = list(page_obj.object_list)
    specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in shown]).specific()}
    hits = []
    for page in shown:
        page = specific.get(page.pk, page)
        hits.append(
            {"page": page, "type": _type_label(page.content_type_id), "teaser": _teaser(page)}
        )
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
            "suggestions": _suggestion_pages(site),
        },
    )


def _suggestion_pages(site):
    """Course catalogue and news section, for the empty state (found by type, not import)."""
    pages = searchable_pages(site).filter(
        content_type__app_label__in=["courses", "home"],
        content_type__model__in=["courseindexpage", "newsindexpage"],
    )
    return list(pages.order_by("path"))
