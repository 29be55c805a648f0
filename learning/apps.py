from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Lernen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.models import CoursePage, Trainer

        from . import (
            editor_roles,
            learner,  # noqa: F401 - registers the sign-in mail's send-time content
            lessons,
            receivers,
        )

        # a course page holds its material
        if "learning.MaterialPage" not in CoursePage.subpage_types:
            CoursePage.subpage_types = [*CoursePage.subpage_types, "learning.MaterialPage"]
        # trainers' groups follow the courses they teach
        lessons.connect(Trainer)
        # trainers' rights and the review workflow follow every material page saved,
        # whichever code path saves it
        editor_roles.connect()
        # what the enrolment services announce
        receivers.connect()
