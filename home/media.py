"""Images from MEDIA_ROOT, served only after their collection's privacy is checked.

Originals (``original_images/``) and renditions (``images/``) of an image in a
public collection go to everyone and may be cached anywhere for 30 days. An
image in a private collection (one with a view restriction, or below one: the
"Kursmaterial" collection of a course) goes only to whoever passes every
restriction, as documents do under ``/documents/`` – the course's participants,
its trainers and staff – or may choose or edit the image in the admin (editors
and reviewers see their thumbnails); its responses are ``Cache-Control:
private``. Everyone else gets 404, as for a file that belongs to no image:
a path reveals nothing, and leftovers are never served.

Which image a file belongs to and the privacy of its collection are read from the
database on every request, so a restriction added or an image moved counts at
once. A web server in front must therefore never serve ``MEDIA_ROOT``
itself (docs/deployment.md).
"""

from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.static import serve
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction
from wagtail.permissions import policy_registry

PUBLIC_MAX_AGE = 30 * 24 * 3600
PRIVATE_MAX_AGE = 3600


def image_id_for(name: str) -> int | None:
    """The id of the image whose original or rendition is stored under ``name``."""
    model = get_image_model()
    if name.startswith("original_images/"):
        found = model.objects.filter(file=name).values_list("pk", flat=True)
    else:
        found = (
            model.get_rendition_model().objects.filter(file=name).values_list("image_id", flat=True)
        )
    return found.first()


def restrictions_of(image_id: int) -> list[CollectionViewRestriction]:
    """The view restrictions of the image's collection and of the collections above it."""
    inside = get_image_model().objects.filter(
        pk=image_id, collection__path__startswith=OuterRef("collection__path")
    )
    return list(CollectionViewRestriction.objects.filter(Exists(inside)))


def may_view(request, image_id: int, restrictions) -> bool:
    if all(restriction.accept_request(request) for restriction in restrictions):
        return True
    if not request.user.is_authenticated:
        return False
    model = get_image_model()
    image = model.objects.filter(pk=image_id).first()
    policy = policy_registry.get_by_type(model)
    return image is not None and policy.user_has_any_permission_for_instance(
        request.user, ["choose", "change"], image
    )


def serve_image(request, path):
    """An image file from MEDIA_ROOT (``images/…`` or ``original_images/…``)."""
    if not Path(settings.MEDIA_ROOT, path).is_file():
        raise Http404
    image_id = image_id_for(path)
    if image_id is None:
        raise Http404
    restrictions = restrictions_of(image_id)
    if restrictions and not may_view(request, image_id, restrictions):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if restrictions:
        patch_cache_control(response, private=True, max_age=PRIVATE_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
