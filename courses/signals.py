"""Signals of the catalogue (this app imports neither enrolment nor any cache)."""

from django.dispatch import Signal

#: the booking state of course dates changed (seats, status, cancellation): sent by
#: ``CourseDateQuerySet.update``, which enrolment.services uses for every seat taken
#: or given back, so whoever shows seats (the page cache) learns of it
booking_changed = Signal()
