from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kurskatalog")

    def ready(self):
        from home.cache import watch

        from .models import (
            CourseDate,
            FundingProgramme,
            FundingSizeBand,
            ProviderSettings,
            TargetGroup,
            Topic,
            Trade,
            Trainer,
        )

        # what catalogue pages show besides the pages themselves (content version);
        # free seats are counted by queryset updates and always rendered live
        watch(Topic, TargetGroup, Trade, Trainer, CourseDate)
        # the funding box of a course page evaluates the programmes and the provider's
        # approvals (courses/funding.py)
        watch(FundingProgramme, FundingSizeBand)
        watch(ProviderSettings, on_create=False)

        # a course is found by the places of its dates: a saved or removed date
        # updates its course's search entry (dates are not saved with the page)
        from django.db.models.signals import post_delete, post_save

        post_save.connect(_reindex_course, sender=CourseDate, dispatch_uid="course-date-index")
        post_delete.connect(_reindex_course, sender=CourseDate, dispatch_uid="course-date-unindex")

        # a trainer's account is guarded like a staff account (password, second
        # factor, never a sign-in link)
        from staffauth.policy import register_trainer_check

        register_trainer_check(has_trainer_profile)


def _reindex_course(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from django.db import transaction
    from wagtail.search import index

    from .models import CoursePage

    def update():
        course = CoursePage.objects.filter(pk=instance.course_id).first()
        if course is not None:
            index.insert_or_update_object(course)

    transaction.on_commit(update)


def has_trainer_profile(user) -> bool:
    """The account is linked to a Trainer (Trainer → Benutzerkonto)."""
    return hasattr(user, "trainer_profile")
