"""The editor roles as Wagtail groups, so that every installation has them.

- Redaktion: academy staff. Edit and publish every page, all snippets, images,
  documents, settings; manage enrolments, the outbox and course dates.
- Trainer: may open the admin; sees participants of their own dates (checked in
  the views by ``Trainer.user``); uploads images and documents for course
  material. No page publishing, no course or date changes, no enrolment changes.
- Moderation: reviews and publishes what others submit.

Groups are looked up by name (get_or_create), so running this twice, or on a
database where a group of that name already exists, is harmless.
"""

from django.db import migrations

SNIPPET_MODELS = [
    ("courses", "topic"),
    ("courses", "targetgroup"),
    ("courses", "trade"),
    ("courses", "trainer"),
    ("home", "partner"),
]
ALL_ACTIONS = ("add", "change", "delete", "view")
PAGE_PERMISSIONS = {
    "Redaktion": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "Moderation": ["change_page", "publish_page", "lock_page", "unlock_page"],
    "Trainer": [],
}


def _ensure_permissions(apps):
    # Model permissions are created after all migrations; create them now, so that
    # this migration also works on a fresh database.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _perm(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in PAGE_PERMISSIONS}
    access_admin = _perm(apps, "wagtailadmin", "access_admin")
    for group in groups.values():
        group.permissions.add(access_admin)

    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for name, codenames in PAGE_PERMISSIONS.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name],
                    page=root_page,
                    permission=_perm(apps, "wagtailcore", codename),
                )

    staff = groups["Redaktion"]
    model_perms = []
    for app_label, model in SNIPPET_MODELS:
        model_perms += [(app_label, f"{action}_{model}") for action in ALL_ACTIONS]
    model_perms += [("enrolment", f"{action}_enrolment") for action in ALL_ACTIONS]
    model_perms += [
        ("enrolment", "view_outgoingmail"),
        ("courses", "add_coursedate"),
        ("courses", "change_coursedate"),
        ("courses", "view_coursedate"),
        ("home", "change_sitesettings"),
    ]
    for app_label, codename in model_perms:
        staff.permissions.add(_perm(apps, app_label, codename))

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        collection_perms = {
            "Redaktion": [
                ("wagtailimages", "add_image"),
                ("wagtailimages", "change_image"),
                ("wagtailimages", "choose_image"),
                ("wagtailimages", "delete_image"),
                ("wagtaildocs", "add_document"),
                ("wagtaildocs", "change_document"),
                ("wagtaildocs", "choose_document"),
                ("wagtaildocs", "delete_document"),
            ],
            "Moderation": [
                ("wagtailimages", "choose_image"),
                ("wagtaildocs", "choose_document"),
            ],
            "Trainer": [
                ("wagtailimages", "add_image"),
                ("wagtailimages", "choose_image"),
                ("wagtaildocs", "add_document"),
                ("wagtaildocs", "choose_document"),
            ],
        }
        for name, perms in collection_perms.items():
            for app_label, codename in perms:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=root_collection,
                    permission=_perm(apps, app_label, codename),
                )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("courses", "0002_date_sessions"),
        ("home", "0003_enable_trigram_search"),
        ("enrolment", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
