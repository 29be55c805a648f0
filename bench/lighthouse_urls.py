"""Print the Lighthouse audit's pages as JSON, taken from the demo database."""

import json

from bench.django_setup import model, setup

setup()


def main() -> None:
    course_page, course_date = model("CoursePage"), model("CourseDate")
    news_page = model("NewsPage")
    date = course_date.objects.open_for_enrolment().order_by("start", "pk").first()
    if date is None:
        raise SystemExit("The demo database has no date open for enrolment.")
    # the course of that date: a course page with a bookable date, as most visitors see one
    course = course_page.objects.live().get(pk=date.course_id)
    article = news_page.objects.live().order_by("-date", "-pk").first()
    if article is None:
        raise SystemExit("The demo database has no published news article.")
    urls = [
        ("home", "/"),
        ("catalogue", "/kurse/"),
        ("course_page", course.url),
        ("news_article", article.url),
        ("enrolment_form", f"/anmeldung/termin/{date.pk}/"),
    ]
    print("BENCH-RESULT " + json.dumps(urls))


if __name__ == "__main__":
    main()
