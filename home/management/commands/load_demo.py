"""Load the demo content of every app of the project (idempotent).

Each app may have a ``demo`` module with a ``load(stdout)`` function; they run
from the ground floor up (home, courses, enrolment), so an upper layer can
build on what a lower one made without the lower one importing it.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home.demo import DEMO_PASSWORD
from home.models import HomePage
from home.sites import follow_site_url

PROJECT_APPS = ["home", "courses", "news", "enrolment", "learning"]


class Command(BaseCommand):
    help = "Lädt die Demo-Inhalte (Partner, Seiten, Kurse, Konten). Mehrfach ausführbar."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Nur laden, wenn die Datenbank noch keine Startseite hat.",
        )

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("Demo-Inhalte werden nicht in eine Produktionsumgebung geladen.")
        if options["if_empty"] and HomePage.objects.exists():
            self.stdout.write("Demo-Inhalte sind schon vorhanden.")
            self._print_accounts()
            return
        with transaction.atomic():
            for app_label in PROJECT_APPS:
                if not apps.is_installed(app_label):
                    continue
                module_name = f"{app_label}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).load(stdout=self.stdout)
            follow_site_url()  # the demo's site answers where SITE_URL says
        call_command("update_index", verbosity=0)
        call_command("rebuild_references_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo-Inhalte geladen."))
        self._print_accounts()

    def _print_accounts(self):
        self.stdout.write("")
        self.stdout.write(f"Demo-Konten (Passwort für alle: {DEMO_PASSWORD}):")
        self.stdout.write("  admin                  Superuser (Verwaltung unter /admin/)")
        self.stdout.write("  redaktion              Redaktion der Akademie")
        self.stdout.write("  trainer                Trainer einiger Demokurse")
        self.stdout.write("  lernende@example.org   Lernende (meldet sich per E-Mail-Link an)")
        self.stdout.write("")
