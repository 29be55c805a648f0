from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kurskatalog")

    def ready(self):
        from home.cache import bump_on_change

        from . import editor_roles
        from .models import CourseDate, TargetGroup, Topic, Trade, Trainer

        # what catalogue pages show besides the pages themselves; free seats are
        # counted without a save and always rendered live
        bump_on_change(Topic, TargetGroup, Trade, Trainer, CourseDate)

        # trainers' rights and the review workflow follow every material page saved,
        # whichever code path saves it
        editor_roles.connect()

        # a trainer's account is guarded like a staff account (password, second
        # factor, never a sign-in link)
        from staffauth.policy import register_trainer_check

        register_trainer_check(has_trainer_profile)


def has_trainer_profile(user) -> bool:
    """The account is linked to a Trainer (Trainer → Benutzerkonto)."""
    return hasattr(user, "trainer_profile")
