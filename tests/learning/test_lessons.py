"""Course material pages: tree rules, restriction and groups, blocks."""

import pytest
from wagtail.blocks import StructBlockValidationError
from wagtail.models import CollectionViewRestriction, PageViewRestriction

from courses.models import CoursePage
from learning.lessons import (
    STAFF_GROUP_NAME,
    CourseAccess,
    LessonPage,
    MaterialPage,
    QuizBlock,
    course_access,
    quiz_feedback,
)
from tests.enrolment.builders import course_page
from tests.factories import TrainerFactory, UserFactory, build_material

pytestmark = pytest.mark.django_db


def test_tree_rules():
    course = course_page()
    assert MaterialPage.can_create_at(course)
    material, lessons = build_material(course)
    assert not MaterialPage.can_create_at(course)  # one per course
    assert LessonPage.can_create_at(material)
    assert not LessonPage.can_create_at(course)
    assert not CoursePage.can_create_at(material)


def test_material_gets_group_restriction_and_private_collection():
    course = course_page()
    material, _lessons = build_material(course)
    access = CourseAccess.objects.get(course=course)
    restriction = PageViewRestriction.objects.get(page=material)
    assert restriction.restriction_type == "groups"
    names = {g.name for g in restriction.groups.all()}
    assert STAFF_GROUP_NAME in names
    assert access.participants.name in names and access.trainers.name in names
    collection_restriction = CollectionViewRestriction.objects.get(collection=access.collection)
    assert set(collection_restriction.groups.all()) == set(restriction.groups.all())
    assert course_access(course) == access  # made once


def test_trainer_users_follow_the_course_trainers():
    course = course_page()
    user = UserFactory()
    trainer = TrainerFactory(user=user)
    course.trainers.add(trainer)
    course.save_revision().publish()
    access = course_access(course)
    assert user in access.trainers.user_set.all()
    course.trainers.remove(trainer)
    course.save_revision().publish()
    assert user not in access.trainers.user_set.all()


def test_quiz_needs_a_correct_answer():
    block = QuizBlock()
    value = block.to_python(
        {"question": "Frage?", "answers": [{"text": "a", "correct": False}, {"text": "b"}]}
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


def test_quiz_feedback_ignores_bad_input():
    course = course_page()
    material, lessons = build_material(course, lessons=("Eins",))
    lesson = lessons[0]
    lesson.body = [
        (
            "quiz",
            {
                "question": "Frage?",
                "answers": [{"text": "ja", "correct": True}, {"text": "nein", "correct": False}],
            },
        )
    ]
    lesson.save()
    block_id = lesson.body[0].id
    assert quiz_feedback(lesson.body, block_id, "0")["correct"] is True
    assert quiz_feedback(lesson.body, block_id, "1")["correct"] is False
    for bad in ("9", "x", None, "-5"):
        result = quiz_feedback(lesson.body, block_id, bad)
        assert result is None or result["answer"] == -5
    assert quiz_feedback(lesson.body, "unknown", "0") is None


def test_lesson_renders_blocks_and_video_behind_consent(client, django_user_model):
    course = course_page()
    _material, lessons = build_material(course, lessons=("Eins",))
    lesson = lessons[0]
    lesson.body = [
        ("checklist", {"title": "Vorher", "items": ["Kaffee", "Zugang"]}),
        ("link", {"title": "Handwerkskammer", "url": "https://example.org/", "description": ""}),
        ("video", {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Film"}),
    ]
    lesson.save_revision().publish()
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    response = client.get(lesson.url)
    html = response.content.decode()
    assert "Kaffee" in html and "Handwerkskammer" in html
    assert "<iframe" not in html  # nothing from the provider before consent
    assert "Video laden" in html
    assert "no-store" in response["Cache-Control"]
