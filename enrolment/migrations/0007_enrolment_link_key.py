"""A random key per enrolment for the links in its mails (confirm, cancel), so
that links carry nothing sequential. Existing enrolments get their own key."""

import secrets

from django.db import migrations, models


def fill_link_keys(apps, schema_editor):
    Enrolment = apps.get_model("enrolment", "Enrolment")
    for pk in Enrolment.objects.filter(link_key__isnull=True).values_list("pk", flat=True):
        Enrolment.objects.filter(pk=pk).update(link_key=secrets.token_urlsafe(18))


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0006_seats_attendance_certificates")]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="link_key",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(fill_link_keys, migrations.RunPython.noop, elidable=True),
    ]
