"""Course material: a "Kursmaterial" page below a course, with lesson pages below it.

Who may see the material is decided by Wagtail's own privacy machinery, never by
checks in views: every course has a participants group and a trainers group
(``CourseAccess``); the material page carries a group view restriction for
those groups plus the academy staff group ("Redaktion"), and the course's
private document collection carries the same restriction. The enrolment app
keeps the participants group in step with confirmed and attended enrolments
(through ``add_participant`` / ``remove_participant`` below); this module keeps
the trainers group in step with the course's trainers.

Uploads follow the same groups: the trainers group may add, change and choose
images and documents in the course's collection and nowhere else (the group
"Trainer" itself has no collection permissions), so a trainer's uploads land in
the private collections of their own courses only.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _
from wagtail import blocks, hooks
from wagtail.admin.panels import FieldPanel
from wagtail.blocks import StructBlockValidationError
from wagtail.fields import StreamField
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    Page,
    PageViewRestriction,
)
from wagtail.search import index
from wagtail.signals import page_published

from home.blocks import CaptionedImageBlock, DocumentListBlock, RichTextBlock, VideoBlock
from staffauth.policy import STAFF_GROUP_NAME  # noqa: E402

LESSON_CONTEXT_HOOK = "courses_lesson_context"
#: what a course's trainers group may do in the course's collection (and only there)
TRAINER_COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


# --- Blocks -------------------------------------------------------------------


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=120)
    items = blocks.ListBlock(
        blocks.CharBlock(label=_("Punkt"), max_length=250), label=_("Punkte"), min_num=1
    )

    class Meta:
        icon = "tasks"
        label = _("Checkliste")
        template = "learning/blocks/checklist_block.html"
        description = _("Eine Liste zum Abhaken für den eigenen Betrieb.")
        preview_value = {
            "title": "Vor dem Start",
            "items": ["Zugangsdaten bereitlegen", "Ansprechperson im Betrieb benennen"],
        }


class ExternalLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Linktext"), max_length=160)
    url = blocks.URLBlock(label=_("Adresse"))
    description = blocks.CharBlock(label=_("Beschreibung"), required=False, max_length=250)

    class Meta:
        icon = "link-external"
        label = _("Externer Link")
        template = "learning/blocks/external_link_block.html"
        description = _("Ein Hinweis auf eine Seite außerhalb der Akademie.")
        preview_value = {"title": "Handwerkskammer Dresden", "url": "https://example.org/"}


class QuizAnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Antwort"), max_length=250)
    correct = blocks.BooleanBlock(label=_("richtig"), required=False)


class QuizBlock(blocks.StructBlock):
    """A short self-check: one question, several answers, feedback at once."""

    question = blocks.CharBlock(label=_("Frage"), max_length=300)
    answers = blocks.ListBlock(QuizAnswerBlock(), label=_("Antworten"), min_num=2)
    explanation = blocks.TextBlock(
        label=_("Erklärung"),
        required=False,
        max_length=1000,
        help_text=_("Wird nach dem Antworten gezeigt."),
    )

    class Meta:
        icon = "help"
        label = _("Selbsttest")
        template = "learning/blocks/quiz_block.html"
        description = _("Eine Frage mit Antworten zur Selbstkontrolle, mit sofortiger Rückmeldung.")
        preview_value = {
            "question": "Was gehört in ein digitales Aufmaß?",
            "answers": [
                {"text": "Maße, Fotos und Notizen zur Baustelle", "correct": True},
                {"text": "Nur die Rechnungsnummer", "correct": False},
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        if not any(answer.get("correct") for answer in value.get("answers", [])):
            raise StructBlockValidationError(
                block_errors={
                    "answers": ValidationError(
                        _("Bitte mindestens eine Antwort als richtig markieren.")
                    )
                }
            )
        return value


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = RichTextBlock()
    image = CaptionedImageBlock()
    video = VideoBlock()
    documents = DocumentListBlock()
    checklist = ChecklistBlock()
    link = ExternalLinkBlock()
    quiz = QuizBlock()


def quiz_feedback(body, block_id: str, answer: str):
    """The feedback for one answer to one quiz block, or None for unknown input."""
    for block in body:
        if block.block_type == "quiz" and block.id == block_id:
            try:
                chosen = block.value["answers"][int(answer)]
            except (ValueError, IndexError, TypeError):
                return None
            return {"block_id": block_id, "answer": int(answer), "correct": chosen["correct"]}
    return None


# --- Pages --------------------------------------------------------------------


class MaterialPage(Page):
    """ "Kursmaterial": the container of a course's lessons; carries the view restriction."""

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["learning.LessonPage"]
    max_count_per_parent = 1

    intro = models.TextField(_("Einleitung"), max_length=1000, blank=True)
    certificate_requires_lessons = models.BooleanField(
        _("Bescheinigung erst nach den Pflichtlektionen"),
        default=False,
        help_text=_(
            "Wenn gesetzt, gibt es die Teilnahmebescheinigung erst, wenn alle als Pflicht "
            "markierten Lektionen erledigt sind."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("certificate_requires_lessons"),
    ]

    class Meta:
        verbose_name = _("Kursmaterial")
        verbose_name_plural = _("Kursmaterial")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().specific().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = self.lessons()
        context["course"] = self.get_parent().specific
        for fn in hooks.get_hooks(LESSON_CONTEXT_HOOK):
            fn(self, request, context)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


class LessonPage(Page):
    parent_page_types = ["learning.MaterialPage"]
    subpage_types: list[str] = []

    intro = models.TextField(_("Worum es geht"), max_length=600, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("Dauer in Minuten"), null=True, blank=True
    )
    required = models.BooleanField(
        _("Pflichtlektion"),
        default=True,
        help_text=_("Zählt für die Teilnahmebescheinigung, wenn der Kurs das verlangt."),
    )
    body = StreamField(
        LessonBodyBlock(),
        verbose_name=_("Inhalt"),
        blank=True,
        help_text=_(
            "Dokumente bitte in die Sammlung „Kursmaterial“ dieses Kurses hochladen, "
            "damit nur Teilnehmende sie öffnen können."
        ),
    )

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("duration_minutes"),
        FieldPanel("required"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("Lektion")
        verbose_name_plural = _("Lektionen")

    @property
    def course(self):
        return self.get_parent().get_parent().specific

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        material = self.get_parent().specific
        siblings = list(material.lessons())
        context.update(material=material, course=material.get_parent().specific, lessons=siblings)
        position = next((i for i, lesson in enumerate(siblings) if lesson.pk == self.pk), None)
        if position is not None:
            context["previous_lesson"] = siblings[position - 1] if position > 0 else None
            context["next_lesson"] = (
                siblings[position + 1] if position + 1 < len(siblings) else None
            )
        quiz = request.GET.get("quiz", "")
        if quiz:
            context["quiz_feedback"] = quiz_feedback(self.body, quiz, request.GET.get("antwort"))
        for fn in hooks.get_hooks(LESSON_CONTEXT_HOOK):
            fn(self, request, context)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


# --- Access -------------------------------------------------------------------


class CourseAccess(models.Model):
    """The groups and the private document collection of one course's material."""

    course = models.OneToOneField(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="material_access"
    )
    participants = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("Teilnehmende")
    )
    trainers = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("Kursleitung")
    )
    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, related_name="+", verbose_name=_("Sammlung")
    )

    class Meta:
        verbose_name = _("Zugang zum Kursmaterial")
        verbose_name_plural = _("Zugänge zum Kursmaterial")

    def __str__(self):
        return str(self.course)

    def groups(self) -> list[Group]:
        return [self.participants, self.trainers, staff_group()]


def staff_group() -> Group:
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
    return group


def _unique_name(prefix: str, course) -> str:
    suffix = f" (#{course.pk})"
    return (prefix + course.title)[: 150 - len(suffix)] + suffix


def course_access(course) -> CourseAccess:
    """The course's groups and collection, created on first use."""
    access = (
        CourseAccess.objects.filter(course_id=course.pk)
        .select_related("participants", "trainers", "collection")
        .first()
    )
    if access is not None:
        return access
    with transaction.atomic():
        participants, _c = Group.objects.get_or_create(
            name=_unique_name(str(_("Teilnehmende: ")), course)
        )
        trainers, _c = Group.objects.get_or_create(
            name=_unique_name(str(_("Kursleitung: ")), course)
        )
        root = Collection.get_first_root_node()
        collection = root.add_child(name=_unique_name(str(_("Kursmaterial: ")), course))
        access = CourseAccess.objects.create(
            course_id=course.pk, participants=participants, trainers=trainers, collection=collection
        )
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=BaseViewRestriction.GROUPS
        )
        restriction.groups.set(access.groups())
        grant_collection_permissions(access)
    return access


def grant_collection_permissions(access: CourseAccess) -> None:
    """The trainers group uploads, edits and chooses images and documents in the
    course's collection, and has no permission on any other collection."""
    wanted = set(
        Permission.objects.filter(
            content_type__app_label__in=TRAINER_COLLECTION_PERMISSIONS,
            codename__in=[c for codes in TRAINER_COLLECTION_PERMISSIONS.values() for c in codes],
        ).values_list("pk", flat=True)
    )
    held = GroupCollectionPermission.objects.filter(group_id=access.trainers_id)
    held.exclude(collection_id=access.collection_id, permission_id__in=wanted).delete()
    present = set(held.values_list("permission_id", flat=True))
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(
            group_id=access.trainers_id, collection_id=access.collection_id, permission_id=pk
        )
        for pk in wanted - present
    )


def restrict_material(material: MaterialPage) -> None:
    """Give the material page the course's group restriction (again, if edited away)."""
    access = course_access(material.get_parent())
    restriction = PageViewRestriction.objects.filter(page=material).order_by(
        "pk"
    ).first() or PageViewRestriction(page=material)
    restriction.restriction_type = BaseViewRestriction.GROUPS
    restriction.password = ""
    restriction.save()
    PageViewRestriction.objects.filter(page=material).exclude(pk=restriction.pk).delete()
    restriction.groups.set(access.groups())


def sync_trainers(course) -> None:
    """Trainers of the course with a user account are exactly the trainers group (and
    with it exactly those may upload into the course's collection)."""
    access = course_access(course)
    users = [t.user_id for t in course.trainers.all() if t.user_id]
    access.trainers.user_set.set(users)
    grant_collection_permissions(access)


def add_participant(course, user) -> None:
    course_access(course).participants.user_set.add(user)


def remove_participant(course, user) -> None:
    access = CourseAccess.objects.filter(course_id=course.pk).first()
    if access is not None:
        access.participants.user_set.remove(user)


def can_view_material(course, user) -> bool:
    """What the view restriction decides, for lists that show links or titles only."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    access = CourseAccess.objects.filter(course_id=course.pk).first()
    if access is None:
        return False
    return user.groups.filter(pk__in=[g.pk for g in access.groups()]).exists()


def is_participant(course_id: int, user) -> bool:
    """In the course's participants group (confirmed or attended on one of its dates)."""
    return (
        user.is_authenticated
        and CourseAccess.objects.filter(course_id=course_id, participants__user=user).exists()
    )


def course_id_of_material(page) -> int | None:
    """The course of a material or lesson page (None for any other page)."""
    if isinstance(page, LessonPage):
        page = page.get_parent()
    elif not isinstance(page, MaterialPage):
        return None
    parent = page.get_parent() if page is not None else None
    return parent.pk if parent is not None else None


def second_factor_for_material(request, course_id: int | None):
    """Material seen through a role (trainer, staff), not as a participant, uses that
    role's rights: the session shows the second factor first. Participants, also
    when they hold a role elsewhere, are never asked."""
    from staffauth import gate

    if course_id is None or not request.user.is_authenticated:
        return None
    if is_participant(course_id, request.user):
        return None
    return gate.redirect_for(request)


def material_page_gate(page, request, serve_args=(), serve_kwargs=None):
    """``before_serve_page``: the second factor for material and lesson pages."""
    if not isinstance(page, MaterialPage | LessonPage) or not request.user.is_authenticated:
        return None
    return second_factor_for_material(request, course_id_of_material(page))


def material_document_gate(document, request):
    """``before_serve_document``: the second factor for documents of a course's
    private collection."""
    if not request.user.is_authenticated:
        return None
    course_id = (
        CourseAccess.objects.filter(collection_id=document.collection_id)
        .values_list("course_id", flat=True)
        .first()
    )
    return second_factor_for_material(request, course_id)


def material_of(course) -> MaterialPage | None:
    return MaterialPage.objects.child_of(course).live().first()


# --- Keeping it in step --------------------------------------------------------


def _material_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.depth is None or instance.pk is None:
        return
    parent = instance.get_parent()
    if parent is None or parent.specific_class.__name__ != "CoursePage":
        return
    restrict_material(instance)


def _course_published(sender, instance, **kwargs):
    if sender.__name__ == "CoursePage":
        sync_trainers(instance)


def _trainer_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for course in instance.courses.all():
        sync_trainers(course)


def connect(trainer_model) -> None:
    """Wired in LearningConfig.ready()."""
    post_save.connect(_trainer_saved, sender=trainer_model, dispatch_uid="courses_trainer_access")
    post_save.connect(
        _material_saved, sender=MaterialPage, dispatch_uid="courses_restrict_material"
    )
    page_published.connect(_course_published, dispatch_uid="courses_course_published_access")
