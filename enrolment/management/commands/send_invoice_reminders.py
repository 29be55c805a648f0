from django.core.management.base import BaseCommand

from enrolment import invoicing


class Command(BaseCommand):
    help = (
        "Verschickt Zahlungserinnerungen zu offenen Rechnungen, die seit der eingestellten "
        "Zahl von Tagen fällig sind (je Stufe einmal je Rechnung)."
    )

    def handle(self, *args, **options):
        count = invoicing.send_payment_reminders()
        self.stdout.write(f"{count} Zahlungserinnerung(en) in den Postausgang gelegt.")
