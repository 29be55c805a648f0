from wagtail import hooks


@hooks.register("home_page_content")
def home_page_news(context):
    """The latest articles on the home page (inside its cached content)."""
    from django.template.loader import render_to_string

    return render_to_string(
        "news/includes/home_news.html", {"request": context.get("request")}, request=None
    )
