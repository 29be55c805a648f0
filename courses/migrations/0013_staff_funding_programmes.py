"""The group "Redaktion" maintains the funding programmes ("Förderprogramme") whose
rules course pages and the cost calculator evaluate.

Model permissions are made after all migrations; they are made here first, so that
this also works on a fresh database. Run twice, nothing changes.
"""

from django.db import migrations

CODENAMES = (
    "add_fundingprogramme",
    "change_fundingprogramme",
    "delete_fundingprogramme",
    "view_fundingprogramme",
)


def _ensure_permissions(apps):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff = Group.objects.get_or_create(name="Redaktion")[0]
    staff.permissions.add(
        *Permission.objects.filter(content_type__app_label="courses", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff = Group.objects.filter(name="Redaktion").first()
    if staff is not None:
        staff.permissions.remove(
            *Permission.objects.filter(content_type__app_label="courses", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0012_funding_programmes"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
