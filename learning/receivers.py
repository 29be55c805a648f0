"""What this app does when enrolment announces a change (``enrolment.signals``):
enrolment never imports learning."""

from enrolment import signals
from enrolment.models import Enrolment


def seats_changed(sender, email, **kwargs):
    """Access to course material follows the person's seats."""
    from . import learner

    learner.sync_access(email)


def enrolment_confirmed(sender, enrolment, **kwargs):
    """The first confirmation creates the learner's account."""
    from . import learner

    learner.link_user(enrolment)


def confirmed_in_browser(sender, request, enrolment, **kwargs):
    """Pressing "confirm" proves the address: a learner is signed in."""
    from . import learner

    learner.sign_in_after_confirmation(request, enrolment.email)


def connect():
    signals.seats_changed.connect(seats_changed, sender=Enrolment, dispatch_uid="learning_seats")
    signals.enrolment_confirmed.connect(
        enrolment_confirmed, sender=Enrolment, dispatch_uid="learning_confirmed"
    )
    signals.confirmed_in_browser.connect(
        confirmed_in_browser, sender=Enrolment, dispatch_uid="learning_signin"
    )
