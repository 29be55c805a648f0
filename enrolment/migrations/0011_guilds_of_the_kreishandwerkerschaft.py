"""The guilds (Innungen) of the Kreishandwerkerschaft Region Meißen, as staff found
them when bookings began; staff maintain the list from then on. Run twice, nothing
changes."""

from django.db import migrations

GUILDS = (
    "Bäcker-Innung Meißen",
    "Fleischer-Innung Meißen-Riesa",
    "Elektro-Innung Meißen",
    "Innung Sanitär-Heizung-Klima Meißen",
    "Tischler-Innung Region Meißen",
    "Dachdecker-Innung Meißen",
    "Maler- und Lackierer-Innung Meißen",
    "Kfz-Innung Riesa-Großenhain",
    "Friseur-Innung Meißen",
    "Bau-Innung Meißen",
    "Metall-Innung Riesa",
    "Zimmerer-Innung Meißen",
    "Innung des Gebäudereiniger-Handwerks Meißen",
    "Innung der Raumausstatter Meißen",
)


def create(apps, schema_editor):
    Guild = apps.get_model("enrolment", "Guild")
    for position, name in enumerate(GUILDS):
        Guild.objects.get_or_create(name=name, defaults={"sort_order": position})


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0010_bookings_and_guilds")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
