"""Admin views of the catalogue's records, grouped under one menu item."""

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.snippets.views.snippets import CopyView as SnippetCopyView
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.admin_display import GermanViewSetMixin
from staffauth.policy import role_accounts

from .forms import TrainerForm, has_protected_rows
from .models import (
    CourseDate,
    CoursePage,
    FundingProgramme,
    TargetGroup,
    Topic,
    Trade,
    Trainer,
)
from .panels import DATE_URL_NAMESPACE, date_url


class CatalogueSnippetViewSet(GermanViewSetMixin, SnippetViewSet):
    # Plain database look-ups: short lists, and they work the same on SQLite and PostgreSQL.
    search_backend_name = None


class TopicViewSet(CatalogueSnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Themen")
    list_display = ["name", "slug", "colour", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class TargetGroupViewSet(CatalogueSnippetViewSet):
    model = TargetGroup
    icon = "group"
    menu_label = _("Zielgruppen")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class TradeViewSet(CatalogueSnippetViewSet):
    model = Trade
    icon = "cogs"
    menu_label = _("Gewerkegruppen")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class FundingProgrammeViewSet(CatalogueSnippetViewSet):
    """The funding programmes whose rules the course pages and the cost calculator
    evaluate (courses/funding.py)."""

    model = FundingProgramme
    icon = "tasks"
    menu_label = _("Förderprogramme")
    url_prefix = "foerderprogramme"
    list_display = [
        "name",
        "rule",
        Column("status", label=_("Status"), accessor="get_status_display"),
        "as_of",
    ]
    list_filter = ["status", "rule"]
    search_fields = ["name", "short_name"]
    ordering = ["sort_order", "name"]


class AccountSearchForm(BaseFilterForm):
    """Searches accounts by name and e-mail in the database (accounts are not indexed)."""

    q = forms.CharField(
        label=_("Name oder E-Mail-Adresse"),
        widget=forms.TextInput(attrs={"placeholder": _("Suchen")}),
        required=False,
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()[:100]
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        words = query.split()
        for word in words[:5]:
            objects = objects.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(username__icontains=word)
            )
        return objects


class AccountChooseMixin:
    filter_form_class = AccountSearchForm
    ordering = ["last_name", "first_name", "email"]

    def dispatch(self, request, *args, **kwargs):
        # the list names staff: for those who edit trainer profiles only
        if not (
            request.user.has_perm("courses.add_trainer")
            or request.user.has_perm("courses.change_trainer")
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        # only people with a role: a trainer's account never is a learner's
        return role_accounts()

    @property
    def columns(self):
        return [
            *super().columns,
            Column("full_name", label=_("Name"), accessor="get_full_name"),
        ]


class AccountChooseView(AccountChooseMixin, ChooseView):
    pass


class AccountChooseResultsView(AccountChooseMixin, ChooseResultsView):
    pass


class TrainerAccountChooserViewSet(ChooserViewSet):
    """ "Trainer/in → Benutzerkonto": staff and trainer accounts, searched, never a
    list of every learner."""

    model = settings.AUTH_USER_MODEL
    icon = "user"
    choose_one_text = _("Benutzerkonto wählen")
    choose_another_text = _("Anderes Benutzerkonto wählen")
    edit_item_text = _("Bearbeiten")
    choose_view_class = AccountChooseView
    choose_results_view_class = AccountChooseResultsView
    # used on the trainer snippet only, not on every link to an account
    register_widget = False


trainer_account_chooser = TrainerAccountChooserViewSet("trainer_account_chooser")


class TrainerViewSet(CatalogueSnippetViewSet):
    model = Trainer
    icon = "user"
    menu_label = _("Trainerinnen und Trainer")
    list_display = ["name", "organisation", "user"]
    list_filter = ["partner"]
    search_fields = ["name", "external_organisation", "partner__name"]
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("user", widget=trainer_account_chooser.widget_class)
            if panel.field_name == "user"
            else panel
            for panel in Trainer.panels
        ],
        base_form_class=TrainerForm,
    )


class CourseDateCreateView(SnippetCreateView):
    def get_initial_form_instance(self):
        """``?course=<id>`` (the course editor's "Neuen Termin anlegen") preselects the course."""
        instance = super().get_initial_form_instance() or CourseDate()
        course_id = self.request.GET.get("course", "")
        if course_id.isdigit() and len(course_id) < 12:
            course = CoursePage.objects.filter(pk=int(course_id)).first()
            if course is not None:
                instance.course = course
        return instance


class CourseDateCopyView(SnippetCopyView):
    def get_initial_form_instance(self):
        """A copy takes the content of the date, never its seats or its cancellation."""
        original = self.get_object()
        return CourseDate(
            **{
                field.name: getattr(original, field.name)
                for field in CourseDate._meta.concrete_fields
                if not field.primary_key and field.name not in CourseDate.BOOKING_FIELDS
            }
        )


class CourseDateEditView(SnippetEditView):
    def save_instance(self):
        """Under the date's row lock: a capacity below the seats held now (someone may
        have confirmed since the form was opened) is refused, never stored."""
        with transaction.atomic():
            taken = (
                CourseDate.objects.select_for_update()
                .filter(pk=self.object.pk)
                .values_list("seats_confirmed", flat=True)
                .get()
            )
            if self.form.cleaned_data["capacity"] < taken:
                raise _CapacityRace(taken)
            return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except _CapacityRace as race:
            form.add_error("capacity", CourseDate.capacity_error_exception(race.taken))
            return self.form_invalid(form)


class _CapacityRace(Exception):
    def __init__(self, taken):
        super().__init__(taken)
        self.taken = taken


class CourseDateDeleteView(SnippetDeleteView):
    def form_valid(self, form):
        if has_protected_rows(self.object):
            messages.error(
                self.request,
                _(
                    "Dieser Termin hat Anmeldungen und kann nicht gelöscht werden. Sagen Sie "
                    "ihn stattdessen ab – dann erhalten alle Angemeldeten eine E-Mail."
                ),
            )
            return redirect(date_url("edit", self.object.pk))
        return super().form_valid(form)


class CourseDateFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Kurs"),
        queryset=lambda request: CoursePage.objects.order_by("title"),
    )
    upcoming = django_filters.BooleanFilter(
        label=_("Nur kommende"),
        method="filter_upcoming",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = CourseDate
        fields = ["course", "status", "is_online"]

    def filter_upcoming(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        return queryset.filter(start__gte=now) if value else queryset.filter(start__lt=now)


def _seats(date) -> str:
    return _("%(taken)d von %(capacity)d") % {
        "taken": date.seats_confirmed,
        "capacity": date.capacity,
    }


class CourseDateViewSet(GermanViewSetMixin, SnippetViewSet):
    """The dates of all courses; the course editor links here filtered by course."""

    model = CourseDate
    icon = "date"
    menu_label = _("Termine")
    url_prefix = "termine"
    url_namespace = DATE_URL_NAMESPACE
    search_backend_name = None
    search_fields = ["course__title", "city", "venue_name"]
    list_display = [
        "__str__",
        Column("place", label=_("Ort"), accessor="location_text"),
        Column("seats", label=_("Belegt"), accessor=_seats),
        Column("status", label=_("Status"), accessor="get_status_display"),
    ]
    filterset_class = CourseDateFilterSet
    ordering = ["start", "pk"]
    add_view_class = CourseDateCreateView
    copy_view_class = CourseDateCopyView
    edit_view_class = CourseDateEditView
    delete_view_class = CourseDateDeleteView

    def get_queryset(self, request):
        return CourseDate.objects.select_related("course")


class CatalogueViewSetGroup(SnippetViewSetGroup):
    items = (
        CourseDateViewSet,
        TopicViewSet,
        TargetGroupViewSet,
        TradeViewSet,
        TrainerViewSet,
        FundingProgrammeViewSet,
    )
    menu_icon = "list-ul"
    menu_label = _("Kurskatalog")
    menu_name = "kurskatalog"
    menu_order = 250
