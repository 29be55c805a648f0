from django.apps import AppConfig


class AcademyConfig(AppConfig):
    """The project itself as an app: operations commands and the page cache."""

    name = "academy"
    verbose_name = "Innovationsakademie Handwerk"

    def ready(self):
        from . import checks, pagecache  # noqa: F401 - checks registers the system checks

        # publishing, content changes and seats taken end the cached pages
        pagecache.connect()
