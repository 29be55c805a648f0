"""News on other pages (the home page's latest articles)."""

from django import template
from django.utils.functional import SimpleLazyObject

from home.renditions import prefetch_renditions
from home.visibility import public_pages
from news.models import NewsPage

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_news(context, count=3):
    """The newest live, public articles of the request's site, read in one query with
    what their cards show: ``key`` (their ids and publish times) names the cached list;
    the sizes of their images (``articles``) and ``index`` are read only when it is
    missing. On the home page, the news section is one of the pages it has read."""
    from wagtail.models import Site

    request = context.get("request")
    articles = public_pages(NewsPage.objects.live())
    site = Site.find_for_request(request) if request else None
    if site is not None:
        articles = articles.descendant_of(site.root_page)
    articles = list(articles.newest_first().for_listing(renditions=False)[:count])
    if not articles:
        return None
    sections = context.get("child_pages")

    def cards():
        prefetch_renditions([article.lead_image for article in articles])
        return articles

    def index():
        parent_path = articles[0].path[: -NewsPage.steplen]
        found = (page for page in sections or () if page.path == parent_path)
        return next(found, None) or articles[0].get_parent()

    return {
        "key": [(article.pk, str(article.last_published_at)) for article in articles],
        "articles": SimpleLazyObject(cards),
        "index": SimpleLazyObject(index),
    }
