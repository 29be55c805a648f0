"""Builders for tests (and the same shapes the demo content uses)."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from home.models import HomePage, Partner, SiteSettings, StandardPage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}@example.org")
    email = factory.LazyAttribute(
        lambda o: o.username if "@" in o.username else f"{o.username}@example.org"
    )
    first_name = "Erika"
    last_name = "Mustermann"


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Startseite"
    slug = "start"
    hero_title = "Weiterbildung für das Handwerk"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Seite {n}")
    teaser = "Ein kurzer Anreißer."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    website = "https://example.org/"


def build_site() -> HomePage:
    """A default site whose root is a fresh HomePage (the Wagtail welcome page removed)."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePageFactory.build()
        root.add_child(instance=home)
        home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    return home


def build_site_settings(site, **pages) -> SiteSettings:
    settings = SiteSettings.for_site(site)
    settings.organisation = "Kreishandwerkerschaft Region Meißen"
    settings.street = "Dresdner Straße 77"
    settings.postcode_city = "01662 Meißen"
    settings.phone = "03521 4768-0"
    settings.email = "akademie@example.org"
    settings.opening_hours = "Mo–Do 8–16 Uhr"
    for name, page in pages.items():
        setattr(settings, f"{name}_page", page)
    settings.save()
    return settings


def ensure_wagtail_roots() -> None:
    """Recreate what Wagtail's migrations insert, for transactional tests that
    start from a flushed database (the browser tests)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale

    if not Page.objects.filter(depth=1).exists():
        # after a flush the content types were created anew: forget cached ids
        ContentType.objects.clear_cache()
    Locale.objects.get_or_create(language_code="de")
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", live=True))


# --- Course catalogue --------------------------------------------------------


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Topic"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    description = "Worum es in diesem Thema geht."


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.TargetGroup"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Zielgruppe {n}")
    slug = factory.Sequence(lambda n: f"zielgruppe-{n}")


class TradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Trade"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Gewerk {n}")
    slug = factory.Sequence(lambda n: f"gewerk-{n}")


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Trainer"

    name = factory.Sequence(lambda n: f"Trainerin {n}")
    bio = "Erfahren in Handwerk und Weiterbildung."
    external_organisation = "Beratung Elbland"


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "courses.CourseIndexPage"

    title = "Kurse"
    slug = "kurse"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "courses.CoursePage"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Kurs {n}")
    teaser = "Ein praxisnaher Kurs für Handwerksbetriebe."
    price = 0

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if extracted:
            self.topics.set(extracted)
            if create:
                self.save()


def _in_days(days: int, hour: int = 9):
    import datetime

    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class CourseDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.CourseDate"

    course = factory.SubFactory(CoursePageFactory)
    start = factory.LazyFunction(lambda: _in_days(30, 9))
    end = factory.LazyAttribute(lambda o: o.start.replace(hour=16))
    venue_name = "Qualifizierungszentrum Riesa"
    venue_address = "Am Gymnasium 1, 01587 Riesa"
    city = "Riesa"
    capacity = 12


# --- News (home) ---


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "news.NewsIndexPage"

    title = "Aktuelles"
    slug = "aktuelles"


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "news.NewsPage"

    title = factory.Sequence(lambda n: f"Meldung {n}")
    teaser = "Kurz gesagt: eine Neuigkeit aus dem Bündnis."
    category = "projekt"


def build_news(index, count, **fields):
    """``count`` published articles below ``index``, a day apart (newest last)."""
    import datetime

    from django.utils import timezone

    start = fields.pop("start", timezone.now() - datetime.timedelta(days=count))
    return [
        NewsPageFactory(parent=index, date=start + datetime.timedelta(days=i), **fields)
        for i in range(count)
    ]


# --- Course material (lessons) ---


def build_material(course, lessons=("Lektion 1", "Lektion 2"), **fields):
    """A published "Kursmaterial" page below ``course`` with published lessons."""
    from learning.lessons import LessonPage, MaterialPage

    material = MaterialPage(title="Kursmaterial", slug="material", **fields)
    course.add_child(instance=material)
    material.save_revision().publish()
    pages = []
    for n, title in enumerate(lessons, start=1):
        lesson = LessonPage(
            title=title,
            slug=f"lektion-{n}",
            intro="Worum es in dieser Lektion geht.",
            body=[("paragraph", f"<p>Geheimer Inhalt {title}</p>")],
        )
        material.add_child(instance=lesson)
        lesson.save_revision().publish()
        pages.append(lesson)
    return material, pages


def build_private_document(course, title="Arbeitsblatt"):
    """A document in the course's private material collection."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from learning.lessons import course_access

    return Document.objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.4 geheim", name="arbeitsblatt.pdf"),
        collection=course_access(course).collection,
    )
