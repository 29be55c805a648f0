"""News on other pages (the home page's latest articles)."""

from django import template
from django.utils.functional import SimpleLazyObject

from home.visibility import public_pages
from news.models import NewsPage, news_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_news(context, count=3):
    """The newest live, public articles of the request's site: ``key`` (their ids and
    publish times) names the cached list; ``articles``, ready for cards, and ``index``
    are read only when it is missing."""
    from wagtail.models import Site

    request = context.get("request")
    articles = public_pages(NewsPage.objects.live())
    site = Site.find_for_request(request) if request else None
    if site is not None:
        articles = articles.descendant_of(site.root_page)
    rows = list(articles.newest_first().values_list("pk", "last_published_at")[:count])
    if not rows:
        return None
    cards = news_cards([pk for pk, _published in rows])
    return {
        "key": [(pk, str(published)) for pk, published in rows],
        "articles": cards,
        "index": SimpleLazyObject(lambda: cards[0].get_parent() if cards else None),
    }
