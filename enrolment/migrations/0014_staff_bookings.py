"""The group "Redaktion" looks after bookings, guilds and booking terms.

Model permissions are made after all migrations; they are made here first, so that
this also works on a fresh database. Run twice, nothing changes.
"""

from django.db import migrations

CODENAMES = (
    "view_booking",
    "change_booking",
    "add_guild",
    "change_guild",
    "delete_guild",
    "view_guild",
    "change_bookingterms",
    "view_bookingterms",
    "add_coursebookingterms",
    "change_coursebookingterms",
    "delete_coursebookingterms",
    "view_coursebookingterms",
)


def _ensure_permissions(apps):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("enrolment")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff = Group.objects.get_or_create(name="Redaktion")[0]
    staff.permissions.add(
        *Permission.objects.filter(content_type__app_label="enrolment", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff = Group.objects.filter(name="Redaktion").first()
    if staff is not None:
        staff.permissions.remove(
            *Permission.objects.filter(content_type__app_label="enrolment", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0013_guild_help_text"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
