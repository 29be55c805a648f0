from django.conf import settings
from django.core.management.base import BaseCommand

from enrolment import services


class Command(BaseCommand):
    help = (
        "Anonymisiert Anmeldungen, deren Termin länger als die Aufbewahrungsfrist vorbei ist, "
        "und lässt verfallene unbestätigte Anmeldungen verfallen. Mehrfach ausführbar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.ENROLMENT_RETENTION_DAYS,
            help="Tage nach dem Ende des Termins (Standard: ENROLMENT_RETENTION_DAYS)",
        )

    def handle(self, *args, **options):
        expired = services.expire_pending()
        count = services.anonymise_ended(days=options["days"])
        self.stdout.write(f"{expired} Anmeldung(en) verfallen, {count} anonymisiert.")
