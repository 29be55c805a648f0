"""The group "Redaktion" maintains the billing data ("Rechnungsstellung") and reads
invoices (the invoice list asks ``staffauth.policy`` as well).

Model permissions are made after all migrations; they are made here first, so that
this also works on a fresh database. Run twice, nothing changes.
"""

from django.db import migrations

CODENAMES = ("change_invoicesettings", "view_invoicesettings", "view_invoice")


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
            *Permission.objects.filter(
                content_type__app_label="enrolment", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0015_invoices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
