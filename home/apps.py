from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Website")

    def ready(self):
        from django.db import models
        from django.db.models.signals import post_migrate
        from wagtail.admin.forms.models import register_form_field_override

        from . import cache, renditions, sites, text

        # absolute addresses of pages name the host that SITE_URL names
        post_migrate.connect(sites.follow_site_url, sender=self, dispatch_uid="home-site-url")

        # slugs typed or taken from a title spell out ä, ö, ü and ß (ae, oe, ue, ss)
        register_form_field_override(models.SlugField, override={"widget": text.slug_widget()})

        # publishing, snippets, images and site settings end cached public content
        cache.connect()
        renditions.connect()
