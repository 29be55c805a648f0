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

# Bookings (the order behind one or more enrolments; what invoices are made from).
# All three are sent after the transaction that changed the booking has committed
# (``transaction.on_commit``), so a receiver sees the stored state and may do slow work.

#: A booking was confirmed by its booker: ``booking``, ``enrolments`` (the participants
#: who hold a seat now; those on the waitlist are not among them).
booking_confirmed = Signal()

#: A participant of a confirmed booking got a seat later (moved up from the waitlist,
#: or moved onto a seat by staff): ``booking``, ``enrolment``.
booking_participant_confirmed = Signal()

#: A participant of a booking who held a seat or a waitlist place was cancelled:
#: ``booking``, ``enrolment``, ``fee`` (Decimal, what the booker still owes for this
#: person under the booking terms; 0 when free), ``by_academy`` (True when the academy
#: cancelled: the date was called off or staff cancelled; never a fee then). Not sent
#: for a participant swapped for a substitute: the seat and its price carry over.
booking_participant_cancelled = Signal()


def send_after_commit(signal, **kwargs):
    """Send a booking signal once the current transaction has committed."""
    from django.db import transaction

    from .models import Booking

    transaction.on_commit(lambda: signal.send(sender=Booking, **kwargs))


def date_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return
    from . import services

    # who moved up, for the view that saved the date to name them
    instance.promoted_on_save = services.fill_free_seats(instance.pk)


def connect():
    post_save.connect(date_saved, sender=CourseDate, dispatch_uid="enrolment_date_saved")
