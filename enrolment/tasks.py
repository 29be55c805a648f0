"""Background work of the enrolment app (django-tasks)."""

from django_tasks import task


@task()
def send_outgoing_mail(mail_pk: int) -> bool:
    from .mail import deliver

    return deliver(mail_pk)
