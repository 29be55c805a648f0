"""Admin views that are not a model listing: participant lists and exports,
status changes, one person's data, resending a mail."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from courses.models import CourseDate, CoursePage
from courses.panels import date_url
from home.admin_display import ADMIN_ROOT
from staffauth import policy

from . import exports, personal_data, services
from .forms import DateSettingsForm
from .mail import resend
from .models import Enrolment, OutgoingMail
from .viewsets import ACTIONS, action_allowed, action_refusal

DATE_CHANGE_PERMISSION = "courses.change_coursedate"


def safe_next(request, default: str) -> str:
    """The ``next`` address sent with a form, if it is one of ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def announce_promoted(request, promoted) -> None:
    """Name who moved up from the waitlist (each got the "promoted" mail)."""
    if not promoted:
        return
    names = ", ".join(f"{e.first_name} {e.last_name} ({e.email})" for e in promoted)
    messages.success(
        request,
        ngettext(
            "Von der Warteliste nachgerückt und per E-Mail benachrichtigt: %(names)s",
            "Von der Warteliste nachgerückt und per E-Mail benachrichtigt (%(count)d): %(names)s",
            len(promoted),
        )
        % {"names": names, "count": len(promoted)},
    )


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

    def may_change_date(self):
        return self.can_manage and self.request.user.has_perm(DATE_CHANGE_PERMISSION)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolments = self.course_date.enrolments.filter(anonymised_at__isnull=True)
        may_change = self.may_change_date()
        if may_change:
            context["settings_form"] = kwargs.get("settings_form") or DateSettingsForm(
                instance=self.course_date, auto_id=f"id_date{self.course_date.pk}_%s"
            )
            context["edit_url"] = date_url("edit", self.course_date.pk)
            context["can_cancel_date"] = (
                self.course_date.status == CourseDate.Status.PLANNED
                and not self.course_date.has_started()
            )
        context.update(
            promote_refusal=services.promote_refusal(self.course_date),
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

    def post(self, request, *args, **kwargs):
        """The date's seats, minimum and registration deadline, changed in place: the
        same checks as the date editor, then the waitlist moves up (``enrolment.signals``
        after the save) and the message names who did."""
        if not self.may_change_date():
            raise PermissionDenied
        back = safe_next(request, reverse("enrolment_participants", args=[self.course_date.pk]))
        form = DateSettingsForm(
            request.POST, instance=self.course_date, auto_id=f"id_date{self.course_date.pk}_%s"
        )
        if form.is_valid():
            with transaction.atomic():
                # as the date editor: under the row lock, against the seats held now
                taken = services.lock_date(self.course_date.pk).seats_confirmed
                if form.cleaned_data["capacity"] < taken:
                    form.add_error("capacity", CourseDate.capacity_error_exception(taken))
                else:
                    changed = list(form.changed_data)
                    date = form.save(commit=False)
                    if changed:
                        date.save(update_fields=changed)
                        log(
                            date,
                            "enrolment.date_settings",
                            user=request.user,
                            data={
                                "changed": {name: str(form.cleaned_data[name]) for name in changed}
                            },
                        )
        if not form.is_valid():
            messages.error(
                request, _("Der Termin wurde nicht geändert. Bitte prüfen Sie die Angaben.")
            )
            return self.render_to_response(self.get_context_data(settings_form=form))
        if changed:
            messages.success(request, _("Der Termin ist geändert: %(date)s") % {"date": date})
            announce_promoted(request, getattr(date, "promoted_on_save", []))
        else:
            messages.info(request, _("Es wurde nichts geändert."))
        return redirect(back)


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
        enrolment = self.enrolment
        next_up = None
        if (
            self.action == "cancel"
            and enrolment.status in Enrolment.SEAT_STATUSES
            and services.waitlist_open(enrolment.course_date, timezone.now())
        ):
            next_up = (
                enrolment.course_date.enrolments.filter(status=Enrolment.Status.WAITLISTED)
                .order_by("waitlist_position", "pk")
                .first()
            )
        context.update(
            enrolment=enrolment,
            action_label=self.labels[self.action],
            allowed=action_allowed(enrolment, self.action),
            refusal=action_refusal(enrolment, self.action),
            next_up=next_up,
            mails_person=not (
                self.action == "cancel" and enrolment.status == Enrolment.Status.PENDING
            ),
            back_url=reverse("enrolment_participants", args=[enrolment.course_date_id]),
        )
        return context

    def post(self, request, *args, **kwargs):
        back = reverse("enrolment_participants", args=[self.enrolment.course_date_id])
        if not action_allowed(self.enrolment, self.action):
            messages.warning(request, action_refusal(self.enrolment, self.action))
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
        if outcome.result != "already":
            log(enrolment, f"enrolment.{self.action}", user=request.user)
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
        announce_promoted(request, outcome.promoted)
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
            # first a page that says what will happen; only the second POST erases
            return self.render_to_response(self.erase_context(email))
        if request.POST.get("action") == "erase_confirmed":
            enrolments = Enrolment.objects.filter(email=email)
            pks = list(enrolments.values_list("pk", flat=True))
            active = enrolments.active().count()
            count = services.erase_person(email)
            for enrolment in Enrolment.objects.filter(pk__in=pks, anonymised_at__isnull=False):
                # logged after anonymisation: the entry names no person
                log(
                    enrolment,
                    "enrolment.erase",
                    user=request.user,
                    data={"enrolments": len(pks), "cancelled": active},
                )
            messages.success(
                request,
                ngettext(
                    "%(count)s Anmeldung anonymisiert, davon %(active)s abgesagt. "
                    "Die Daten der Person sind gelöscht.",
                    "%(count)s Anmeldungen anonymisiert, davon %(active)s abgesagt. "
                    "Die Daten der Person sind gelöscht.",
                    count,
                )
                % {"count": count, "active": active},
            )
            return redirect("enrolment_person")
        return redirect("enrolment_person")

    def erase_context(self, email):
        context = self.get_context_data()
        enrolments = Enrolment.objects.filter(email=email, anonymised_at__isnull=True)
        active = list(enrolments.active().select_related("course_date__course"))
        moving_up = 0
        now = timezone.now()
        for enrolment in active:
            if enrolment.status in Enrolment.SEAT_STATUSES and services.waitlist_open(
                enrolment.course_date, now
            ):
                moving_up += int(
                    enrolment.course_date.enrolments.filter(
                        status=Enrolment.Status.WAITLISTED
                    ).exists()
                )
        context.update(
            confirm_erase=True,
            erase_count=enrolments.count(),
            erase_active=active,
            erase_moving_up=moving_up,
            erase_mails=OutgoingMail.objects.filter(to__iexact=email).count(),
        )
        return context


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
            next=safe_next(self.request, ""),
            back_url=safe_next(self.request, reverse("wagtailadmin_home")),
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
        if self.course_date.status == CourseDate.Status.PLANNED:  # as loaded: not a repeat
            log(
                self.course_date,
                "enrolment.cancel_date",
                user=request.user,
                data={"reason": reason, "enrolments": len(cancelled)},
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
        return redirect(safe_next(request, reverse("wagtailadmin_home")))
