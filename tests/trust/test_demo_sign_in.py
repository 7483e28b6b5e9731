"""The demo stays easy to try: seed_demo enrols its accounts with a secret it prints (or is
given), and with DEBUG on ``totp_code`` prints the code an authenticator app would show."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.mfa import sign_in

pytestmark = pytest.mark.django_db
SECRET = "CRSYSDEMOCRSYSDEMOCRSYSDEMO23456"


def test_seed_demo_enrols_with_the_given_secret_and_totp_code_signs_in(client, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", slug="demo", password="pw-123456", totp_secret=SECRET, stdout=out)
    assert SECRET in out.getvalue() and "totp_code" in out.getvalue()
    code = io.StringIO()
    call_command("totp_code", "principal@demo.example", stdout=code)
    response = client.post(
        "/accounts/login/", {"username": "principal@demo.example", "password": "pw-123456"}
    )
    assert response["Location"] == "/accounts/login/code/"
    response = client.post("/accounts/login/code/", {"code": code.getvalue().strip()})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_seed_demo_makes_and_prints_a_secret_when_none_is_given(client, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", slug="demo", password="pw-123456", stdout=out)
    assert "authenticator secret" in out.getvalue()
    assert sign_in(client, "admin@demo.example", "pw-123456").status_code == 302


def test_seed_demo_refuses_a_secret_that_is_not_base32(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="base 32"):
        call_command("seed_demo", slug="demo", password="pw-123456", totp_secret="not base 32!")


def test_totp_code_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("totp_code", "admin@demo.example")
