"""News moved out of home, and course material, progress, attendance and
certificates moved out of courses and enrolment into learning. Their migrations
take over the tables: a database filled with the demo content in the old layout
keeps every row, and every page its type, when it is migrated to the new one."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

# the last migrations of the old layout (news still in home, material in courses,
# learner data in enrolment)
OLD_LAYOUT = [
    ("home", "0003_enable_trigram_search"),
    ("news", None),
    ("courses", "0006_uploads_trainer_collections"),
    ("enrolment", "0008_enrolment_link_key_unique"),
    ("learning", None),
]
MOVED = {
    # new table: table of the old layout
    "news_newsindexpage": "home_newsindexpage",
    "news_newspage": "home_newspage",
    "news_newspagetag": "home_newspagetag",
    "news_newsrelatedcourse": "home_newsrelatedcourse",
    "news_newsrelatedarticle": "home_newsrelatedarticle",
    "learning_materialpage": "courses_materialpage",
    "learning_lessonpage": "courses_lessonpage",
    "learning_courseaccess": "courses_courseaccess",
    "learning_lessonprogress": "enrolment_lessonprogress",
    "learning_quizpass": "enrolment_quizpass",
    "learning_attendance": "enrolment_attendance",
    "learning_certificate": "enrolment_certificate",
    "learning_learnercalendar": "enrolment_learnercalendar",
}
SAMPLES = {
    "news_newspage": "SELECT page_ptr_id, teaser FROM {table} ORDER BY page_ptr_id",
    "learning_lessonpage": "SELECT page_ptr_id, required FROM {table} ORDER BY page_ptr_id",
    "learning_attendance": "SELECT enrolment_id, session, present FROM {table} ORDER BY id",
    "learning_lessonprogress": "SELECT user_id, lesson_id FROM {table} ORDER BY id",
}


def rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our table names
        return cursor.fetchone()[0]


def sample(query: str, table: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(query.format(table=table))
        return [tuple(row) for row in cursor.fetchall()]


def page_types() -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, c.app_label, c.model FROM wagtailcore_page p "
            "JOIN django_content_type c ON c.id = p.content_type_id ORDER BY p.id"
        )
        return [tuple(row) for row in cursor.fetchall()]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_demo_content_survives_the_move_from_the_old_layout(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = {table: rows(table) for table in MOVED}
    assert counts["news_newspage"] > 5 and counts["learning_lessonpage"] > 3
    assert counts["learning_attendance"] >= 1 and counts["learning_courseaccess"] >= 3
    samples = {table: sample(query, table) for table, query in SAMPLES.items()}
    types = page_types()
    assert ("news", "newspage") in {(app, model) for _pk, app, model in types}

    # the old layout, with the demo content in its tables
    migrate(OLD_LAYOUT)
    assert {table: rows(old) for table, old in MOVED.items()} == counts
    old_types = {(app, model) for _pk, app, model in page_types()}
    assert ("home", "newspage") in old_types and ("courses", "lessonpage") in old_types

    # and forward again: every row, every page type
    migrate(latest())
    assert {table: rows(table) for table in MOVED} == counts
    assert {table: sample(query, table) for table, query in SAMPLES.items()} == samples
    assert page_types() == types

    from learning.models import LessonPage
    from news.models import NewsPage

    article = NewsPage.objects.live().first()
    assert article.get_latest_revision_as_object().title == article.title
    assert LessonPage.objects.count() == counts["learning_lessonpage"]
