"""Staff tools for bookings ("Buchungen"): the list with booker, business, guild, date,
participants and amount; the inspect view with the participants; staff cancel a
booking (as the academy: no fee), they never delete one. The guilds and a course's
own booking terms are snippets; the academy's terms are a site setting."""

import django_filters
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import CourseDate
from home.admin_display import GermanInspectView, GermanViewSetMixin
from home.spreadsheets import GermanSpreadsheetMixin
from staffauth import policy

from . import services
from .models import Booking, CourseBookingTerms, Enrolment, Guild

BOOKER_FIELDS = [
    "company",
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "vat_id",
    "order_reference",
]


class BookingFilterSet(WagtailFilterSet):
    course_date = django_filters.ModelChoiceFilter(
        label=_("Termin"),
        queryset=CourseDate.objects.select_related("course").order_by("-start"),
    )
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Booking.Status.choices)
    guild = django_filters.ModelChoiceFilter(label=_("Innung"), queryset=Guild.objects.all())

    class Meta:
        model = Booking
        fields = []


class CountColumn(Column):
    def get_value(self, instance):
        return instance.n_people


class AmountColumn(Column):
    def get_value(self, instance):
        return f"{instance.amount_total():.2f} €".replace(".", ",")


class BookingIndexView(GermanSpreadsheetMixin, generic.IndexView):
    export_sheet_title = _("Buchungen")

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("course_date__course", "guild")
            .annotate(
                n_people=Count(
                    "enrolments", filter=~Q(enrolments__cancelled_by="substituted"), distinct=True
                )
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if (
            instance.status != Booking.Status.CANCELLED
            and self.permission_policy.user_has_permission(self.request.user, "change")
        ):
            buttons.append(
                MenuItem(
                    _("Stornieren (durch die Akademie)"),
                    url=reverse("enrolment_booking_cancel", args=[instance.pk]),
                    icon_name="cross",
                    priority=5,
                )
            )
        return buttons


class BookingInspectView(GermanInspectView):
    EXTRA = {
        "participants": _("Teilnehmende"),
        "amount": _("Summe für die Plätze"),
    }

    def get_field_label(self, field_name, field):
        if field_name in self.EXTRA:
            return str(self.EXTRA[field_name])
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        if field_name == "participants":
            people = self.object.enrolments.order_by("pk")
            return format_html(
                "<ul>{}</ul>",
                format_html_join(
                    "",
                    '<li><a href="{}">{}</a> – {}{}</li>',
                    (
                        (
                            reverse("enrolment_admin:inspect", args=[p.pk]),
                            p,
                            p.email or _("ohne E-Mail-Adresse"),
                            f" – {p.get_status_display()}"
                            + (
                                f" – {_('Stornogebühr')} {p.cancellation_fee} €"
                                if p.cancellation_fee
                                else ""
                            ),
                        )
                        for p in people
                    ),
                ),
            )
        if field_name == "amount":
            return f"{self.object.amount_total():.2f} €".replace(".", ",")
        return super().get_field_display_value(field_name, field)


class BookingPolicy(ModelPermissionPolicy):
    """Bookings come from the website; staff look, correct the billing address and
    cancel. Nobody adds or deletes one here. Only academy staff (the access policy)."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        if not policy.is_academy_staff(user):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


BOOKING_POLICY = BookingPolicy(Booking)


class BookingViewSet(GermanViewSetMixin, ModelViewSet):
    model = Booking
    name = "enrolment_bookings"
    icon = "doc-full-inverse"
    menu_label = _("Buchungen")
    url_prefix = "buchungen"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = BookingInspectView
    index_view_class = BookingIndexView
    filterset_class = BookingFilterSet
    search_fields = ["company", "first_name", "last_name", "email", "order_reference"]
    search_backend_name = None
    list_display = [
        "__str__",
        "first_name",
        "last_name",
        "company",
        "guild",
        "course_date",
        CountColumn("n_people", label=_("Personen")),
        AmountColumn("amount", label=_("Summe")),
        "status",
        "created_at",
    ]
    list_export = [
        "company",
        "first_name",
        "last_name",
        "email",
        "guild",
        "course_date",
        "unit_price",
        "price_kind",
        "status",
        "created_at",
    ]
    export_filename = "buchungen"
    ordering = ["-created_at"]
    form_fields = BOOKER_FIELDS
    inspect_view_fields = [
        "course_date",
        "status",
        *BOOKER_FIELDS,
        "guild",
        "is_consumer",
        "unit_price",
        "price_kind",
        "vat_rate",
        "participants",
        "amount",
        "keep_together",
        "terms_version",
        "withdrawal_consent_at",
        "withdrawal_consent_version",
        "created_at",
        "confirmed_at",
        "cancelled_at",
    ]

    @property
    def permission_policy(self):
        return BOOKING_POLICY


def cancel_booking_by_academy(booking_id: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from .mail import queue_booking_mail

    now = timezone.now()
    with transaction.atomic():
        booking = Booking.objects.get(pk=booking_id)
        ids = list(booking.enrolments.active().values_list("pk", flat=True))
        # the waitlisted first: nobody of this booking moves up onto a freed seat
        order = dict(booking.enrolments.filter(pk__in=ids).values_list("pk", "status"))
        ids.sort(key=lambda pk: (order[pk] != Enrolment.Status.WAITLISTED, pk))
        outcomes = [
            services.cancel(pk, by=Enrolment.CancelledBy.STAFF, now=now, notify=False) for pk in ids
        ]
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if booking.status != Booking.Status.CANCELLED:
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at"])
        queue_booking_mail("booking_cancelled", booking, cancelled=[o.enrolment for o in outcomes])


class GuildViewSet(SnippetViewSet):
    model = Guild
    icon = "group"
    menu_label = _("Innungen")
    add_to_admin_menu = False
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]
    panels = [FieldPanel("name"), FieldPanel("sort_order")]


TERMS_PANELS = [
    FieldPanel("free_until_days"),
    FieldPanel("fee_stages"),
    FieldPanel("substitute_allowed"),
    FieldPanel("decision_days"),
    FieldPanel("academy_cancellation_text"),
    FieldPanel("version"),
]


class CourseTermsViewSet(SnippetViewSet):
    model = CourseBookingTerms
    icon = "doc-full"
    menu_label = _("Abweichende Buchungsbedingungen")
    add_to_admin_menu = False
    list_display = ["__str__", "free_until_days", "version"]
    panels = [
        FieldPanel("course"),
        MultiFieldPanel(TERMS_PANELS, heading=_("Bedingungen für diesen Kurs")),
    ]
