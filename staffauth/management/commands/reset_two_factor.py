from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from staffauth import devices


class Command(BaseCommand):
    help = (
        "Removes a person's authenticator app and backup codes (lost phone): they sign in "
        "with their password again and, if STAFF_TWO_FACTOR=required, set up a new app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get_by_natural_key(username)
        except user_model.DoesNotExist as error:
            raise CommandError(f"No user {username!r}.") from error
        devices.remove_all(user)
        self.stdout.write(f"Two-factor devices of {username} removed.")
