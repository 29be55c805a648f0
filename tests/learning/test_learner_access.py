"""Who sees course material: every role against a lesson page and a private document."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from enrolment import services
from enrolment.models import Enrolment
from learning import attendance, learner
from learning.lessons import STAFF_GROUP_NAME
from tests.enrolment.builders import course_date, course_page, person
from tests.factories import TrainerFactory, UserFactory, build_material, build_private_document

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "other_learner",
    "pending",
    "waitlisted",
    "cancelled",
    "confirmed",
    "attended",
    "trainer",
    "other_trainer",
    "staff",
    "superuser",
]
ALLOWED = {"confirmed", "attended", "trainer", "staff", "superuser"}


def enrol(date, n, *, confirm=True):
    outcome = services.request_enrolment(date.pk, person(n))
    if confirm:
        outcome = services.confirm(outcome.enrolment.pk)
    return outcome.enrolment


def user_of(enrolment):
    return get_user_model().objects.get(username=enrolment.email)


@pytest.fixture
def world():
    course = course_page()
    material, lessons = build_material(course)
    document = build_private_document(course)
    other_course = course_page()
    build_material(other_course)

    date = course_date(course, capacity=3)
    users = {}
    users["confirmed"] = user_of(enrol(date, 1))
    cancelled = enrol(date, 2)
    services.cancel(cancelled.pk)
    users["cancelled"] = user_of(cancelled)

    past = course_date(course, days=-3, capacity=5, seats_confirmed=1)
    attended = Enrolment.objects.create(
        course_date=past, status=Enrolment.Status.CONFIRMED, privacy_version="1", **person(3)
    )
    learner.link_user(attended)
    attendance.record(past, {(attended.pk, 0): True})
    users["attended"] = user_of(attended)

    full = course_date(course, capacity=1)
    enrol(full, 4)
    waiting = enrol(full, 5)
    assert waiting.status == Enrolment.Status.WAITLISTED
    users["waitlisted"] = user_of(waiting)

    pending = enrol(date, 6, confirm=False)
    users["pending"] = UserFactory(username=pending.email, email=pending.email)

    other_date = course_date(other_course)
    users["other_learner"] = user_of(enrol(other_date, 7))

    trainer_user = UserFactory(username="trainerin@example.org")
    trainer = TrainerFactory(user=trainer_user)
    course.trainers.add(trainer)
    course.save_revision().publish()
    users["trainer"] = trainer_user

    other_trainer_user = UserFactory(username="andere@example.org")
    other_trainer = TrainerFactory(user=other_trainer_user)
    other_course.trainers.add(other_trainer)
    other_course.save_revision().publish()
    users["other_trainer"] = other_trainer_user

    staff = UserFactory(username="redaktion@example.org")
    staff.groups.add(Group.objects.get_or_create(name=STAFF_GROUP_NAME)[0])
    users["staff"] = staff
    users["superuser"] = get_user_model().objects.create_superuser(
        "admin@example.org", "admin@example.org", "x"
    )
    return {"users": users, "lesson": lessons[0], "material": material, "document": document}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", ["lesson", "material", "document"])
def test_access_matrix(client, world, role, target):
    if role != "anonymous":
        client.force_login(world["users"][role])
    url = world[target].url
    response = client.get(url)
    if role in ALLOWED:
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        expected = world["lesson"].url.encode() if target == "material" else b"geheim"
        assert expected in body.lower()
        assert "no-store" in response.get("Cache-Control", "") or target == "document"
    else:
        # the sign-in page, never the content and never a 404
        assert response.status_code == 302
        assert response["Location"].startswith("/lernen/anmelden/?next=")
        follow = client.get(response["Location"])
        html = follow.content.decode()
        if role == "anonymous":
            assert follow.status_code == 200
            assert "Anmeldelink schicken" in html
        else:
            # signed in already: why not, and the way to enrol
            assert follow.status_code == 403
            assert "Nur für Teilnehmende dieses Kurses" in html
            assert "Anmeldelink schicken" not in html
            course = world["material"].get_parent()
            assert f'href="{course.url}#termine"' in html


def test_private_document_is_not_cached_publicly(client, world):
    client.force_login(world["users"]["confirmed"])
    response = client.get(world["document"].url)
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")


def test_cancellation_removes_access(client, world):
    user = world["users"]["confirmed"]
    enrolment = Enrolment.objects.get(email=user.email)
    services.cancel(enrolment.pk)
    client.force_login(user)
    assert client.get(world["lesson"].url).status_code == 302


def test_promotion_from_waitlist_grants_access(client, world):
    user = world["users"]["waitlisted"]
    waiting = Enrolment.objects.get(email=user.email)
    holder = Enrolment.objects.get(
        course_date=waiting.course_date, status=Enrolment.Status.CONFIRMED
    )
    services.cancel(holder.pk)
    client.force_login(user)
    assert client.get(world["lesson"].url).status_code == 200


def test_material_never_in_search_or_sitemap(client, world):
    for query in ("Geheimer Inhalt", "Lektion", "Kursmaterial"):
        html = client.get("/suche/", {"q": query}).content.decode()
        assert world["lesson"].url not in html
        assert world["material"].url not in html
    sitemap = client.get("/sitemap.xml").content.decode()
    assert world["lesson"].url not in sitemap
    assert world["material"].url not in sitemap


def test_course_page_lists_titles_only_for_outsiders(client, world):
    course = world["material"].get_parent()
    html = client.get(course.url).content.decode()
    assert "Lektion 1" in html
    assert world["lesson"].url not in html
    assert "Geheimer Inhalt" not in html
    client.force_login(world["users"]["confirmed"])
    html = client.get(course.url).content.decode()
    assert world["lesson"].url in html


def test_restriction_restored_when_edited_away(world):
    from wagtail.models import PageViewRestriction

    material = world["material"]
    PageViewRestriction.objects.filter(page=material).delete()
    material.save_revision().publish()
    assert PageViewRestriction.objects.filter(page=material).count() == 1
