from django.core.management.base import BaseCommand

from enrolment import services


class Command(BaseCommand):
    help = "Verschickt Erinnerungen an Teilnehmende von Terminen, die bald beginnen (einmal je Person)."

    def handle(self, *args, **options):
        count = services.send_reminders()
        self.stdout.write(f"{count} Erinnerung(en) in den Postausgang gelegt.")
