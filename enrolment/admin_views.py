"""Admin views that are not a model listing: participant lists and exports,
status changes, one person's data, resending a mail."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.models import CourseDate, CoursePage
from home.admin_display import ADMIN_ROOT
from staffauth import policy

from . import exports, personal_data, services
from .mail import resend
from .models import Enrolment, OutgoingMail
from .viewsets import ACTIONS, action_allowed


class StaffOnly:
    permission = "enrolment.change_enrolment"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# who counts as staff or as a course's trainer: the one rule in staffauth.policy
is_staff_user = policy.is_academy_staff
trains = policy.trains


def trainer_dates(user):
    """The dates of the courses ``user`` trains (none for people without a trainer profile)."""
    if not user.is_authenticated:
        return CourseDate.objects.none()
    return CourseDate.objects.filter(course__trainers__user_id=user.pk).distinct()


class StaffOrTrainer:
    """Staff see every date; a trainer only the dates of their own courses (else 403)."""

    def get_course(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.can_manage = is_staff_user(request.user)
        if not self.can_manage and not trains(request.user, self.get_course()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AdminPage(StaffOnly, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "group"
    breadcrumbs_items = ADMIN_ROOT

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("enrolment_admin:index"), "label": _("Anmeldungen")},
            {"url": "", "label": self.get_page_title()},
        ]


def date_counts(queryset):
    return queryset.annotate(
        n_confirmed=Count("enrolments", filter=Q(enrolments__status="confirmed")),
        n_waitlisted=Count("enrolments", filter=Q(enrolments__status="waitlisted")),
        n_pending=Count("enrolments", filter=Q(enrolments__status="pending")),
    )


class TrainerAdminPage(StaffOrTrainer, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "group"
    breadcrumbs_items = ADMIN_ROOT

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        if self.can_manage:
            items.append({"url": reverse("enrolment_admin:index"), "label": _("Anmeldungen")})
        return [*items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.can_manage
        return context


class ParticipantsView(TrainerAdminPage):
    template_name = "enrolment/admin/participants.html"

    def get_course(self):
        return self.course_date.course

    def get_page_title(self):
        return _("Teilnehmerliste: %(date)s") % {"date": self.course_date}

    def dispatch(self, request, *args, **kwargs):
        self.course_date = get_object_or_404(
            CourseDate.objects.select_related("course"), pk=kwargs["date_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolments = self.course_date.enrolments.filter(anonymised_at__isnull=True)
        context.update(
            course_date=self.course_date,
            confirmed=enrolments.filter(status__in=[*Enrolment.SEAT_STATUSES, "no_show"]).order_by(
                "last_name", "first_name"
            ),
            waitlisted=enrolments.filter(status="waitlisted").order_by("waitlist_position"),
            pending=enrolments.filter(status="pending").order_by("created_at"),
            cancelled_count=self.course_date.enrolments.filter(status="cancelled").count(),
            add_url=reverse("enrolment_admin:add") + f"?course_date={self.course_date.pk}",
            listing_url=reverse("enrolment_admin:index") + f"?course_date={self.course_date.pk}",
        )
        return context


class ExportView(StaffOrTrainer, TemplateView):
    def get_course(self):
        return self.course_date.course

    def dispatch(self, request, *args, **kwargs):
        self.course_date = get_object_or_404(
            CourseDate.objects.select_related("course"), pk=kwargs["date_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, date_id, fmt):
        course_date = self.course_date
        if fmt == "csv":
            body, content_type = exports.as_csv(course_date), "text/csv; charset=utf-8"
        elif fmt == "xlsx":
            body = exports.as_xlsx(course_date)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            raise Http404
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.filename(course_date, fmt)}"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


class CourseDatesView(TrainerAdminPage):
    """All dates of one course with seat and waitlist counts."""

    template_name = "enrolment/admin/course_dates.html"

    def get_course(self):
        return self.course

    def dispatch(self, request, *args, **kwargs):
        self.course = get_object_or_404(CoursePage, pk=kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Termine und Teilnehmende: %(course)s") % {"course": self.course.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["course"] = self.course
        context["dates"] = date_counts(CourseDate.objects.filter(course=self.course)).order_by(
            "start"
        )
        return context


class ActionView(AdminPage):
    """Confirm, promote or cancel one enrolment: GET asks, POST acts."""

    template_name = "enrolment/admin/action.html"
    labels = {action: label for action, label, _icon in ACTIONS}

    def dispatch(self, request, *args, **kwargs):
        self.enrolment = get_object_or_404(
            Enrolment.objects.select_related("course_date__course"), pk=kwargs["pk"]
        )
        self.action = kwargs["action"]
        if self.action not in self.labels:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.labels[self.action]}: {self.enrolment}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            enrolment=self.enrolment,
            action_label=self.labels[self.action],
            allowed=action_allowed(self.enrolment, self.action),
            back_url=reverse("enrolment_participants", args=[self.enrolment.course_date_id]),
        )
        return context

    def post(self, request, *args, **kwargs):
        back = reverse("enrolment_participants", args=[self.enrolment.course_date_id])
        if not action_allowed(self.enrolment, self.action):
            messages.warning(request, _("Diese Änderung ist im jetzigen Status nicht möglich."))
            return redirect(back)
        try:
            if self.action == "confirm":
                outcome = services.staff_confirm(self.enrolment.pk)
            elif self.action == "promote":
                outcome = services.promote_waiting(self.enrolment.pk)
            else:
                outcome = services.cancel(self.enrolment.pk, by=Enrolment.CancelledBy.STAFF)
        except services.EnrolmentError as error:
            messages.error(request, str(error.message))
            return redirect(back)
        enrolment = outcome.enrolment
        if enrolment.status == Enrolment.Status.WAITLISTED:
            messages.success(
                request,
                _("%(name)s steht auf Platz %(n)s der Warteliste.")
                % {"name": enrolment, "n": enrolment.waitlist_position},
            )
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s")
                % {"name": enrolment, "status": enrolment.get_status_display()},
            )
        return redirect(back)


class PersonForm(forms.Form):
    email = forms.CharField(max_length=254, required=False)


class PersonView(AdminPage):
    """One person's data on request: look up by e-mail, export as JSON, or erase."""

    template_name = "enrolment/admin/person.html"
    page_title = gettext_lazy("Daten einer Person")
    permission = "enrolment.delete_enrolment"

    def _email(self):
        """The address asked for, checked by a form field before any query (no NUL
        characters; PostgreSQL cannot compare them); "" when there is none."""
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        form = PersonForm({"email": (source.get("email") or "")[:254]})
        if not form.is_valid():
            return ""
        return form.cleaned_data["email"].lower()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        email = self._email()
        context["email"] = email
        context["enrolments"] = (
            Enrolment.objects.filter(email=email).select_related("course_date__course")
            if email
            else []
        )
        return context

    def post(self, request, *args, **kwargs):
        email = self._email()
        if not email:
            if request.POST.get("email"):
                messages.error(
                    request,
                    _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."),
                )
            return redirect("enrolment_person")
        if request.POST.get("action") in ("export", "export_html"):
            data = personal_data.person_data(email)
            if request.POST["action"] == "export_html":
                context = personal_data.html_context(data)
                context["back_url"] = f"{reverse('enrolment_person')}?{urlencode({'email': email})}"
                response = render(request, "enrolment/personal_data.html", context)
            else:
                response = HttpResponse(
                    personal_data.as_json(data), content_type="application/json; charset=utf-8"
                )
                response["Content-Disposition"] = (
                    f'attachment; filename="{personal_data.filename("json")}"'
                )
            response["Cache-Control"] = "private, no-store"
            return response
        if request.POST.get("action") == "erase":
            count = services.erase_person(email)
            messages.success(
                request,
                ngettext(
                    "%(count)s Anmeldung gelöscht und anonymisiert.",
                    "%(count)s Anmeldungen gelöscht und anonymisiert.",
                    count,
                )
                % {"count": count},
            )
            return redirect("enrolment_person")
        return redirect("enrolment_person")


class ResendMailView(AdminPage):
    template_name = "enrolment/admin/resend.html"
    header_icon = "mail"
    permission = "enrolment.view_outgoingmail"

    def dispatch(self, request, *args, **kwargs):
        self.mail = get_object_or_404(OutgoingMail, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Erneut senden: %(subject)s") % {"subject": self.mail.subject}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mail"] = self.mail
        return context

    def post(self, request, *args, **kwargs):
        resend(self.mail)
        messages.success(
            request, _("Die E-Mail an %(to)s wird erneut gesendet.") % {"to": self.mail.to}
        )
        return redirect("enrolment_outbox:index")


class CancelDateForm(forms.Form):
    reason = forms.CharField(required=False)  # the services cut it to 300 characters


class CancelDateView(AdminPage):
    """Cancel a whole date in one action (e.g. below its minimum): GET asks, POST acts."""

    template_name = "enrolment/admin/cancel_date.html"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.course_date = get_object_or_404(
            CourseDate.objects.select_related("course"), pk=kwargs["date_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Termin absagen: %(date)s") % {"date": self.course_date}

    def get_context_data(self, **kwargs):
        from .dashboard import is_below_minimum

        context = super().get_context_data(**kwargs)
        date = self.course_date
        context.update(
            course_date=date,
            below_minimum=is_below_minimum(date),
            active_count=date.enrolments.active().count(),
            reason=kwargs.get("reason", _("Die Mindestteilnehmerzahl wurde nicht erreicht.")),
            error=kwargs.get("error"),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = CancelDateForm(request.POST)
        if not form.is_valid():
            reason = request.POST.get("reason", "").replace("\x00", "")
            error = " ".join(form.errors.get("reason", []))
            return self.render_to_response(self.get_context_data(reason=reason, error=error))
        reason = form.cleaned_data["reason"]
        try:
            cancelled = services.cancel_course_date(self.course_date.pk, reason)
        except services.EnrolmentError as error:
            return self.render_to_response(
                self.get_context_data(reason=reason, error=error.message)
            )
        messages.success(
            request,
            ngettext(
                "Der Termin ist abgesagt. %(count)s Person wird per E-Mail informiert.",
                "Der Termin ist abgesagt. %(count)s Personen werden per E-Mail informiert.",
                len(cancelled),
            )
            % {"count": len(cancelled)},
        )
        return redirect("wagtailadmin_home")
