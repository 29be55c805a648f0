import django.db.models.deletion
from django.db import migrations, models


def drop_links_to_other_pages(apps, schema_editor):
    """A "course" below an article could be any page until now; only course pages
    stay (the others never showed as courses)."""
    NewsRelatedCourse = apps.get_model("news", "NewsRelatedCourse")
    CoursePage = apps.get_model("courses", "CoursePage")
    NewsRelatedCourse.objects.exclude(course_id__in=CoursePage.objects.values("pk")).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0007_move_learning'),
        ('news', '0001_move_news'),
    ]

    operations = [
        migrations.RunPython(drop_links_to_other_pages, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='newsrelatedcourse',
            name='course',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='courses.coursepage', verbose_name='Kurs'),
        ),
    ]
