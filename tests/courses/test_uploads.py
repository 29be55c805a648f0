"""Trainers upload images and documents only into the collections of their own courses."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, GroupCollectionPermission, UploadedFile

from courses.models import Trainer
from home.images import render_png
from learning.lessons import course_access
from tests.enrolment.builders import course_page
from tests.factories import UserFactory, build_private_document

pytestmark = pytest.mark.django_db


def member(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def setup():
    """A trainer of one course, another trainer's course, and an editor of the academy."""
    trainer = member("Trainer", "trainerin")
    own = course_page(title="Eigener Kurs")
    other = course_page(title="Fremder Kurs")
    profile = Trainer.objects.create(name="Tina Trainer", user=trainer)
    own.trainers.add(profile)
    own.save_revision().publish()
    other_trainer = member("Trainer", "anderer")
    other.trainers.add(Trainer.objects.create(name="Otto Anders", user=other_trainer))
    other.save_revision().publish()
    return {
        "trainer": trainer,
        "profile": profile,
        "own": own,
        "other": other,
        "staff": member("Redaktion", "redakteurin"),
        "root": Collection.get_first_root_node(),
        "own_collection": course_access(own).collection,
        "other_collection": course_access(other).collection,
    }


def pdf():
    return SimpleUploadedFile("blatt.pdf", b"%PDF-1.4 Arbeitsblatt", content_type="application/pdf")


def image_file():
    return SimpleUploadedFile(
        "werkstueck.png", render_png("Werkstück", (64, 40)), content_type="image/png"
    )


def upload_document(client, collection, **extra):
    data = {"title": "Arbeitsblatt", "file": pdf(), "tags": "", **extra}
    if collection is not None:
        data["collection"] = collection.pk
    return client.post(reverse("wagtaildocs:add"), data)


def upload_image(client, collection):
    data = {"title": "Werkstück", "file": image_file(), "tags": "", "description": ""}
    if collection is not None:
        data["collection"] = collection.pk
    return client.post(reverse("wagtailimages:add"), data)


def stored_files(settings, folder):
    root = Path(settings.MEDIA_ROOT, folder)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_group_trainer_has_no_collection_permissions():
    """Its old permissions on the root collection reached the public root and every
    course's private collection."""
    assert not GroupCollectionPermission.objects.filter(group__name="Trainer").exists()


def test_course_trainers_group_may_work_in_its_collection_only(setup):
    access = course_access(setup["own"])
    held = GroupCollectionPermission.objects.filter(group=access.trainers)
    assert {p.collection_id for p in held} == {access.collection_id}
    assert {p.permission.codename for p in held} == {
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    }


@pytest.mark.parametrize("target", ["root", "other_collection"])
def test_trainer_cannot_upload_a_document_elsewhere(client, settings, setup, target):
    client.force_login(setup["trainer"])
    response = upload_document(client, setup[target])
    assert response.status_code == 200  # the form again, with its error
    assert "In dieser Sammlung dürfen Sie nichts speichern" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(settings, "documents") == []


@pytest.mark.parametrize("target", ["root", "other_collection"])
def test_trainer_cannot_upload_an_image_elsewhere(client, settings, setup, target):
    client.force_login(setup["trainer"])
    response = upload_image(client, setup[target])
    assert response.status_code == 200
    assert "In dieser Sammlung dürfen Sie nichts speichern" in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(settings, "original_images") == []


@pytest.mark.parametrize("target", ["root", "other_collection"])
def test_multiple_upload_elsewhere_stores_nothing(client, settings, setup, target):
    client.force_login(setup["trainer"])
    for url, upload in (
        (reverse("wagtaildocs:add_multiple"), pdf()),
        (reverse("wagtailimages:add_multiple"), image_file()),
    ):
        response = client.post(url, {"files[]": upload, "collection": setup[target].pk})
        assert response.status_code == 200
        assert response.json()["success"] is False
    assert not Document.objects.exists() and not Image.objects.exists()
    assert not UploadedFile.objects.exists()


def test_chooser_upload_elsewhere_is_refused(client, setup):
    client.force_login(setup["trainer"])
    prefix = "document-chooser-upload"
    client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            f"{prefix}-title": "Arbeitsblatt",
            f"{prefix}-file": pdf(),
            f"{prefix}-collection": setup["root"].pk,
            f"{prefix}-tags": "",
        },
    )
    assert not Document.objects.exists()


def test_trainer_uploads_into_own_course_collection(client, setup):
    client.force_login(setup["trainer"])
    assert upload_document(client, setup["own_collection"]).status_code == 302
    assert upload_image(client, setup["own_collection"]).status_code == 302
    # with one course the form has no collection field: the upload lands there too
    assert upload_document(client, None, title="Zweites Blatt").status_code == 302
    assert set(Document.objects.values_list("collection", flat=True)) == {
        setup["own_collection"].pk
    }
    assert Image.objects.get().collection == setup["own_collection"]


def test_upload_form_offers_only_own_courses(client, setup):
    second = course_page(title="Zweiter eigener Kurs")
    second.trainers.add(setup["profile"])
    second.save_revision().publish()
    client.force_login(setup["trainer"])
    html = client.get(reverse("wagtaildocs:add")).content.decode()
    assert setup["own_collection"].name in html
    assert course_access(second).collection.name in html
    assert setup["other_collection"].name not in html
    assert f'value="{setup["root"].pk}"' not in html
    response = upload_document(client, course_access(second).collection)
    assert response.status_code == 302


def test_chooser_lists_only_own_course_documents(client, setup):
    own = build_private_document(setup["own"], title="Eigenes Blatt")
    foreign = build_private_document(setup["other"], title="Fremdes Blatt")
    public = Document.objects.create(
        title="Öffentliches Blatt",
        file=SimpleUploadedFile("oeffentlich.pdf", b"%PDF-1.4"),
        collection=setup["root"],
    )
    client.force_login(setup["trainer"])
    html = client.get(reverse("wagtaildocs_chooser:choose")).json()["html"]
    assert own.title in html
    assert foreign.title not in html and public.title not in html
    response = client.get(reverse("wagtaildocs_chooser:chosen", args=[foreign.pk]))
    assert response.status_code in (302, 403)  # the admin's "no permission"
    assert foreign.url.encode() not in response.content


def test_trainer_who_leaves_the_course_can_no_longer_upload_there(client, setup):
    own = setup["own"]
    own.trainers.remove(setup["profile"])
    own.save_revision().publish()
    client.force_login(setup["trainer"])
    response = upload_document(client, setup["own_collection"])
    assert response.status_code in (302, 403)
    assert response.status_code != 302 or response["Location"] != reverse("wagtaildocs:index")
    assert not Document.objects.exists()


@pytest.mark.parametrize("target", ["root", "own_collection", "other_collection"])
def test_staff_upload_anywhere(client, setup, target):
    client.force_login(setup["staff"])
    assert upload_document(client, setup[target]).status_code == 302
    assert upload_image(client, setup[target]).status_code == 302
    assert Document.objects.get().collection == setup[target]
    assert Image.objects.get().collection == setup[target]
