from django.db import migrations


def create_staff_group(apps, schema_editor):
    # The academy staff group; other parts of the project look it up by name too.
    apps.get_model("auth", "Group").objects.get_or_create(name="Redaktion")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("courses", "0003_course_material"),
    ]

    operations = [migrations.RunPython(create_staff_group, migrations.RunPython.noop)]
