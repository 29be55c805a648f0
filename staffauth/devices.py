"""The staff member's devices: one authenticator app (TOTP) and one set of backup codes.

All verification goes through django-otp's devices, which throttle guessing
themselves (exponential back-off after each wrong code, OTP_*_THROTTLE_FACTOR).
"""

import base64
import io
import logging
from dataclasses import dataclass
from datetime import datetime

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger(__name__)

TOTP_NAME = "Authenticator-App"
BACKUP_NAME = "Ersatzcodes"


@dataclass
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or why none did."""

    device: object | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None

    @property
    def wait_seconds(self) -> int:
        if self.locked_until is None:
            return 0
        return max(1, int((self.locked_until - timezone.now()).total_seconds() + 0.999))


def normalize(code: str) -> str:
    """Codes as people type them: spaces, hyphens and capitals do not matter."""
    return "".join(code.split()).replace("-", "").lower()


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def _fits(device, code: str) -> bool:
    """App codes go to the app, anything else to the backup codes: a typo in one
    does not slow down the other."""
    if isinstance(device, TOTPDevice):
        return code.isdigit() and len(code) == device.digits
    if isinstance(device, StaticDevice):
        return not (code.isdigit() and len(code) == 6)
    return True


def _check(devices, code: str) -> CodeCheck:
    locked, tried = [], False
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            locked.append((info or {}).get("locked_until") or timezone.now())
            continue
        tried = True
        if device.verify_token(code):
            return CodeCheck(device=device)
    if locked and not tried:
        return CodeCheck(locked_until=min(locked))
    return CodeCheck()


def check_code(user, code: str) -> CodeCheck:
    """Checks a code against the user's confirmed devices (row-locked while checking)."""
    code = normalize(code)
    with transaction.atomic():
        devices = [
            device
            for device in devices_for_user(user, confirmed=True, for_verify=True)
            if _fits(device, code)
        ]
        result = _check(devices, code)
    if not result.ok:
        logger.warning("two-factor code refused for user %s", user.pk)
    return result


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator of this user: the same key on every reload of
    the set-up page, until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def confirm_device(device: TOTPDevice, code: str) -> CodeCheck:
    """Confirms the pending authenticator with its first code."""
    code = normalize(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        result = _check([device] if _fits(device, code) else [], code)
        if result.ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
    return result


def new_backup_codes(user) -> list[str]:
    """Replaces the user's backup codes; returns the new ones (shown only once)."""
    count = settings.STAFF_TWO_FACTOR_BACKUP_CODES
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_NAME)
        codes = [StaticToken.random_token() for _ in range(count)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove_all(user) -> None:
    """Removes the user's authenticator and backup codes (confirmed or not)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def mark_verified(request, device) -> None:
    """The session has now shown the second factor: a new session key, then
    django-otp remembers the device in it."""
    request.session.cycle_key()
    django_otp.login(request, device)


def forget_verification(request) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    if hasattr(request.user, "otp_device"):
        request.user.otp_device = None


def manual_key(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The set-up QR code as an SVG data URI, drawn here (no request leaves the server)."""
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        box_size=10,
        border=4,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
