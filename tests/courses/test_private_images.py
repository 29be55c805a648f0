"""Images of a course's private collection: only those who may read its lessons see them."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Collection

from home.images import get_or_create_image
from learning.lessons import STAFF_GROUP_NAME, add_participant, course_access
from tests.enrolment.builders import course_page
from tests.factories import TrainerFactory, UserFactory, build_material

pytestmark = pytest.mark.django_db

ALLOWED = ["participant", "trainer", "staff", "superuser", "moderation"]
REFUSED = ["anonymous", "plain_user", "other_participant", "other_trainer"]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def world():
    course = course_page(title="Eigener Kurs")
    other = course_page(title="Fremder Kurs")
    _material, lessons = build_material(course, lessons=("Mit Bild",))
    build_material(other)
    image = get_or_create_image(
        "Arbeitsblatt Skizze", size=(300, 200), collection=course_access(course).collection
    )
    lesson = lessons[0]
    lesson.body = json.dumps(
        [
            {
                "type": "image",
                "value": {
                    "image": {"image": image.pk, "alt_text": "Skizze", "decorative": False},
                    "caption": "Die Skizze zum Arbeitsblatt",
                    "credit": "",
                },
            }
        ]
    )
    lesson.save_revision().publish()

    users = {"plain_user": UserFactory(username="irgendwer@example.org")}
    users["participant"] = UserFactory(username="teilnehmerin@example.org")
    add_participant(course, users["participant"])
    users["other_participant"] = UserFactory(username="fremd@example.org")
    add_participant(other, users["other_participant"])
    for key, page in (("trainer", course), ("other_trainer", other)):
        users[key] = UserFactory(username=f"{key}@example.org")
        page.trainers.add(TrainerFactory(user=users[key]))
        page.save_revision().publish()
    users["staff"] = UserFactory(username="redaktion@example.org")
    users["staff"].groups.add(Group.objects.get(name=STAFF_GROUP_NAME))
    users["moderation"] = UserFactory(username="moderation@example.org")
    users["moderation"].groups.add(Group.objects.get(name="Moderation"))  # reviews lessons
    users["superuser"] = get_user_model().objects.create_superuser(
        "admin@example.org", "admin@example.org", "x"
    )
    rendition = image.get_rendition("width-120")
    return {"users": users, "lesson": lesson, "image": image, "rendition": rendition}


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])


def image_urls(html: str) -> set[str]:
    return set(re.findall(r"/media/images/[^\s\"',]+", html))


@pytest.mark.parametrize("role", REFUSED)
def test_original_and_renditions_are_not_served_to_outsiders(client, world, role):
    login(client, world, role)
    for url in (world["image"].file.url, world["rendition"].url):
        response = client.get(url)
        assert response.status_code == 404, url
        assert body(response)[:4] != b"\x89PNG"


@pytest.mark.parametrize("role", ALLOWED)
def test_lesson_images_are_served_privately_to_readers(client, world, role):
    login(client, world, role)
    if role != "moderation":  # reviewers see lessons in the admin preview
        response = client.get(world["lesson"].url)
        assert response.status_code == 200
        urls = image_urls(response.content.decode())
        assert urls, "the lesson shows its image"
    else:
        urls = {world["rendition"].url}
    for url in [*urls, world["image"].file.url]:
        response = client.get(url)
        assert response.status_code == 200, url
        control = response["Cache-Control"]
        assert "private" in control and "public" not in control
        assert response["Content-Type"].startswith("image/") and body(response)


def test_rendered_lesson_images_are_refused_to_outsiders(client, world):
    client.force_login(world["users"]["participant"])
    urls = image_urls(client.get(world["lesson"].url).content.decode())
    client.logout()
    client.force_login(world["users"]["other_participant"])
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_privacy_follows_the_collection_at_once(client, world):
    image, url = world["image"], world["rendition"].url
    image.collection = Collection.get_first_root_node()
    image.save()
    response = client.get(url)
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    image.collection = course_access(world["lesson"].course).collection
    image.save()
    assert client.get(url).status_code == 404


def test_web_server_configs_leave_media_to_django():
    """nginx in front must not serve MEDIA_ROOT: it cannot check a collection's privacy."""
    deploy = Path(django_settings.BASE_DIR, "deploy")
    configs = list(deploy.glob("nginx*.conf"))
    assert configs
    for config in configs:
        text = config.read_text()
        directives = [line.split("#")[0] for line in text.splitlines()]
        assert not any(re.search(r"\b(alias|root)\s", line) for line in directives), config
        assert not any(re.search(r"location\s+\S*(media|images)", line) for line in directives)
