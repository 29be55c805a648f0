"""Admin views of the catalogue's records, grouped under one menu item."""

import django_filters
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import CopyView as SnippetCopyView
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.admin_display import GermanViewSetMixin

from .forms import has_protected_rows
from .models import CourseDate, CoursePage, TargetGroup, Topic, Trade, Trainer
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


class TrainerViewSet(CatalogueSnippetViewSet):
    model = Trainer
    icon = "user"
    menu_label = _("Trainerinnen und Trainer")
    list_display = ["name", "organisation", "user"]
    list_filter = ["partner"]
    search_fields = ["name", "external_organisation", "partner__name"]
    ordering = ["name"]


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
    items = (CourseDateViewSet, TopicViewSet, TargetGroupViewSet, TradeViewSet, TrainerViewSet)
    menu_icon = "list-ul"
    menu_label = _("Kurskatalog")
    menu_name = "kurskatalog"
    menu_order = 250
