"""The gate in front of both admin sites: staff show their second factor first.

Every view of the two admin sites uses staff rights, so the gate stands in front
of all of them at once; views elsewhere that use staff or trainer rights carry
``gate.second_factor`` themselves. Both ask ``gate.missing_factor``.
"""

from . import gate, policy

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
    admin sites passes here; views there that need staff or trainer rights are
    decorated with ``staffauth.gate.second_factor``.
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
        return gate.redirect_for(request)
