"""Multi-factor sign-in (django-otp): who must use it, enrolment, and checking a code.

A TOTP device (an authenticator app) is the second factor; ten single-use recovery codes (a
django-otp static device) stand in when the phone is lost. Required of platform staff, of the
roles in ``settings.MFA_REQUIRED_ROLES`` and of every member of a district that asks for it
(``District.mfa_required_for_all_roles``). Decided from the memberships the session user
already carries (``districts.auth``): no query per request.
"""

from __future__ import annotations

import base64
import time

import segno
from django.conf import settings
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from districts.models import User
from districts.selectors import active_memberships_of

RECOVERY_CODES = 10
RECOVERY_DEVICE_NAME = "recovery codes"


def mfa_required(user: User) -> bool:
    if user.is_staff or user.is_superuser:
        return True
    memberships = active_memberships_of(user=user)
    roles = set(settings.MFA_REQUIRED_ROLES)
    return any(m.role in roles or m.district.mfa_required_for_all_roles for m in memberships)


def session_is_verified(session) -> bool:
    """The session passed the second factor (``django_otp.login`` records the device)."""
    return DEVICE_ID_SESSION_KEY in session


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify(user: User, code: str):
    """The device that accepts ``code`` (an authenticator code, or a recovery code, which is
    then used up), or None. Each device throttles its own failures (django-otp)."""
    code = "".join((code or "").split()).lower()
    if not code or len(code) > 16:
        return None
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if code.isdigit() and device.verify_token(code):
                return device
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


@transaction.atomic
def totp_enrolment_start(*, user: User, key_hex: str | None = None) -> TOTPDevice:
    """The user's unconfirmed authenticator device (new, or the one they were shown)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or (key_hex and device.key != key_hex):
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        extra = {"key": key_hex} if key_hex else {}
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False, **extra
        )
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device if ``code`` is its current one: the user's other authenticators
    are replaced and fresh recovery codes made (returned, to show once). None if wrong."""
    code = "".join((code or "").split())
    if not code.isdigit() or not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def totp_enrol_with_secret(*, user: User, secret_base32: str) -> TOTPDevice:
    """Enrol ``user`` with a known secret, already confirmed (the demo and tests only)."""
    key_hex = base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8)).hex()
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", key=key_hex, confirmed=True)


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code (drawn here: no request leaves)."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=4, dark="#000", light="#fff", title="Authenticator set-up code")


def current_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the device's app shows now; a step ahead if now's was already used (each
    code signs in once). For the demo's ``totp_code`` command and for tests."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"
