from wagtail import hooks

#: how many articles a course page lists
COURSE_PAGE_NEWS = 3


@hooks.register("home_page_content")
def home_page_news(context):
    """The latest articles on the home page (a fragment keyed by the articles shown)."""
    from django.template.loader import render_to_string

    return render_to_string(
        "news/includes/home_news.html", context.flatten(), request=context.get("request")
    )


@hooks.register("course_page_aside")
def course_page_news(context):
    """The latest live, public articles naming the course, newest first (one query on
    every request: a publish or unpublish of an article shows at once)."""
    from django.template.loader import render_to_string

    from .models import articles_naming

    page = context.get("page")
    if page is None or not page.pk:
        return ""
    articles = articles_naming(page, COURSE_PAGE_NEWS)
    if not articles:
        return ""
    return render_to_string(
        "news/includes/course_news.html",
        {"articles": articles},
        request=context.get("request"),
    )
