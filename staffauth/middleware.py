"""The gate in front of both admin sites: staff show their second factor first."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import devices, policy

# Pages of the admins a signed-in but not yet verified staff member still needs.
OPEN_VIEWS = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "admin:login",
        "admin:logout",
        "admin:jsi18n",
    }
)


class StaffTwoFactorMiddleware:
    """Sends staff on /admin/ and /django-admin/ to the code check when they have a
    device and this session has not shown it yet; with ``STAFF_TWO_FACTOR =
    "required"``, staff without a device to the set-up.

    Must come after django-otp's ``OTPMiddleware``. Everything outside the two
    admin sites (the public site, the learner area) passes untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not policy.enabled() or not request.path.startswith(policy.admin_prefixes()):
            return None
        match = request.resolver_match
        if match is not None and (match.namespace == "staffauth" or match.view_name in OPEN_VIEWS):
            return None
        user = request.user
        if not policy.is_staff_user(user) or user.is_verified():
            return None
        if devices.has_device(user):
            target = "staffauth:verify"
        elif policy.setup_required():
            target = "staffauth:setup"
        else:
            return None
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
