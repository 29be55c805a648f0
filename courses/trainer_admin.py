"""Admin pages for trainers' accounts: list, invite, resend the invitation, deactivate.
Academy staff only (``staffauth.policy.may_manage_trainer_accounts``)."""

import logging
from smtplib import SMTPException

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.admin_display import ADMIN_ROOT
from staffauth.policy import may_manage_trainer_accounts

from . import trainer_accounts
from .models import Trainer

logger = logging.getLogger(__name__)


class InviteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    email = forms.EmailField(
        label=gettext_lazy("E-Mail-Adresse"),
        help_text=gettext_lazy("An diese Adresse geht der Link zum Festlegen des Passworts."),
    )
    trainer = forms.ModelChoiceField(
        label=gettext_lazy("Profil im Katalog"),
        queryset=Trainer.objects.filter(user__isnull=True).order_by("name"),
        required=False,
        empty_label=gettext_lazy("Neues Profil mit diesem Namen anlegen"),
        help_text=gettext_lazy(
            "Steht die Person schon bei Kursen als Trainer/in, wählen Sie ihr Profil: "
            "dann sieht sie diese Kurse."
        ),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if trainer_accounts.account_for_email(email) is not None:
            raise forms.ValidationError(_("Für diese E-Mail-Adresse gibt es schon ein Konto."))
        return email


class TrainerAccountsMixin(WagtailAdminTemplateMixin):
    header_icon = "user"
    breadcrumbs_items = ADMIN_ROOT

    def dispatch(self, request, *args, **kwargs):
        if not may_manage_trainer_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _send(request, user) -> bool:
    try:
        trainer_accounts.send_invitation(user)
    except (OSError, SMTPException):
        logger.exception("trainer invitation not sent")
        messages.error(
            request,
            _("Die E-Mail an %(email)s konnte nicht gesendet werden. Bitte später erneut senden.")
            % {"email": user.email},
        )
        return False
    return True


class TrainerAccountsView(TrainerAccountsMixin, TemplateView):
    template_name = "courses/admin/trainer_accounts.html"
    page_title = gettext_lazy("Trainerkonten")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        accounts = list(trainer_accounts.trainer_accounts())
        for account in accounts:
            account.invitation_open = trainer_accounts.may_resend(account)
        context["accounts"] = accounts
        context["unlinked"] = Trainer.objects.filter(user__isnull=True).order_by("name")[:200]
        return context

    def post(self, request, *args, **kwargs):
        """Resend the invitation (a new link) to an account that has no password yet."""
        user = get_object_or_404(
            trainer_accounts.trainer_accounts(), pk=request.POST.get("user", "0")[:12] or 0
        )
        if trainer_accounts.may_resend(user) and _send(request, user):
            messages.success(
                request,
                _("Die Einladung wurde erneut an %(email)s gesendet.") % {"email": user.email},
            )
        return redirect("courses_trainer_accounts")


class InviteTrainerView(TrainerAccountsMixin, TemplateView):
    template_name = "courses/admin/trainer_invite.html"
    page_title = gettext_lazy("Trainer/in einladen")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            profile = None
            wanted = self.request.GET.get("trainer", "")
            if wanted.isdigit() and len(wanted) < 12:
                profile = Trainer.objects.filter(pk=int(wanted), user__isnull=True).first()
            initial = {"trainer": profile.pk, "name": profile.name} if profile else {}
            context["form"] = InviteForm(initial=initial)
        return context

    def post(self, request, *args, **kwargs):
        form = InviteForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            user = trainer_accounts.invite(
                form.cleaned_data["name"], form.cleaned_data["email"], form.cleaned_data["trainer"]
            )
        except trainer_accounts.AccountExists:
            form.add_error("email", _("Für diese E-Mail-Adresse gibt es schon ein Konto."))
            return self.render_to_response(self.get_context_data(form=form))
        except (OSError, SMTPException):
            # the account is stored; the mail is sent again from the list
            logger.exception("trainer invitation not sent")
            messages.error(
                request,
                _("Das Konto ist angelegt, die E-Mail konnte aber nicht gesendet werden."),
            )
            return redirect("courses_trainer_accounts")
        messages.success(
            request,
            _("%(name)s ist eingeladen: Die E-Mail mit dem Link zum Passwort ging an %(email)s.")
            % {"name": user.get_full_name(), "email": user.email},
        )
        return redirect("courses_trainer_accounts")


class DeactivateTrainerView(TrainerAccountsMixin, TemplateView):
    """GET asks, POST acts: the account can no longer sign in and is signed out."""

    template_name = "courses/admin/trainer_deactivate.html"
    page_title = gettext_lazy("Trainerkonto deaktivieren")

    def get_account(self):
        return get_object_or_404(
            trainer_accounts.trainer_accounts().filter(is_active=True), pk=self.kwargs["user_id"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["account"] = self.get_account()
        return context

    def post(self, request, *args, **kwargs):
        user = self.get_account()
        trainer_accounts.deactivate(user)
        messages.success(
            request,
            _("Das Konto von %(name)s ist deaktiviert und überall abgemeldet.")
            % {"name": user.get_full_name() or user.email},
        )
        return redirect("courses_trainer_accounts")
