"""Reactions to what editors do in the catalogue (wired in EnrolmentConfig.ready).

Dates are rows of their own, never part of a page revision, so publishing or
reverting a course changes no booking. A date saved by an editor may have more
seats now: the waitlist moves up, in the services' own transaction.
"""

from django.db.models.signals import post_save
from django.dispatch import Signal

from courses.models import CourseDate

#: A person's seats changed (confirmed, cancelled, moved up, no-show, erased):
#: ``email``. Sent inside the transaction that changed them; the learning app keeps
#: access to course material in step.
seats_changed = Signal()

#: An enrolment was confirmed for the first time by its person: ``enrolment``. The
#: learning app creates the learner's account.
enrolment_confirmed = Signal()

#: The confirmation page was submitted by the person: ``request``, ``enrolment``.
#: The learning app may sign the person in.
confirmed_in_browser = Signal()


def date_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return
    from . import services

    # who moved up, for the view that saved the date to name them
    instance.promoted_on_save = services.fill_free_seats(instance.pk)


def connect():
    post_save.connect(date_saved, sender=CourseDate, dispatch_uid="enrolment_date_saved")
