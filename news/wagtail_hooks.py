from wagtail import hooks


@hooks.register("home_page_content")
def home_page_news(context):
    """The latest articles on the home page (a fragment keyed by the articles shown)."""
    from django.template.loader import render_to_string

    return render_to_string(
        "news/includes/home_news.html", context.flatten(), request=context.get("request")
    )
