"""Set-up, check and removal of a staff member's second factor.

These pages live beside the admin (under its URL prefix, so that the gate in
``middleware`` lets them through) and look like Wagtail's sign-in page. Trainers
without access to the admin use them too, for the trainer area. Each
checks for itself who may use it. They send the public site's
Content-Security-Policy, which the admin prefixes are otherwise exempt from.
"""

from functools import wraps
from urllib.parse import urlencode

from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import devices, policy
from .forms import CodeForm


def staff_page(view):
    """Only for signed-in staff and trainers, never cached, with the site's CSP; 404
    when switched off."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not policy.enabled():
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        if not policy.has_role(request.user):
            raise PermissionDenied
        response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Security-Policy", build_policy())
        return response

    return never_cache(wrapped)


def next_url(request) -> str:
    """The page asked for before the check, if it is on this site; else the admin home."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return policy.default_next(request.user)


def _to(name: str, next_page: str | None = None):
    url = reverse(name)
    if next_page:
        url = f"{url}?{urlencode({'next': next_page})}"
    return redirect(url)


def _refusal(result: devices.CodeCheck) -> str:
    if result.locked_until is not None:
        seconds = result.wait_seconds
        return ngettext(
            "Zu viele falsche Codes. Bitte warten Sie %(seconds)d Sekunde und "
            "versuchen Sie es dann erneut.",
            "Zu viele falsche Codes. Bitte warten Sie %(seconds)d Sekunden und "
            "versuchen Sie es dann erneut.",
            seconds,
        ) % {"seconds": seconds}
    return _(
        "Dieser Code stimmt nicht. Bitte geben Sie den Code ein, den Ihre App gerade "
        "anzeigt (er wechselt alle 30 Sekunden), oder einen noch nicht benutzten Ersatzcode."
    )


@staff_page
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the app or a backup code."""
    user = request.user
    target = next_url(request)
    if user.is_verified():
        return redirect(target)
    if not devices.has_device(user):
        if policy.setup_required():
            return _to("staffauth:setup", target)
        return redirect(target)
    form = CodeForm(request.POST or None, autofocus=True)
    if request.method == "POST" and form.is_valid():
        result = devices.check_code(user, form.cleaned_data["code"])
        if result.ok:
            devices.mark_verified(request, result.device)
            if isinstance(result.device, StaticDevice):
                left = devices.backup_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "Sie haben einen Ersatzcode benutzt. Es bleibt noch %(count)d "
                        "Ersatzcode; unter „Zwei-Faktor-Anmeldung“ erzeugen Sie neue.",
                        "Sie haben einen Ersatzcode benutzt. Es bleiben noch %(count)d "
                        "Ersatzcodes; unter „Zwei-Faktor-Anmeldung“ erzeugen Sie neue.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(target)
        form.add_error("code", _refusal(result))
    return render(request, "staffauth/verify.html", {"form": form, "next": target})


@staff_page
@require_http_methods(["GET"])
def overview(request):
    """Status of the second factor, with the ways to set it up, renew or remove it."""
    user = request.user
    has_device = devices.has_device(user)
    if has_device and not user.is_verified():
        return _to("staffauth:verify", request.get_full_path())
    app = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return render(
        request,
        "staffauth/overview.html",
        {
            "has_device": has_device,
            "app": app,
            "backup_codes_left": devices.backup_codes_left(user) if has_device else 0,
            "required": policy.setup_required(),
            "back_url": policy.default_next(user),
        },
    )


@staff_page
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def setup(request):
    """Set-up: scan the QR code (or type the key), confirm with a first code."""
    user = request.user
    target = next_url(request)
    if devices.has_device(user):
        if not user.is_verified():
            return _to("staffauth:verify", reverse("staffauth:overview"))
        messages.info(request, _("Die Zwei-Faktor-Anmeldung ist bereits eingerichtet."))
        return _to("staffauth:overview")
    device = devices.pending_device(user)
    form = CodeForm(request.POST or None, app_only=True)
    if request.method == "POST" and form.is_valid():
        result = devices.confirm_device(device, form.cleaned_data["code"])
        if result.ok:
            codes = devices.new_backup_codes(user)
            devices.mark_verified(request, result.device)
            return render(
                request,
                "staffauth/backup_codes.html",
                {"codes": codes, "next": target, "first_time": True},
            )
        form.add_error("code", _refusal(result))
    return render(
        request,
        "staffauth/setup.html",
        {
            "form": form,
            "next": target,
            "qr_code": devices.qr_code_data_uri(device),
            "manual_key": devices.manual_key(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "account_name": user.get_username(),
            "required": policy.setup_required(),
        },
    )


@staff_page
@require_POST
def backup_codes(request):
    """New backup codes (the old ones stop working); shown once."""
    user = request.user
    if not devices.has_device(user):
        return _to("staffauth:overview")
    if not user.is_verified():
        return _to("staffauth:verify", reverse("staffauth:overview"))
    codes = devices.new_backup_codes(user)
    return render(
        request,
        "staffauth/backup_codes.html",
        {"codes": codes, "next": reverse("staffauth:overview"), "first_time": False},
    )


@staff_page
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def disable(request):
    """Removal of the authenticator and backup codes; needs a current code."""
    user = request.user
    if not devices.has_device(user):
        return _to("staffauth:overview")
    if not user.is_verified():
        return _to("staffauth:verify", request.get_full_path())
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = devices.check_code(user, form.cleaned_data["code"])
        if result.ok:
            devices.remove_all(user)
            devices.forget_verification(request)
            messages.success(request, _("Die Zwei-Faktor-Anmeldung ist ausgeschaltet."))
            return _to("staffauth:overview")
        form.add_error("code", _refusal(result))
    return render(
        request, "staffauth/disable.html", {"form": form, "required": policy.setup_required()}
    )
