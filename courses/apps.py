from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kurskatalog")

    def ready(self):
        from . import editor_roles

        # trainers' rights and the review workflow follow every material page saved,
        # whichever code path saves it
        editor_roles.connect()
