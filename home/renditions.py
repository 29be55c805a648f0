"""Renditions made ahead of time, so that no visitor's request has to make one.

``RENDITION_SPECS`` lists every image size and format the templates and the
code ask for (as written in the templates; brace groups as in ``{% picture %}``).
``prepare_renditions`` (a management command, run on deploy and by the
benchmark) and the task started when an image is uploaded create what is
missing. A test keeps the list in step with the templates.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_save
from wagtail.images import get_image_model
from wagtail.images.models import Filter

RENDITION_SPECS = (
    # home page hero, course pages, catalogue cards, trainers, partner logos
    "fill-640x400 format-webp",
    "fill-960x540 format-webp",
    "fill-640x360 format-webp",
    "fill-96x96 format-webp",
    "height-60",
    # news: lead image, cards; image blocks and galleries in page bodies
    "format-{webp,jpeg} fill-{480x270,800x450,1200x675}",
    "format-{webp,jpeg} fill-{400x250,800x500}",
    "format-{avif,webp,jpeg} width-{480,800,1200}",
    "format-{webp,jpeg} fill-{400x300,800x600}",
    # sharing images (OpenGraph) and structured data
    "fill-1200x630",
    "fill-1200x675",
)


def filter_specs() -> list[str]:
    """Every spec, expanded, in Wagtail's own notation ("fill-480x270|format-webp")."""
    specs = []
    for spec in RENDITION_SPECS:
        specs.extend(Filter.expand_spec(spec))
    return specs


def prepare(images=None) -> int:
    """Create the missing renditions of the images (all images by default); returns
    how many images were looked at."""
    specs = filter_specs()
    images = get_image_model().objects.all() if images is None else images
    count = 0
    for image in images.iterator() if hasattr(images, "iterator") else images:
        image.get_renditions(*specs)
        count += 1
    return count


def prefetch_renditions(images) -> None:
    """The renditions of these images (``None`` left out) read in one query: every
    size a page asks of them afterwards comes from memory, whether its sharing tags,
    structured data or markup ask first (Wagtail's ``prefetch_renditions()`` for
    images already loaded)."""
    prefetch_related_objects([image for image in images if image is not None], "renditions")


def _image_saved(sender, instance, **kwargs):
    from .tasks import prepare_image_renditions

    if settings.RENDITIONS_ON_UPLOAD:
        transaction.on_commit(lambda: prepare_image_renditions.enqueue(instance.pk))


def connect() -> None:
    """An uploaded or edited image gets its renditions in the background."""
    post_save.connect(_image_saved, sender=get_image_model(), dispatch_uid="image-renditions")
