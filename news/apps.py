from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Neuigkeiten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from taggit.models import Tag

        from home.cache import watch

        # an article shows its tags' names (and the news section all of them)
        watch(Tag)
