"""Trainers upload only into the collections of their own courses.

The group "Trainer" had add and choose permissions for images and documents on
the root collection, which includes the public root (files served to everyone)
and every other course's private collection. It loses them; instead each
course's trainers group ("Kursleitung: <Kurs>") gets add, change and choose on
that course's collection, as ``courses.lessons.grant_collection_permissions``
does for courses made later.
"""

from django.db import migrations

TRAINER_COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}
# what 0002_editor_roles of the enrolment app had given the group "Trainer"
OLD_TRAINER_ROOT_PERMISSIONS = {
    "wagtailimages": ("add_image", "choose_image"),
    "wagtaildocs": ("add_document", "choose_document"),
}


def _permissions(apps, spec):
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(
            content_type__app_label__in=spec,
            codename__in=[c for codes in spec.values() for c in codes],
        )
    )


def to_course_collections(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    CourseAccess = apps.get_model("courses", "CourseAccess")

    GroupCollectionPermission.objects.filter(
        group__name="Trainer",
        permission__content_type__app_label__in=["wagtailimages", "wagtaildocs"],
    ).delete()
    permissions = _permissions(apps, TRAINER_COLLECTION_PERMISSIONS)
    for access in CourseAccess.objects.all():
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group_id=access.trainers_id,
                collection_id=access.collection_id,
                permission=permission,
            )


def to_root_collection(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    CourseAccess = apps.get_model("courses", "CourseAccess")

    GroupCollectionPermission.objects.filter(
        group_id__in=CourseAccess.objects.values("trainers_id")
    ).delete()
    group = Group.objects.filter(name="Trainer").first()
    root = Collection.objects.filter(depth=1).first()
    if group is None or root is None:
        return
    for permission in _permissions(apps, OLD_TRAINER_ROOT_PERMISSIONS):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_dates_outside_revisions"),
        # the group "Trainer" and its old root permissions come from there
        ("enrolment", "0002_editor_roles"),
    ]

    operations = [migrations.RunPython(to_course_collections, to_root_collection)]
