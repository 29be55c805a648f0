"""Print the benchmark's URL list as JSON, with concrete pages taken from the seeded database."""

import json

from bench.django_setup import setup

setup()

from django.contrib.staticfiles.storage import staticfiles_storage  # noqa: E402

from courses.models import CourseDate, CoursePage, Topic  # noqa: E402
from news.models import NewsPage  # noqa: E402


def main() -> None:
    course = CoursePage.objects.live().filter(dates__isnull=False).order_by("pk").distinct()[7]
    date = CourseDate.objects.open_for_enrolment().order_by("pk").first()
    article = NewsPage.objects.live().order_by("-pk")[3]
    topic = Topic.objects.order_by("pk").first()
    urls = [
        ("home", "/"),
        ("catalogue", "/kurse/"),
        ("catalogue_filtered", f"/kurse/?thema={topic.slug}&format=online"),
        ("catalogue_page_5", "/kurse/?page=5"),
        ("course_page", course.url),
        ("news_index", "/aktuelles/"),
        ("news_article", article.url),
        ("search", "/suche/?q=Handwerk"),
        ("enrolment_form", f"/anmeldung/termin/{date.pk}/"),
        ("baseline_static", staticfiles_storage.url("build/site.css")),
        ("baseline_django", "/ping/"),
    ]
    print(json.dumps(urls))


if __name__ == "__main__":
    main()
