"""The second factor is a property of the session, asked by every view that uses a
staff or trainer role, not only on the admin sites: the trainer area, attendance,
the sign-in sheet, other people's certificates, and course material seen through
a role. Runs with Redis and cached_db sessions, as in production."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from sesame.utils import get_token

from enrolment.models import Enrolment
from learning import attendance, certificates, learner
from learning.lessons import STAFF_GROUP_NAME
from tests.enrolment.builders import course_date, course_page, person
from tests.factories import TrainerFactory, build_material, build_private_document
from tests.ops.test_two_factor import PASSWORD, code_for

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

VERIFY = "/admin/zwei-faktor/pruefen/"
SETUP = "/admin/zwei-faktor/einrichten/"


@pytest.fixture
def world(settings):
    settings.SITE_URL = "https://akademie.example.org"
    course = course_page()
    material, lessons = build_material(course)
    document = build_private_document(course)
    date = course_date(course, days=-2, seats_confirmed=1)
    enrolment = Enrolment.objects.create(
        course_date=date, status=Enrolment.Status.CONFIRMED, privacy_version="1", **person(1)
    )
    participant = learner.link_user(enrolment)
    attendance.record(date, {(enrolment.pk, 0): True})

    User = get_user_model()
    trainer = User.objects.create_user("trainerin", "trainerin@example.org", PASSWORD)
    trainer.groups.add(Group.objects.get(name="Trainer"))
    course.trainers.add(TrainerFactory(user=trainer))
    course.save_revision().publish()

    staff = User.objects.create_user("redaktion", "redaktion@example.org", PASSWORD)
    staff.is_staff = True
    staff.save()
    staff.groups.add(Group.objects.get(name=STAFF_GROUP_NAME))

    pages = {
        "trainer area": reverse("learner:trainer"),
        "attendance": reverse("learner:attendance", args=[date.pk]),
        "sign-in sheet": reverse("learner:signin_sheet", args=[date.pk]),
        "material": material.url,
        "lesson": lessons[0].url,
        "document": document.url,
    }
    return {
        "trainer": trainer,
        "staff": staff,
        "participant": participant,
        "enrolment": enrolment,
        "pages": pages,
        "certificate": reverse("learner:certificate", args=[enrolment.pk]),
        # staff download certificates from the admin's certificate list
        "staff certificate": reverse(
            "learning_certificates:pdf", args=[certificates.issue(enrolment).pk]
        ),
        "document": document,
    }


def sign_in(client, username):
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def assert_sent_to(response, target, page):
    assert response.status_code == 302, page
    assert response["Location"].startswith(target + "?next="), (page, response["Location"])


def test_optional_mode_trainer_with_an_app_shows_the_code_before_the_trainer_pages(
    client, world, settings
):
    settings.STAFF_TWO_FACTOR = "optional"
    app = TOTPDevice.objects.create(user=world["trainer"], name="App", confirmed=True)
    sign_in(client, "trainerin")
    for name, url in world["pages"].items():
        assert_sent_to(client.get(url), VERIFY, name)
    assert client.post(world["pages"]["attendance"], {}).status_code == 302
    assert not world["enrolment"].attendance.filter(present=False).exists()  # nothing saved

    response = client.post(VERIFY, {"code": code_for(app), "next": world["pages"]["attendance"]})
    assert response["Location"] == world["pages"]["attendance"]
    for name, url in world["pages"].items():
        assert client.get(url).status_code == 200, name


def test_optional_mode_trainer_without_an_app_passes_with_the_password(client, world, settings):
    settings.STAFF_TWO_FACTOR = "optional"
    sign_in(client, "trainerin")
    for name, url in world["pages"].items():
        assert client.get(url).status_code == 200, name


def test_required_mode_sends_trainers_and_staff_without_an_app_to_the_setup(
    client, world, settings
):
    settings.STAFF_TWO_FACTOR = "required"
    sign_in(client, "trainerin")
    for name, url in world["pages"].items():
        assert_sent_to(client.get(url), SETUP, name)
    client.post("/admin/logout/")

    sign_in(client, "redaktion")
    for name, url in [
        *world["pages"].items(),
        ("staff certificate", world["staff certificate"]),
    ]:
        assert_sent_to(client.get(url), SETUP, name)


def test_required_mode_staff_with_an_app_show_it_once_per_session(client, world, settings):
    settings.STAFF_TWO_FACTOR = "required"
    app = TOTPDevice.objects.create(user=world["staff"], name="App", confirmed=True)
    sign_in(client, "redaktion")
    assert_sent_to(client.get(world["staff certificate"]), VERIFY, "certificate")
    client.post(VERIFY, {"code": code_for(app)})
    assert client.get(world["staff certificate"]).status_code == 200
    assert client.get(world["pages"]["sign-in sheet"]).status_code == 200
    # a new session asks again: the factor belongs to the session, not the account
    client.post("/admin/logout/")
    sign_in(client, "redaktion")
    assert_sent_to(client.get(world["pages"]["attendance"]), VERIFY, "attendance")


def test_private_document_through_a_role_needs_the_factor(client, world, settings):
    settings.STAFF_TWO_FACTOR = "required"
    sign_in(client, "redaktion")
    response = client.get(world["document"].url)
    assert_sent_to(response, SETUP, "document")
    assert b"Content-Disposition" not in response.serialize_headers()


def test_participants_and_learners_are_never_asked(client, world, settings):
    settings.STAFF_TWO_FACTOR = "required"
    client.post(f"/lernen/link/{get_token(world['participant'])}/")
    assert client.session["_auth_user_id"] == str(world["participant"].pk)
    for name in ("material", "lesson", "document"):
        assert client.get(world["pages"][name]).status_code == 200, name
    assert client.get(world["certificate"]).status_code == 200
    assert client.get(world["pages"]["trainer area"]).status_code == 404


def test_staff_who_take_part_see_the_material_as_participants(client, world, settings):
    """Access that comes from being a participant needs no second factor, even for
    a person who holds a role elsewhere."""
    settings.STAFF_TWO_FACTOR = "required"
    staff = world["staff"]
    staff.groups.remove(Group.objects.get(name=STAFF_GROUP_NAME))
    from learning.lessons import add_participant

    add_participant(world["enrolment"].course_date.course, staff)
    sign_in(client, "redaktion")
    assert client.get(world["pages"]["lesson"]).status_code == 200
    assert_sent_to(client.get(world["pages"]["trainer area"]), SETUP, "trainer area")


def test_a_trainer_without_admin_access_can_set_up_the_app(client, world, settings):
    settings.STAFF_TWO_FACTOR = "required"
    trainer = world["trainer"]
    trainer.groups.clear()
    client.force_login(trainer, backend="django.contrib.auth.backends.ModelBackend")
    assert_sent_to(client.get(world["pages"]["trainer area"]), SETUP, "trainer area")
    assert client.get(SETUP).status_code == 200


def test_off_mode_asks_nobody(client, world, settings):
    settings.STAFF_TWO_FACTOR = "off"
    TOTPDevice.objects.create(user=world["trainer"], name="App", confirmed=True)
    sign_in(client, "trainerin")
    for name, url in world["pages"].items():
        assert client.get(url).status_code == 200, name


def test_the_plain_sesame_backend_is_a_configuration_error(settings):
    from staffauth.checks import check_two_factor_settings

    assert check_two_factor_settings(None) == []
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "sesame.backends.ModelBackend",
    ]
    assert [error.id for error in check_two_factor_settings(None)] == ["staffauth.E004"]
