"""Background work of the enrolment app (django-tasks)."""

from django_tasks import task


@task()
def send_outgoing_mail(mail_pk: int) -> bool:
    from .mail import deliver

    return deliver(mail_pk)


@task()
def send_pending_mail() -> int:
    """Scheduled: retry due outbox rows."""
    from .mail import deliver, due_mail_ids

    return sum(1 for pk in due_mail_ids() if deliver(pk))


@task()
def send_reminders() -> int:
    """Scheduled: reminders for dates starting soon."""
    from . import services

    return services.send_reminders()


@task()
def send_invoice_reminders() -> int:
    """Scheduled: payment reminders for overdue invoices."""
    from . import invoicing

    return invoicing.send_payment_reminders()
