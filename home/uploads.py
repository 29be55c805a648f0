"""Upload and edit forms of images and documents that keep files in allowed collections.

Wagtail offers a person only the collections where they may add (collection
permissions: the course's "Kursleitung" group on its "Kursmaterial" collection,
staff on the root). Two gaps remain, both closed here: with one allowed
collection Wagtail drops the field and ignores a collection named in the POST,
and the multiple uploader keeps a refused file as an unfinished upload. A form
that names any other collection is refused as a whole, with the error on the
file, so that nothing is stored. Settings ``WAGTAILDOCS_DOCUMENT_FORM_BASE`` and
``WAGTAILIMAGES_IMAGE_FORM_BASE`` point here.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

COLLECTION_REFUSED = _(
    "In dieser Sammlung dürfen Sie nichts speichern. Bitte wählen Sie die Sammlung "
    "„Kursmaterial“ Ihres Kurses."
)


class AllowedCollectionMixin:
    def __init__(self, *args, **kwargs):
        self._uploading_user = kwargs.get("user")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        if self._uploading_user is None or not self.is_bound:
            return cleaned_data
        named = self.data.get(self.add_prefix("collection"))
        if named in (None, ""):
            return cleaned_data  # Wagtail fills in the one allowed collection
        allowed = {str(pk) for pk in self.collections.values_list("pk", flat=True)}
        if str(named) not in allowed:
            self.add_error("file" if "file" in self.fields else None, COLLECTION_REFUSED)
        return cleaned_data


class DocumentForm(AllowedCollectionMixin, BaseDocumentForm):
    pass


class ImageForm(AllowedCollectionMixin, BaseImageForm):
    pass
