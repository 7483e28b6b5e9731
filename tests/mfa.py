"""Passing sign-in's second step in tests, as a person with an authenticator app would."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from districts import mfa
from districts.models import User
from tests.factories import PASSWORD

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol(user: User) -> TOTPDevice:
    return mfa.totp_enrol_with_secret(user=user, secret_base32=TOTP_SECRET)


def code_for(email: str) -> str:
    """The code the person's app shows now (their confirmed authenticator, else the one they
    are being shown at enrolment)."""
    user = User.objects.find_by_email(email)
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id").first()
    return mfa.current_code(device)


def sign_in(client, email: str, password: str = PASSWORD, **extra):
    """Sign in through the pages, both steps; the last response."""
    response = client.post("/accounts/login/", {"username": email, "password": password}, **extra)
    where = response.get("Location", "")
    if where.startswith("/accounts/login/enrol/"):
        client.get(where)  # shows the QR code: makes the device
    if where.startswith(("/accounts/login/code/", "/accounts/login/enrol/")):
        response = client.post(where, {"code": code_for(email)}, **extra)
    return response


def pass_second_step(page, email: str) -> None:
    """In a browser, after the password was sent: type the code if asked for one."""
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/accounts/login/"))
    if "/accounts/login/code/" in page.url or "/accounts/login/enrol/" in page.url:
        page.get_by_label("Code").first.fill(code_for(email))
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        if "/accounts/recovery-codes/" in page.url:
            page.get_by_role("link", name="Continue").click()
            page.wait_for_load_state()
