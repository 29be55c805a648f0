"""Editing comfort: tabs, help texts, copying a course, admin search, previews, block library."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page

from courses.models import CourseDate, CourseIndexPage, CoursePage
from home.blocks import BodyBlock
from home.models import HomePage, StandardPage
from tests.factories import (
    CourseDateFactory,
    CoursePageFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="redakteurin")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


@pytest.fixture
def course(catalogue):
    page = CoursePageFactory(parent=catalogue, title="Digitale Werkstatt", teaser="Ein Anreißer.")
    trainer = TrainerFactory(name="Gundula Hobelmann")
    page.trainers.add(trainer)
    page.save_revision().publish()
    CourseDateFactory(course=page)
    return CoursePage.objects.get(pk=page.pk)


def test_course_editor_has_three_tabs_with_german_help(client, editor, course):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for tab in ("Inhalt", "Termine", "Einstellungen"):
        assert f">{tab}<" in html or f"{tab}\n" in html, tab
    assert "Zwei, drei Sätze für die Kurskarte" in html
    assert "Fokuspunkt" in html
    assert 'data-controller="w-comment' in html or "comments" in html


def test_course_tabs_are_the_edit_handler():
    handler = CoursePage.get_edit_handler()
    assert [str(child.heading) for child in handler.children] == [
        "Inhalt",
        "Termine",
        "Einstellungen",
    ]
    form_class = handler.get_form_class()
    # dates are rows of their own, not part of the page form or its revisions
    assert "dates" not in form_class.formsets
    assert {"title", "teaser", "price", "slug"} <= set(form_class.base_fields)


def test_copy_keeps_content_and_drops_dates(client, editor, course):
    assert course.dates.count() == 1
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[course.pk]),
        {
            "new_title": "Digitale Werkstatt (Kopie)",
            "new_slug": "digitale-werkstatt-kopie",
            "new_parent_page": course.get_parent().pk,
            "copy_subpages": False,
            "publish_copies": False,
            "alias": False,
        },
    )
    assert response.status_code == 302
    copy = CoursePage.objects.get(slug="digitale-werkstatt-kopie")
    assert copy.teaser == "Ein Anreißer."
    assert list(copy.trainers.values_list("name", flat=True)) == ["Gundula Hobelmann"]
    assert copy.dates.count() == 0
    assert CourseDate.objects.filter(course=course).count() == 1
    assert not copy.live


def test_admin_search_finds_courses_by_title_and_trainer(client, editor, course):
    from wagtail.search.backends import get_search_backend

    get_search_backend().add(course)
    for query in ("Werkstatt", "Hobelmann"):
        response = client.get(reverse("wagtailadmin_pages:search"), {"q": query})
        assert response.status_code == 200
        assert "Digitale Werkstatt" in response.content.decode(), query


def test_every_page_type_previews(course, home_page):
    from tests.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory

    standard = StandardPageFactory(parent=home_page)
    news_index = NewsIndexPageFactory(parent=home_page)
    news = NewsPageFactory(parent=news_index)
    pages = [
        HomePage.objects.get(pk=home_page.pk),
        StandardPage.objects.get(pk=standard.pk),
        CourseIndexPage.objects.get(),
        course,
        news_index.specific,
        news.specific,
    ]
    for page in pages:
        for mode, _label in page.preview_modes:
            response = page.make_preview_request(preview_mode=mode)
            assert response.status_code == 200, (page, mode)


# Blocks that need an uploaded image or document have no stored sample to preview.
NEEDS_UPLOAD = {"image", "documents", "gallery"}


def test_block_library_is_documented_with_icons_and_previews(client, editor):
    for name, block in BodyBlock().child_blocks.items():
        assert block.meta.icon and block.meta.icon != "placeholder", name
        assert str(block.meta.description), name
        assert block.is_previewable or name in NEEDS_UPLOAD, name


def test_page_tree_rules_prevent_wrong_trees(course, home_page):
    assert not CoursePage.can_create_at(home_page)
    assert CoursePage.can_create_at(course.get_parent())
    assert not StandardPage.can_create_at(course.get_parent())
    assert not CourseIndexPage.can_create_at(home_page)  # max_count = 1, one exists
    assert not HomePage.can_create_at(Page.get_first_root_node())


def test_image_alt_text_is_required(client, editor, course):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Werkstatt", file=get_test_image_file())
    course.image = image
    course.image_alt = ""
    with pytest.raises(Exception, match="Alternativtext"):
        course.full_clean()


def test_block_previews_render_in_the_chooser(client, editor):
    blocks = CoursePage._meta.get_field("description").stream_block.child_blocks
    for name, block in blocks.items():
        if not block.is_previewable:
            continue
        response = client.get(
            reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
        )
        assert response.status_code == 200, name
        assert "build/site.css" in response.content.decode(), name
