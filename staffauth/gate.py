"""The second factor is a property of the session: every view that uses staff or
trainer rights asks ``missing_factor`` before it acts.

- ``off``: never asked;
- ``optional``: whoever has set up an authenticator app shows a code once per
  session; the others pass with the password;
- ``required``: every person with a role shows a code, and sets up an app first
  if they have none.

Learners (no role) pass untouched. The admin sites are covered by
``middleware.StaffTwoFactorMiddleware``, every other view by ``second_factor``.
"""

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import devices, policy


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)  # set by django-otp's OTPMiddleware
    return bool(check and check())


def missing_factor(request) -> str | None:
    """The staffauth page this session must pass first ("staffauth:verify" or
    "staffauth:setup"), or None when it may use its rights now."""
    user = getattr(request, "user", None)
    if not policy.enabled() or not policy.has_role(user) or is_verified(user):
        return None
    if devices.has_device(user):
        return "staffauth:verify"
    if policy.setup_required():
        return "staffauth:setup"
    return None


def redirect_for(request):
    """A redirect to the code check or set-up (back to this page afterwards), or None."""
    target = missing_factor(request)
    if target is None:
        return None
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def second_factor(view):
    """For views that need staff or trainer rights: ask for the second factor first."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = redirect_for(request)
        if response is not None:
            return response
        return view(request, *args, **kwargs)

    wrapped.needs_second_factor = True
    return wrapped
