"""The staff page that cancels a whole booking (kept apart from the viewset, which the
enrolment viewsets import before the admin pages exist)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .admin_views import AdminPage
from .booking_admin import cancel_booking_by_academy
from .models import Booking


class CancelBookingView(AdminPage):
    """Staff cancel a whole booking as the academy (no fee, everybody mailed): GET asks,
    POST acts; a second POST does nothing more."""

    template_name = "enrolment/admin/booking_cancel.html"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.booking = get_object_or_404(
            Booking.objects.select_related("course_date__course"), pk=kwargs["booking_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Buchung stornieren: %(booking)s") % {"booking": self.booking}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            booking=self.booking,
            people=list(self.booking.enrolments.active().order_by("pk")),
            back_url=reverse("enrolment_bookings:inspect", args=[self.booking.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        cancel_booking_by_academy(self.booking.pk)
        messages.success(
            request, _("Die Buchung ist storniert; die buchende Person ist informiert.")
        )
        return redirect("enrolment_bookings:inspect", self.booking.pk)
