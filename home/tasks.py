"""Background work of the site's ground floor (django-tasks)."""

from django_tasks import task


@task()
def prepare_image_renditions(image_pk: int) -> int:
    """The renditions of an image just uploaded or edited, before a visitor asks."""
    from wagtail.images import get_image_model

    from .renditions import prepare

    return prepare(get_image_model().objects.filter(pk=image_pk))
