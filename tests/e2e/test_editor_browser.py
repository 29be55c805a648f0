"""A trainer submits a change to a lesson of their course; the editor sees the dashboard,
approves it, and the public pages involved pass axe-core."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from home.demo import ensure_home_page, ensure_pages, ensure_partners, ensure_site_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Werkbank-2026-Test"  # noqa: S105 - test accounts only


def _run_migration_function(module_name, function_name):
    """The roles and the workflow are data migrations; transactional tests start empty."""
    module = importlib.import_module(f"enrolment.migrations.{module_name}")
    if hasattr(module, "_ensure_permissions"):
        module._ensure_permissions = lambda apps: None  # post_migrate made them after the flush
    getattr(module, function_name)(_TodaysApps(), None)


class _TodaysApps:
    """The app registry as the old data migrations name it (course material has
    moved from courses to learning since)."""

    moved = {"MaterialPage", "LessonPage", "CourseAccess"}

    def get_model(self, app_label, model_name):
        if model_name in self.moved:
            app_label = "learning"
        return django_apps.get_model(app_label, model_name)


@pytest.fixture
def scene(live_server, settings):
    from wagtail.models import Site

    import courses.wagtail_hooks  # noqa: F401 - connects the material review signal
    from courses.models import CoursePage, Trainer
    from learning.editor_roles import ensure_all
    from tests.enrolment.builders import confirmed, course_date, course_page
    from tests.factories import UserFactory, build_material

    settings.SITE_URL = live_server.url
    _run_migration_function("0002_editor_roles", "create_roles")
    _run_migration_function("0004_review_workflow", "create_review_workflow")
    home = ensure_home_page()
    ensure_partners()
    pages = ensure_pages(home)
    ensure_site_settings(Site.objects.get(is_default_site=True), pages)

    trainer = UserFactory(username="trainer")
    trainer.set_password(PASSWORD)
    trainer.save()
    trainer.groups.add(Group.objects.get(name="Trainer"))
    editor = UserFactory(username="redaktion")
    editor.set_password(PASSWORD)
    editor.save()
    editor.groups.add(Group.objects.get(name="Redaktion"))

    course = course_page(title="Digitale Werkstatt")
    course.trainers.add(Trainer.objects.create(name="Tom Tischler", user=trainer))
    course.save_revision().publish()
    date = course_date(course, capacity=4)
    confirmed(date, 1)
    material, lessons = build_material(CoursePage.objects.get(pk=course.pk))
    ensure_all()
    return {"course": course, "lesson": lessons[0], "date": date}


def sign_in(page, username):
    page.page.goto(page.base_url + "/admin/login/")
    page.page.fill("#id_username", username)
    page.page.fill("#id_password", PASSWORD)
    page.page.locator("form button[type=submit]").click()
    page.page.wait_for_url("**/admin/")


def open_action_menu(page):
    page.page.locator("footer [data-w-dropdown-target='toggle']").first.click()


def test_editor_approves_a_trainers_change(browser_page, scene, client, settings):
    from learning.lessons import LessonPage, course_access
    from tests.factories import UserFactory

    page = browser_page
    lesson = scene["lesson"]
    edit_path = f"/admin/pages/{lesson.pk}/edit/"

    # The trainer edits a lesson of their own course and submits it for review.
    sign_in(page, "trainer")
    page.page.goto(page.base_url + edit_path)
    page.page.fill("#id_title", "Lektion 1: überarbeitet")
    open_action_menu(page)
    page.page.locator("button[name='action-submit']").click()
    page.page.wait_for_load_state()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == "Lektion 1"
    assert lesson.current_workflow_state.status == "in_progress"
    page.page.context.clear_cookies()

    # The editor sees the dashboard with occupancy bars and the review task ...
    sign_in(page, "redaktion")
    assert page.page.get_by_text("Nächste Termine: Belegung").is_visible()
    assert page.page.locator("svg.academy-bar").count() >= 1
    assert page.page.get_by_text("Lektion 1: überarbeitet").first.is_visible()
    # ... and the statistics chart
    page.page.goto(page.base_url + "/admin/berichte/statistik/")
    assert page.page.locator("figure.academy-chart svg").count() == 4

    # ... and approves the change.
    page.page.goto(page.base_url + edit_path)
    open_action_menu(page)
    page.page.locator(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).click()
    page.page.wait_for_load_state()
    page.page.wait_for_timeout(500)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == "Lektion 1: überarbeitet"
    assert lesson.current_workflow_state is None

    # The public pages involved pass axe-core: the course for a visitor, the approved
    # lesson for a participant of the course.
    page.page.context.clear_cookies()
    page.goto(scene["course"].url)
    learner = UserFactory(username="teilnehmerin@example.org")
    course_access(scene["course"]).participants.user_set.add(learner)
    client.force_login(learner)
    page.page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base_url,
            }
        ]
    )
    page.goto(lesson.url)
    assert page.page.get_by_role("heading", name="Lektion 1: überarbeitet").is_visible()


def test_a_new_pages_address_spells_out_umlauts(browser_page, live_server):
    """The slug follows the title as the editor types, with ä, ö, ü, ß as ae, oe, ue, ss."""
    from playwright.sync_api import expect

    from home.demo import ensure_home_page
    from tests.factories import UserFactory

    home = ensure_home_page()
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    admin.set_password(PASSWORD)
    admin.save()
    page = browser_page
    sign_in(page, "admin")
    page.page.goto(f"{page.base_url}/admin/pages/add/home/standardpage/{home.pk}/")
    title = page.page.locator("#id_title")
    title.click()
    title.press_sequentially("Fördermittel für Bäckereien: Größe zählt")
    title.blur()
    # Wagtail's title-to-slug sync is debounced: wait for it
    expect(page.page.locator("#id_slug")).to_have_value(
        "foerdermittel-fuer-baeckereien-groesse-zaehlt"
    )
