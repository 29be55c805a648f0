"""Every model whose change shows on a public page moves the content version.

The content version (home/cache.py) ends every cached fragment that shows a snippet,
a setting, an image or a document; it is moved on by signals registered with
``home.cache.watch`` in the apps' ``ready()``. A model forgotten there would keep an
old name, logo or dead download link on the site for a day. This walks what public
pages can show – the page models, snippets and settings, their foreign keys and
many-to-many fields, their inline children, StreamField chooser blocks, rich text,
tags and the rows that point at a page (a course's dates) – and fails for any model
that is neither watched nor listed below with the reason it needs no watching.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from taggit.managers import TaggableManager
from wagtail import blocks
from wagtail.contrib.settings.registry import registry as setting_registry
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, get_page_models
from wagtail.snippets.models import get_snippet_models

from home import cache

#: models public pages reach that need no watching, and why
NOT_SHOWN = {
    "auth.user": "owners, uploaders and trainers' accounts: never shown",
    "contenttypes.contenttype": "fixed for the life of the code",
    "wagtailcore.locale": "one language, fixed",
    "wagtailcore.revision": "a page's content shows once it is published (page events)",
    "wagtailcore.collection": "an image's privacy is read on every request (home/media.py)",
    "learning.courseaccess": "who sees links to the material: read on every request",
    "learning.lessonprogress": "a learner's own progress: never on a public page",
    "learning.quizpass": "a learner's own result: never on a public page",
    "enrolment.guild": "chosen on the booking form only, which is never cached",
    "enrolment.bookingterms": "booking forms, cancel pages and mails only: never cached",
    "enrolment.coursebookingterms": "booking forms, cancel pages and mails only: never cached",
    "enrolment.invoicesettings": "invoices and the admin only: never on a public page",
}

_INHERITED_FROM_PAGE = {relation.name for relation in Page._meta.related_objects}


def _blocks(block):
    yield block
    children = getattr(block, "child_blocks", None)
    if children:
        for child in children.values():
            yield from _blocks(child)
    child = getattr(block, "child_block", None)
    if child is not None:
        yield from _blocks(child)


def _stream_targets(stream_block):
    for block in _blocks(stream_block):
        if isinstance(block, blocks.ChooserBlock):
            yield block.target_model
        if isinstance(block, blocks.RichTextBlock):
            yield from (get_image_model(), get_document_model())


def _targets(model, seen=None):
    """The models whose rows ``model`` shows, following inline children."""
    seen = seen if seen is not None else set()
    if model in seen:
        return
    seen.add(model)
    for field in model._meta.get_fields():
        if isinstance(field, GenericRelation):
            continue  # Wagtail's bookkeeping (workflow states, search index entries)
        if isinstance(field, TaggableManager):
            yield field.related_model
        elif isinstance(field, StreamField):
            yield from _stream_targets(field.stream_block)
        elif isinstance(field, RichTextField):
            yield from (get_image_model(), get_document_model())
        elif field.is_relation and not field.auto_created and field.related_model:
            yield field.related_model
        elif field.one_to_many and field.name not in _INHERITED_FROM_PAGE:
            child = field.related_model
            if issubclass(model, Page) and _is_parental(field):
                yield from _targets(child, seen)  # saved with the page: its references
            elif issubclass(model, Page):
                yield child  # a row of its own that the page shows (a course's dates)
        elif (
            field.one_to_one
            and field.auto_created
            and field.name not in _INHERITED_FROM_PAGE
            and issubclass(model, Page)
            and not issubclass(field.related_model, Page)
        ):
            yield field.related_model


def _is_parental(relation) -> bool:
    from modelcluster.fields import ParentalKey

    return isinstance(relation.field, ParentalKey)


def _shown_models() -> dict:
    starts = [*get_page_models(), *get_snippet_models(), *setting_registry]
    found = {}
    for start in starts:
        if not issubclass(start, Page):
            found.setdefault(start, f"{start._meta.label} itself (snippet or setting)")
        for target in _targets(start):
            if isinstance(target, str) or target is None:
                continue
            found.setdefault(target, start._meta.label)
    return {
        model: where
        for model, where in found.items()
        if not issubclass(model, Page) and model._meta.concrete_model is model
    }


def test_every_model_shown_on_public_pages_moves_the_content_version():
    missing = [
        f"{model._meta.label} (shown by {where})"
        for model, where in _shown_models().items()
        if model not in cache.WATCHED and model._meta.label_lower not in NOT_SHOWN
    ]
    assert missing == [], (
        "Watch these with home.cache.watch() in their app's ready(), or list them in "
        f"NOT_SHOWN with the reason: {missing}"
    )


def test_the_walk_finds_what_the_site_shows():
    """The walk itself reaches the models this site is known to show."""
    from taggit.models import Tag
    from wagtail.models import Site

    from courses.models import CourseDate, TargetGroup, Topic, Trade, Trainer
    from home.models import Partner, SiteSettings

    shown = _shown_models()
    for model in (
        get_document_model(),  # a course's flyer, document lists in page bodies
        get_image_model(),
        Partner,
        SiteSettings,
        Site,
        Tag,
        Topic,
        TargetGroup,
        Trade,
        Trainer,
        CourseDate,
    ):
        assert model in shown, model
        assert model in cache.WATCHED, model


def test_nothing_listed_as_not_shown_is_watched_after_all():
    watched = {model._meta.label_lower for model in cache.WATCHED}
    assert not watched & set(NOT_SHOWN)


def test_a_watched_model_moves_the_version(db):
    from tests.factories import PartnerFactory

    before = cache.content_version()
    partner = PartnerFactory(name="Kreishandwerkerschaft")
    assert cache.content_version() > before
    before = cache.content_version()
    partner.delete()
    assert cache.content_version() > before


def test_models_are_compared_as_classes():
    assert all(
        isinstance(model, type) and issubclass(model, models.Model) for model in cache.WATCHED
    )
