"""Public content for the query-count tests: a site whose pages show ``count`` items
of everything (courses, dates, trainers, articles, tags, partners, the courses an
article names), grown in place."""

import datetime

from django.utils import timezone

from home.images import get_or_create_image
from news.models import NewsRelatedCourse
from tests.factories import (
    CourseDateFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    PartnerFactory,
    StandardPageFactory,
    TopicFactory,
    TrainerFactory,
    build_site_settings,
)


class Content:
    def __init__(self, home_page, site):
        self.home = home_page
        self.image = get_or_create_image("Werkstatt")
        self.imprint = StandardPageFactory(parent=home_page, title="Impressum", slug="impressum")
        self.about = StandardPageFactory(
            parent=home_page, title="Über uns", slug="ueber-uns", show_in_menus=True
        )
        build_site_settings(site, imprint=self.imprint)
        self.catalogue = CourseIndexPageFactory(parent=home_page, show_in_menus=True)
        self.news_index = NewsIndexPageFactory(parent=home_page, show_in_menus=True)
        self.topic = TopicFactory(name="Digitalisierung", slug="digitalisierung")
        self.courses, self.articles, self.trainers = [], [], []
        self.partners = 0

    def grow(self, count):
        """Up to ``count`` courses, articles and partners; the first course gets
        ``count`` dates and trainers, the first article ``count`` tags."""
        while self.partners < count:
            PartnerFactory(logo=self.image)
            self.partners += 1
        while len(self.trainers) < count:
            self.trainers.append(TrainerFactory(photo=self.image))
        while len(self.courses) < count:
            number = len(self.courses)
            course = CoursePageFactory(
                parent=self.catalogue,
                title=f"Werkstattkurs {number:03d}",
                format="online" if number % 2 else "presence",
                topics=[self.topic],
                image=self.image,
                image_alt="Werkstatt",
            )
            CourseDateFactory(
                course=course, start=_in_days(10 + number), is_online=bool(number % 2)
            )
            self.courses.append(course)
        course = self.courses[0]
        course.trainers.set(self.trainers)
        while course.dates.count() < count:
            CourseDateFactory(course=course, start=_in_days(40 + course.dates.count()))
        course.save_revision().publish()
        now = timezone.now()
        while len(self.articles) < count:
            number = len(self.articles)
            self.articles.append(
                NewsPageFactory(
                    parent=self.news_index,
                    title=f"Werkstattmeldung {number:03d}",
                    date=now - datetime.timedelta(days=number + 1),
                    lead_image=self.image,
                    lead_image_alt="Werkstatt",
                    featured=number == 0,
                )
            )
        # every article names the first course (its page lists the newest of them), the
        # first article every course (it shows them with their next dates)
        article = self.articles[0]
        for other in self.articles:
            NewsRelatedCourse.objects.get_or_create(page=other, course=self.courses[0])
        for other in self.courses[1:]:
            NewsRelatedCourse.objects.get_or_create(page=article, course=other)
        article.tags.add(*[f"Schlagwort {n}" for n in range(count)])
        article.save_revision().publish()

    def urls(self):
        return {
            "home": "/",
            "catalogue": "/kurse/",
            "catalogue_filtered": "/kurse/?thema=digitalisierung&format=online",
            "catalogue_page_2": "/kurse/?page=2",
            "course_page": self.courses[0].url,
            "news_index": "/aktuelles/",
            "news_article": self.articles[0].url,
            "standard_page": self.about.url,
            "search": "/suche/?q=Werkstatt",
        }


def _in_days(days):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
