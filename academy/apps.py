from django.apps import AppConfig


class AcademyConfig(AppConfig):
    """The project itself as an app: operations commands and the page cache."""

    name = "academy"
    verbose_name = "Innovationsakademie Handwerk"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
