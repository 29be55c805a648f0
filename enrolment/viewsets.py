"""Staff tools in the Wagtail admin: enrolments and the mail outbox."""

import django_filters
from django import forms
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from courses.models import CourseDate, CoursePage, Topic
from home.admin_display import GermanInspectView, GermanViewSetMixin
from home.spreadsheets import GermanSpreadsheetMixin

from . import services
from .forms import StaffEnrolmentForm
from .invoice_admin import InvoiceViewSet
from .models import MAIL_KINDS, PERSON_FIELDS, Enrolment, OutgoingMail


class EnrolmentFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Kurs"),
        field_name="course_date__course",
        queryset=CoursePage.objects.order_by("title"),
    )
    course_date = django_filters.ModelChoiceFilter(
        label=_("Termin"),
        queryset=CourseDate.objects.select_related("course").order_by("-start"),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Enrolment.Status.choices
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Thema"),
        field_name="course_date__course__topics",
        queryset=Topic.objects.all(),
        distinct=True,
    )

    class Meta:
        model = Enrolment
        fields = []


class DateColumn(Column):
    """The date, linked to its participant list."""

    def get_value(self, instance):
        return instance.course_date

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = format_html(
            '<a href="{}">{}</a>',
            reverse("enrolment_participants", args=[instance.course_date_id]),
            instance.course_date,
        )
        return context


class StatusColumn(Column):
    def get_value(self, instance):
        if instance.status == Enrolment.Status.WAITLISTED:
            return _("Warteliste, Platz %(n)s") % {"n": instance.waitlist_position}
        return instance.get_status_display()


class EnrolmentIndexView(GermanSpreadsheetMixin, generic.IndexView):
    export_sheet_title = _("Anmeldungen")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("course_date__course")

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        date_id = self.request.GET.get("course_date", "")
        if date_id.isdigit() and CourseDate.objects.filter(pk=date_id).exists():
            buttons.append(
                HeaderButton(
                    _("Teilnehmerliste"),
                    url=reverse("enrolment_participants", args=[int(date_id)]),
                    icon_name="list-ul",
                )
            )
        buttons.append(
            HeaderButton(_("Daten einer Person"), url=reverse("enrolment_person"), icon_name="user")
        )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for action, label, icon in ACTIONS:
            if action_allowed(instance, action):
                buttons.append(
                    MenuItem(
                        label,
                        url=reverse("enrolment_action", args=[instance.pk, action]),
                        icon_name=icon,
                        priority=5,
                    )
                )
        return buttons


ACTIONS = [
    ("confirm", _("Bestätigen"), "check"),
    ("promote", _("Von der Warteliste nachrücken"), "arrow-up"),
    ("cancel", _("Abmelden"), "cross"),
]


def action_allowed(enrolment, action) -> bool:
    if enrolment.anonymised_at:
        return False
    if action == "confirm":
        return enrolment.status in (Enrolment.Status.PENDING, Enrolment.Status.EXPIRED)
    if action == "promote":
        return (
            enrolment.status == Enrolment.Status.WAITLISTED
            and services.promote_refusal(enrolment.course_date) is None
        )
    if action == "cancel":
        return enrolment.is_active
    return False


def action_refusal(enrolment, action) -> str:
    """Why ``action`` cannot be done to ``enrolment`` now ("" when it can)."""
    if action_allowed(enrolment, action):
        return ""
    if action == "promote" and enrolment.status == Enrolment.Status.WAITLISTED:
        return services.promote_refusal(enrolment.course_date) or ""
    return str(_("Diese Änderung ist im jetzigen Status nicht möglich."))


class EnrolmentCreateView(generic.CreateView):
    """Staff add a participant (e.g. by phone): the same seat rules as online."""

    def get_initial(self):
        initial = super().get_initial()
        date_id = self.request.GET.get("course_date", "")
        if date_id.isdigit():
            initial["course_date"] = int(date_id)
        return initial

    def form_valid(self, form):
        self.form = form
        try:
            outcome = services.staff_enrol(
                form.cleaned_data["course_date"].pk, form.cleaned_data, bill=True
            )
        except services.EnrolmentError as error:
            form.add_error(None, error.message)
            self.produced_error_message = error.message
            return self.form_invalid(form)
        self.object = outcome.enrolment
        return self.save_action()

    def get_success_message(self, instance):
        if instance.status == Enrolment.Status.WAITLISTED:
            return _(
                "%(name)s steht auf Platz %(n)s der Warteliste. Die Nachricht darüber geht "
                "per E-Mail an %(email)s."
            ) % {"name": instance, "n": instance.waitlist_position, "email": instance.email}
        return _(
            "%(name)s ist angemeldet. Die Anmeldebestätigung geht per E-Mail an %(email)s."
        ) % {"name": instance, "email": instance.email}


class StaffAddForm(StaffEnrolmentForm):
    course_date = forms.ModelChoiceField(
        label=_("Termin"),
        queryset=CourseDate.objects.none(),
    )

    class Meta(StaffEnrolmentForm.Meta):
        fields = ["course_date", *StaffEnrolmentForm.Meta.fields]

    accept_started = forms.BooleanField(
        label=_("Der Termin hat schon begonnen – die Person trotzdem nachträglich eintragen"),
        required=False,
    )

    def __init__(self, *args, for_user=None, **kwargs):
        kwargs["priced"] = True
        super().__init__(*args, **kwargs)
        self.fields["course_date"].queryset = (
            CourseDate.objects.filter(status=CourseDate.Status.PLANNED)
            .select_related("course")
            .order_by("start")
        )
        self.fields["billing"].required = False

    def clean(self):
        """A date that has begun is accepted only when staff tick that they mean it
        (e.g. someone who came without enrolling): nobody picks a past date by mistake."""
        cleaned = super().clean()
        course_date = cleaned.get("course_date")
        if (
            course_date is not None
            and course_date.has_started()
            and not cleaned.get("accept_started")
        ):
            self.add_error(
                "course_date",
                _(
                    "Dieser Termin hat am %(start)s schon begonnen. Wenn Sie die Person "
                    "nachträglich eintragen wollen, setzen Sie unten den Haken „trotzdem "
                    "nachträglich eintragen“. Sie bekommt dann sofort die E-Mail dazu."
                )
                % {"start": date_format(localtime(course_date.start), "j. F Y, H:i")},
            )
        return cleaned


class EnrolmentInspectView(GermanInspectView):
    """The enrolment, and what its course date costs the person (courses/funding.py)."""

    template_name = "enrolment/admin/enrolment_inspect.html"

    def get_context_data(self, **kwargs):
        from courses.funding import calculate_for_booking

        context = super().get_context_data(**kwargs)
        context["funding_calculation"] = calculate_for_booking(self.object.course_date)
        return context


# Staff correct a person's details, but not the address the bookings hang on.
EDIT_FIELDS = [name for name in PERSON_FIELDS if name != "email"]


class EnrolmentViewSet(GermanViewSetMixin, ModelViewSet):
    model = Enrolment
    name = "enrolment_admin"
    icon = "group"
    menu_label = _("Anmeldungen")
    menu_order = 100
    url_prefix = "anmeldungen"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = EnrolmentInspectView
    index_view_class = EnrolmentIndexView
    add_view_class = EnrolmentCreateView
    filterset_class = EnrolmentFilterSet
    search_fields = ["first_name", "last_name", "email", "company"]
    search_backend_name = None
    list_display = [
        "__str__",
        "email",
        "company",
        DateColumn("course_date", label=_("Termin")),
        StatusColumn("status", label=_("Status")),
        "created_at",
    ]
    list_export = [
        "first_name",
        "last_name",
        "email",
        "company",
        "course_date",
        "status",
        "waitlist_position",
        "created_at",
    ]
    export_filename = "anmeldungen"
    ordering = ["-created_at"]
    form_fields = EDIT_FIELDS
    inspect_view_fields = [
        "course_date",
        "status",
        "waitlist_position",
        *EDIT_FIELDS,
        "email",
        "privacy_version",
        "source",
        "created_at",
        "email_confirmed_at",
        "seat_confirmed_at",
        "cancelled_at",
        "cancelled_by",
        "reminder_sent_at",
    ]

    def get_form_class(self, for_update=False):
        if for_update:
            return super().get_form_class(for_update=True)
        return StaffAddForm

    @property
    def permission_policy(self):
        return ENROLMENT_POLICY


class EnrolmentPolicy(ModelPermissionPolicy):
    """Staff cancel enrolments (a seat freed, the waitlist moved up, everybody mailed);
    they never delete them. Rows disappear only by anonymisation, which keeps the
    counts (``services.anonymise``, "Daten einer Person")."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


ENROLMENT_POLICY = EnrolmentPolicy(Enrolment)


class OutboxPolicy(ModelPermissionPolicy):
    """Mail is written by the system only: staff may look and resend, not edit."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        if action == "view":
            return super().user_has_permission(user, "view") or super().user_has_permission(
                user, "change"
            )
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class OutgoingMailFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=OutgoingMail.Status.choices
    )
    kind = django_filters.ChoiceFilter(label=_("Art"), choices=list(MAIL_KINDS.items()))

    class Meta:
        model = OutgoingMail
        fields = []


class OutgoingMailIndexView(GermanSpreadsheetMixin, generic.IndexView):
    export_sheet_title = _("Postausgang")

    def get_base_queryset(self):
        return super().get_base_queryset().order_by("-created_at")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status != OutgoingMail.Status.SENDING:
            buttons.append(
                MenuItem(
                    _("Erneut senden"),
                    url=reverse("enrolment_resend_mail", args=[instance.pk]),
                    icon_name="mail",
                    priority=5,
                )
            )
        return buttons


class OutgoingMailViewSet(GermanViewSetMixin, ModelViewSet):
    model = OutgoingMail
    name = "enrolment_outbox"
    icon = "mail"
    menu_label = _("Postausgang")
    url_prefix = "postausgang"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = GermanInspectView
    index_view_class = OutgoingMailIndexView
    filterset_class = OutgoingMailFilterSet
    search_fields = ["to", "subject"]
    search_backend_name = None
    list_display = ["subject", "to", "status", "attempts", "last_error", "created_at", "sent_at"]
    list_export = [
        "kind",
        "to",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    export_filename = "postausgang"
    form_fields = ["to"]
    inspect_view_fields = [
        "kind",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "text",
    ]

    @property
    def permission_policy(self):
        return OUTBOX_POLICY


OUTBOX_POLICY = OutboxPolicy(OutgoingMail)


from .booking_admin import BookingViewSet  # noqa: E402


class EnrolmentGroup(ModelViewSetGroup):
    menu_label = _("Anmeldungen")
    menu_icon = "group"
    menu_order = 250
    items = [EnrolmentViewSet, BookingViewSet, OutgoingMailViewSet, InvoiceViewSet]
