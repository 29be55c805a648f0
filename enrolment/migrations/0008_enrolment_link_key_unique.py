from django.db import migrations, models

import enrolment.models


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0007_enrolment_link_key")]

    operations = [
        migrations.AlterField(
            model_name="enrolment",
            name="link_key",
            field=models.CharField(
                default=enrolment.models.new_link_key,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="Schlüssel der Links in E-Mails",
            ),
        ),
    ]
