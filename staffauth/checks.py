from django.conf import settings
from django.core import checks

from .policy import MODES


@checks.register(checks.Tags.security)
def check_two_factor_settings(app_configs, **kwargs):
    errors = []
    value = getattr(settings, "STAFF_TWO_FACTOR", None)
    if value not in MODES:
        errors.append(
            checks.Error(
                f"STAFF_TWO_FACTOR is {value!r}; it must be one of {', '.join(MODES)}.",
                id="staffauth.E001",
            )
        )
    for name in ("OTP_TOTP_THROTTLE_FACTOR", "OTP_STATIC_THROTTLE_FACTOR"):
        if getattr(settings, name, 1) <= 0:
            errors.append(
                checks.Error(
                    f"{name} must be positive: it throttles guessing of two-factor codes.",
                    id="staffauth.E002",
                )
            )
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    otp, gate = (
        "django_otp.middleware.OTPMiddleware",
        "staffauth.middleware.StaffTwoFactorMiddleware",
    )
    if gate in middleware and (
        otp not in middleware or middleware.index(otp) > middleware.index(gate)
    ):
        errors.append(
            checks.Error(
                f"{gate} needs {otp} before it (after AuthenticationMiddleware).",
                id="staffauth.E003",
            )
        )
    if "sesame.backends.ModelBackend" in getattr(settings, "AUTHENTICATION_BACKENDS", []):
        errors.append(
            checks.Error(
                "sesame.backends.ModelBackend signs any account in by link, staff included; "
                "use a backend that asks staffauth.policy.may_sign_in_by_link.",
                id="staffauth.E004",
            )
        )
    return errors
