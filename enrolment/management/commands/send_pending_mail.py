from django.core.management.base import BaseCommand

from enrolment.mail import deliver, due_mail_ids


class Command(BaseCommand):
    help = "Sendet fällige E-Mails aus dem Postausgang erneut (mit wachsendem Abstand)."

    def handle(self, *args, **options):
        sent = sum(1 for pk in due_mail_ids() if deliver(pk))
        self.stdout.write(f"{sent} E-Mail(s) gesendet.")
