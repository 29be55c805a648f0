"""Print the benchmark's URL list as JSON, with concrete pages taken from the seeded database."""

import json
from urllib.parse import urlencode

from bench.django_setup import model, setup

setup()

from django.contrib.staticfiles.storage import staticfiles_storage  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    course_page, course_date = model("CoursePage"), model("CourseDate")
    news_page, topic = model("NewsPage"), model("Topic")
    course = course_page.objects.live().filter(dates__isnull=False).order_by("pk").distinct()[7]
    date = course_date.objects.open_for_enrolment().order_by("pk").first()
    article = news_page.objects.live().order_by("-pk")[3]
    first_topic = topic.objects.order_by("pk").first()
    # three date filters that one date must meet together
    busy = (
        course_date.objects.open_for_enrolment()
        .filter(is_online=False)
        .exclude(city="")
        .order_by("start", "pk")
        .first()
    )
    month = timezone.localtime(busy.start).strftime("%Y-%m")
    dated = urlencode({"ort": busy.city, "monat": month, "freie_plaetze": "on"})
    urls = [
        ("home", "/"),
        ("catalogue", "/kurse/"),
        ("catalogue_filtered", f"/kurse/?thema={first_topic.slug}&format=online"),
        ("catalogue_page_5", "/kurse/?page=5"),
        ("catalogue_dates", f"/kurse/?{dated}"),
        ("course_page", course.url),
        ("news_index", "/aktuelles/"),
        ("news_article", article.url),
        ("search", "/suche/?q=Handwerk"),
        ("search_typo", "/suche/?q=Digitalisirung+Betriebsnachfolgen"),
        ("enrolment_form", f"/anmeldung/termin/{date.pk}/"),
        ("baseline_static", staticfiles_storage.url("build/site.css")),
        ("baseline_django", "/ping/"),
    ]
    print("BENCH-RESULT " + json.dumps(urls))


if __name__ == "__main__":
    main()
