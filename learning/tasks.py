"""Background work of the learning app (django-tasks)."""

from django_tasks import task


@task()
def send_signin_link(email: str) -> bool:
    """Put a sign-in mail into the outbox if the address belongs to a learner."""
    from .learner import queue_signin_mail

    return queue_signin_mail(email)
