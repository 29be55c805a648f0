"""A mail backend that is down (for the outbox tests)."""

from django.core.mail.backends.base import BaseEmailBackend


class DownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Mailserver nicht erreichbar")
