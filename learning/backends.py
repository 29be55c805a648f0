"""Sign-in by e-mail link (django-sesame), for learners only.

The rule who may use a link is ``staffauth.policy.may_sign_in_by_link``: it is
checked when a link is used and on every request of a session a link (or a
confirmed enrolment) opened. A learner who becomes staff or trainer, or sets a
password, loses both: already-sent links stop working and such sessions end.
"""

from sesame.backends import ModelBackend

from staffauth.policy import may_sign_in_by_link


class LearnerLinkBackend(ModelBackend):
    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and may_sign_in_by_link(user)
