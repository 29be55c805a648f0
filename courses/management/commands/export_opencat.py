"""Write the catalogue for KURSNET as an open-Qcat 1.1 file (see README, "KURSNET")."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.models import Site

from courses import opencat


def day(value: str) -> datetime.date:
    try:
        parsed = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--update-since: Datum als JJJJ-MM-TT erwartet, nicht {value!r}"
        ) from error
    if parsed.year < 2000:
        raise CommandError("--update-since: bitte ein Datum ab dem Jahr 2000")
    return parsed


class Command(BaseCommand):
    help = (
        "Write the catalogue for KURSNET (open-Qcat 1.1): every course and date that may "
        "be listed, or with --update-since only what changed since that day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the file to write ('-': stdout)")
        parser.add_argument(
            "--update-since",
            type=day,
            help="YYYY-MM-DD: an update catalogue with the changes and deletions since then",
        )

    def handle(self, *args, output, update_since=None, **options):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("Es gibt keine Standard-Website.")
        since = None
        if update_since is not None:
            since = timezone.make_aware(datetime.datetime.combine(update_since, datetime.time()))
        result = opencat.review()
        try:
            data = opencat.build_catalogue(site, since=since, review_result=result)
        except opencat.ExportError as error:
            raise CommandError(str(error)) from error
        if output == "-":
            self.stdout.write(data.decode())
        else:
            Path(output).write_bytes(data)
        self.stderr.write(
            f"{len(result.listed)} Kurs(e) mit {result.date_count} Termin(en) für KURSNET geeignet; "
            f"nicht gelistet: {len(result.refused)} Kurs(e), {len(result.refused_dates)} Termin(e)."
        )
