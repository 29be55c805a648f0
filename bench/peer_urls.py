"""Print the URLs of the peer site (Wagtail's bakerydemo) as JSON. Runs in the peer's own
virtual environment with its settings, from its checkout (see bench/peer.py)."""

import json

from bench.django_setup import model, setup

setup()


def main() -> None:
    blog_index = model("BlogIndexPage").objects.live().order_by("path").first()
    blog_post = model("BlogPage").objects.live().order_by("pk").first()
    if blog_index is None or blog_post is None:
        raise SystemExit("the peer site has no live blog index or blog post")
    urls = [
        ("blog_index", blog_index.url),
        ("blog_post", blog_post.url),
        ("search", "/search/?q=bread"),
    ]
    print("BENCH-RESULT " + json.dumps(urls))


if __name__ == "__main__":
    main()
