from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Website")

    def ready(self):
        from . import cache, renditions

        # publishing, snippets, images and site settings end cached public content
        cache.connect()
        renditions.connect()
