from django.core.management.base import BaseCommand

from home.renditions import filter_specs, prepare


class Command(BaseCommand):
    help = "Create every image rendition the site uses ahead of time (run on deploy)."

    def handle(self, *args, **options):
        count = prepare()
        self.stdout.write(f"{count} images, {len(filter_specs())} renditions each: ready.")
