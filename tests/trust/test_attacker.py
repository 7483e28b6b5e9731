"""The findings of issue 12, tried again as an attacker would: none reproduces."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.signals import user_logged_in
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from districts import accounts, mfa, services
from districts.models import ApiToken, Membership, Role, User
from districts.permissions import actor_from_memberships
from tests.factories import PASSWORD, member
from tests.mfa import code_for, enrol

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def principal(district, school):
    return member(district, Role.PRINCIPAL, school=school, email="principal@alpha.example")


@pytest.fixture
def operator(db):
    return User.objects.create_superuser("ops@platform.example", PASSWORD)


# -- multi-factor sign-in ------------------------------------------------------------------


def _past_the_back_off():
    """As if the person waited: django-otp refuses every code for a while after a wrong one
    (1 s, doubling with each failure), which is what bounds guessing."""
    TOTPDevice.objects.update(throttling_failure_timestamp=None, throttling_failure_count=0)


@pytest.mark.real_mfa
def test_a_principals_right_password_alone_makes_no_session(client, principal):
    enrol(principal)
    response = client.post(LOGIN, {"username": principal.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/d/alpha/").status_code == 302  # still signed out
    wrong = client.post("/accounts/login/code/", {"code": "000000"})
    assert wrong.status_code == 400 and "_auth_user_id" not in client.session
    _past_the_back_off()
    right = client.post("/accounts/login/code/", {"code": code_for(principal.email)})
    assert right.status_code == 302 and client.get("/d/alpha/").status_code == 200


@pytest.mark.real_mfa
def test_a_principal_without_an_authenticator_enrols_before_anything_else(client, principal):
    response = client.post(LOGIN, {"username": principal.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/login/enrol/"
    page = client.get("/accounts/login/enrol/").content.decode()
    assert "<svg" in page and "https://" not in page.split("<main", 1)[1]  # QR drawn inline
    assert mfa.secret_base32(principal.totpdevice_set.get()) in page
    assert client.get("/d/alpha/").status_code == 302
    response = client.post("/accounts/login/enrol/", {"code": code_for(principal.email)})
    assert response["Location"] == "/accounts/recovery-codes/"
    codes = client.get("/accounts/recovery-codes/").content.decode()
    assert codes.count("<li><code>") == mfa.RECOVERY_CODES
    assert client.get("/d/alpha/").status_code == 200


@pytest.mark.real_mfa
def test_a_recovery_code_works_once(client, principal):
    enrol(principal)
    code = mfa.recovery_codes_renew(user=principal)[0]
    for expected in (302, 400):
        other = type(client)()
        other.post(LOGIN, {"username": principal.email, "password": PASSWORD})
        response = other.post("/accounts/login/code/", {"code": code})
        assert response.status_code == expected


@pytest.mark.real_mfa
def test_a_session_without_the_second_factor_is_sent_back_to_it(client, principal):
    # A session signed in before the person needed a second factor (say, a teacher made
    # principal since) is turned into sign-in's second step before anything else.
    user_logged_in.disconnect(dispatch_uid="tests-second-factor")
    client.force_login(principal)
    response = client.get("/d/alpha/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/enrol/"
    assert "_auth_user_id" not in client.session
    api = client.get("/api/v1/d/alpha/me/")
    assert api.status_code in (401, 403)


@pytest.mark.real_mfa
def test_admin_wants_the_second_factor_even_after_30_wrong_passwords(client, operator):
    enrol(operator)
    for _ in range(30):
        client.post("/admin/login/", {"username": operator.email, "password": "guess"})
    response = client.post("/admin/login/", {"username": operator.email, "password": PASSWORD})
    assert response.status_code == 429 and "Too many failed" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@pytest.mark.real_mfa
def test_admin_refuses_a_staff_session_without_the_second_factor(client, operator):
    user_logged_in.disconnect(dispatch_uid="tests-second-factor")
    client.force_login(operator)
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_token_endpoint_wants_the_code_of_those_who_need_one(principal):
    api = APIClient()
    body = {"email": principal.email, "password": PASSWORD}
    assert api.post(TOKEN_URL, body, format="json").status_code == 403  # enrol on the web
    enrol(principal)
    assert api.post(TOKEN_URL, body, format="json").status_code == 400
    wrong = {**body, "otp": "123456"}
    assert api.post(TOKEN_URL, wrong, format="json").status_code == 400
    _past_the_back_off()
    right = {**body, "otp": code_for(principal.email)}
    assert api.post(TOKEN_URL, right, format="json").status_code == 200


# -- throttling behind the proxy -------------------------------------------------------------


def test_rotating_x_forwarded_for_does_not_dodge_the_token_throttle(teacher_user, settings):
    settings.NUM_PROXIES = 1
    api = APIClient()
    answers = [
        api.post(
            TOKEN_URL,
            {"email": teacher_user.email, "password": "guess"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.9.{n}.1, 203.0.113.7",
        ).status_code
        for n in range(48)
    ]
    assert answers.count(429) >= 48 - 10  # 10/min (DRF) and the sign-in lock (axes)


def test_a_forged_header_does_not_unlock_nor_a_shared_proxy_lock_out_others(
    client, teacher_user, settings
):
    settings.NUM_PROXIES = 1
    settings.AXES_FAILURE_LIMIT = 3
    attacker = {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 198.51.100.9"}
    for n in range(3):
        forged = {"HTTP_X_FORWARDED_FOR": f"9.9.9.{n}, 198.51.100.9"}
        client.post(LOGIN, {"username": teacher_user.email, "password": "guess"}, **forged)
    response = client.post(
        LOGIN, {"username": teacher_user.email, "password": PASSWORD}, **attacker
    )
    assert response.status_code == 429  # the proxy saw one client: still locked
    colleague = type(client)()
    response = colleague.post(
        LOGIN,
        {"username": teacher_user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302  # same account, another client: not locked


def test_a_district_admin_releases_a_locked_out_member(
    client, teacher_user, admin_user, district, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(LOGIN, {"username": teacher_user.email, "password": "guess"})
    assert (
        client.post(LOGIN, {"username": teacher_user.email, "password": PASSWORD}).status_code
        == 429
    )
    membership = Membership.objects.for_district(district).get(user=teacher_user)
    actor = actor_from_memberships(
        admin_user, district, Membership.objects.for_district(district).filter(user=admin_user)
    )
    assert services.member_release_lockout(district=district, actor=actor, membership=membership)
    assert (
        client.post(LOGIN, {"username": teacher_user.email, "password": PASSWORD}).status_code
        == 302
    )


def test_password_reset_mail_is_limited_per_address_and_per_client(
    client, teacher_user, mailoutbox, settings
):
    settings.PASSWORD_RESET_MAIL_PER_HOUR = 3
    for _ in range(10):
        assert (
            client.post(reverse("password_reset"), {"email": teacher_user.email}).status_code == 302
        )
    assert len(mailoutbox) == 3


# -- API tokens ------------------------------------------------------------------------------


def _token(api, user) -> str:
    response = api.post(TOKEN_URL, {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response.json()["token"]


def _works(token: str) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/d/alpha/me/").status_code == 200


def test_tokens_are_hashed_at_rest_and_one_per_client(teacher_user):
    api = APIClient()
    first = _token(api, teacher_user)
    row = ApiToken.objects.get(user=teacher_user)
    assert first not in (row.digest, row.token_key) and len(row.token_key) < len(first)
    second = _token(api, teacher_user)  # the same client again: replaces the first
    assert not _works(first) and _works(second)
    assert ApiToken.objects.filter(user=teacher_user).count() == 1


def test_a_token_ends_with_a_password_change_or_reset(client, teacher_user):
    token = _token(APIClient(), teacher_user)
    client.force_login(teacher_user)
    client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-42",
            "new_password2": "a-new-long-pass-42",
        },
    )
    assert not _works(token)
    assert client.get("/d/alpha/").status_code == 200  # the changer's own session stays


def test_a_token_ends_when_revoked_or_expired(teacher_user):
    api = APIClient()
    token = _token(api, teacher_user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = api.get("/api/v1/auth/tokens/").json()
    assert [t["client"] for t in listed] == ["default"] and token not in str(listed)
    assert api.delete(f"/api/v1/auth/tokens/{listed[0]['token_key']}/").status_code == 204
    assert not _works(token)
    token = _token(APIClient(), teacher_user)
    ApiToken.objects.filter(user=teacher_user).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert not _works(token)


def test_a_district_admin_signs_a_member_out_of_every_session_and_token(
    client, district, admin_user, teacher_user
):
    token = _token(APIClient(), teacher_user)
    theirs = type(client)()
    theirs.force_login(teacher_user)
    membership = Membership.objects.for_district(district).get(user=teacher_user)
    actor = actor_from_memberships(
        admin_user, district, Membership.objects.for_district(district).filter(user=admin_user)
    )
    services.member_sign_out_everywhere(district=district, actor=actor, membership=membership)
    assert not _works(token)
    assert theirs.get("/d/alpha/").status_code == 302


def test_accounts_unused_for_90_days_are_disabled(teacher_user, admin_user, settings):
    settings.ACCOUNT_UNUSED_DAYS = 90
    now = timezone.now()
    User.objects.filter(pk=teacher_user.pk).update(last_login=now - datetime.timedelta(days=91))
    User.objects.filter(pk=admin_user.pk).update(last_login=now - datetime.timedelta(days=89))
    token = _token(APIClient(), teacher_user)
    ApiToken.objects.update(last_used_at=None)
    assert accounts.users_disable_unused(now=now) == [teacher_user.email]
    assert not User.objects.get(pk=teacher_user.pk).is_active
    assert User.objects.get(pk=admin_user.pk).is_active
    assert not _works(token)
    assert accounts.users_disable_unused(now=now) == []  # idempotent


def test_the_beat_task_is_scheduled():
    assert PeriodicTask.objects.filter(task="districts.tasks.disable_unused_accounts").exists()


# -- headers ---------------------------------------------------------------------------------


def test_signed_in_pages_and_api_responses_are_never_stored(client, teacher_user):
    client.force_login(teacher_user)
    assert client.get("/d/alpha/")["Cache-Control"] == "no-store"
    assert APIClient().get("/api/v1/d/alpha/me/")["Cache-Control"] == "no-store"
    csp = client.get("/d/alpha/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
