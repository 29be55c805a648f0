from django.core.management.base import BaseCommand

from learning import attendance


class Command(BaseCommand):
    help = (
        "Schließt die Wartelisten begonnener Termine (mit E-Mail an die Wartenden) und "
        "vermerkt nach Ende der Anwesenheitserfassung, wer nicht erschienen ist. "
        "Stündlich oder täglich ausführen; ein zweiter Lauf ändert nichts."
    )

    def handle(self, *args, **options):
        result = attendance.close_dates()
        self.stdout.write(
            f"{result['waitlist_closed']} Wartelistenplatz/-plätze beendet, "
            f"{result['no_shows']} Person(en) als nicht erschienen vermerkt."
        )
