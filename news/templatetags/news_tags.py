"""News on other pages (the home page's latest articles)."""

from django import template

from news.models import NewsPage

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_news(context, count=3):
    """The newest live, public articles of the request's site, ready for cards."""
    from wagtail.models import Site

    request = context.get("request")
    articles = NewsPage.objects.live().public()
    site = Site.find_for_request(request) if request else None
    if site is not None:
        articles = articles.descendant_of(site.root_page)
    return list(articles.newest_first().for_listing()[:count])
