from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from staffauth import policy

from . import admin_views, search_terms, trainer_admin
from .viewsets import CatalogueViewSetGroup, trainer_account_chooser

register_snippet(CatalogueViewSetGroup)


@hooks.register("register_admin_urls")
def register_catalogue_admin_urls():
    return [
        path(
            "kurse/termine-importieren/",
            admin_views.ImportDatesView.as_view(),
            name="courses_import_dates",
        ),
        path(
            "trainerkonten/",
            trainer_admin.TrainerAccountsView.as_view(),
            name="courses_trainer_accounts",
        ),
        path(
            "trainerkonten/einladen/",
            trainer_admin.InviteTrainerView.as_view(),
            name="courses_trainer_invite",
        ),
        path(
            "trainerkonten/<int:user_id>/deaktivieren/",
            trainer_admin.DeactivateTrainerView.as_view(),
            name="courses_trainer_deactivate",
        ),
        path(
            "berichte/suchbegriffe/",
            search_terms.SearchTermsView.as_view(),
            name="courses_search_terms",
        ),
        path(
            "berichte/suchbegriffe/ergebnisse/",
            search_terms.SearchTermsView.as_view(results_only=True),
            name="courses_search_terms_results",
        ),
        path("berichte/kursnet/", admin_views.KursnetExportView.as_view(), name="courses_kursnet"),
        path(
            "kurse/termine-importieren/beispiel.<str:fmt>",
            admin_views.ImportSampleView.as_view(),
            name="courses_import_sample",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_trainer_account_chooser():
    return trainer_account_chooser


class TrainerAccountsMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may_manage_trainer_accounts(request.user)


@hooks.register("register_admin_menu_item")
def register_trainer_accounts_menu_item():
    return TrainerAccountsMenuItem(
        _("Trainerkonten"),
        reverse("courses_trainer_accounts"),
        name="trainer-accounts",
        icon_name="user",
        order=265,
    )


class SearchTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may_see_search_terms(request.user)


@hooks.register("register_reports_menu_item")
def register_search_terms_menu_item():
    return SearchTermsMenuItem(
        _("Suchbegriffe"),
        reverse("courses_search_terms"),
        name="academy-search-terms",
        icon_name="search",
        order=1300,
    )


class KursnetMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may_export_kursnet(request.user)


@hooks.register("register_reports_menu_item")
def register_kursnet_menu_item():
    return KursnetMenuItem(
        _("KURSNET-Export"),
        reverse("courses_kursnet"),
        name="academy-kursnet",
        icon_name="download",
        order=1310,
    )


@hooks.register("construct_reports_menu")
def hide_superuser_only_search_terms(request, menu_items):
    """Wagtail's own report opens for superusers only; ours (same report) for
    everyone who may promote results, superusers included."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.IMPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Termine importieren"),
        reverse("courses_import_dates"),
        icon_name="date",
        order=260,
    )


@hooks.register("home_page_live")
def home_page_courses(context):
    """The next dates and the topics on the home page (free seats: never cached)."""
    from django.template.loader import render_to_string

    from .templatetags.course_tags import home_courses

    return render_to_string(
        "courses/includes/home_courses.html", home_courses(context), request=context.get("request")
    )


@hooks.register("site_search_fallback")
def nearest_topic_courses(query, pages, request):
    """When the site search finds nothing: the courses of the topic nearest to the query."""
    from django.utils.http import urlencode

    from home.search import closeness

    from .models import CourseIndexPage, CoursePage, Topic

    topics = list(Topic.objects.order_by("sort_order", "name"))
    if not topics:
        return None
    topic = max(topics, key=lambda t: closeness(query, t.name))  # ties: the first
    courses = CoursePage.objects.live().filter(pk__in=pages.values("pk"), topics=topic)
    courses = list(courses.order_by("title").only("id", "title", "url_path")[:6])
    if not courses:
        return None
    catalogue = CourseIndexPage.objects.live().filter(pk__in=pages.values("pk")).first()
    return {
        "heading": _("Kurse zum Thema „%(topic)s“") % {"topic": topic.name},
        "pages": [{"title": course.title, "url": course.get_url(request)} for course in courses],
        "url": (
            f"{catalogue.get_url(request)}?{urlencode({'thema': topic.slug})}" if catalogue else ""
        ),
        "link_text": _("Alle Kurse zum Thema „%(topic)s“") % {"topic": topic.name},
    }


@hooks.register("after_copy_page")
def copy_course_dates(request, page, new_page):
    """A copied course: its dates come along only when the copy form asked for them
    (and never their bookings); otherwise the editor is told that the copy has none."""
    from .models import CourseDate, CoursePage
    from .panels import date_url

    if not issubclass(page.specific_class, CoursePage) or new_page.alias_of_id:
        return None
    dates = list(CourseDate.objects.filter(course_id=page.pk).order_by("start", "pk"))
    if not dates:
        return None
    if request.POST.get("copy_dates"):
        # one by one: saving a date is what tells the caches
        copies = [
            CourseDate.objects.create(**{**content_of(date), "course_id": new_page.pk})
            for date in dates
        ]
        messages.success(
            request,
            ngettext(
                "%(count)d Termin wurde mitkopiert, ohne Anmeldungen: alle Plätze sind frei.",
                "%(count)d Termine wurden mitkopiert, ohne Anmeldungen: alle Plätze sind frei.",
                len(copies),
            )
            % {"count": len(copies)},
        )
    else:
        messages.warning(
            request,
            ngettext(
                "Der Termin des Kurses wurde nicht mitkopiert: die Kopie hat keine Termine.",
                "Die %(count)d Termine des Kurses wurden nicht mitkopiert: die Kopie hat "
                "keine Termine.",
                len(dates),
            )
            % {"count": len(dates)},
            buttons=[
                messages.button(f"{date_url('add')}?course={new_page.pk}", _("Termin anlegen"))
            ],
        )
    return None


def content_of(date) -> dict:
    """A date's content, without its id, course and booking state."""
    return {
        field.attname: getattr(date, field.attname)
        for field in type(date)._meta.concrete_fields
        if not field.primary_key
        and field.name not in type(date).BOOKING_FIELDS
        and field.name != "course"
    }
