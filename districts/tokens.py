"""API tokens: issued, checked, listed and revoked here (django-rest-knox underneath).

Only a token's digest is stored; the token itself is shown once, at issue. A token is valid
while it has not expired and its user's ``session_version`` is the one it was issued under:
changing the password, a district admin's "sign out everywhere", losing the last membership
and being disabled as unused all raise that version, so every token ends with the sessions.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.settings import knox_settings
from rest_framework import exceptions

from districts.models import ApiToken, User

# Writing last_used_at on every call would make each API request a write; once a minute is
# plenty for "last used" and for the unused-account rule (counted in days).
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>``; refuses a token of an earlier session version."""

    def validate_user(self, auth_token: ApiToken):
        user = auth_token.user
        if not user.is_active or auth_token.session_version != user.session_version:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        if auth_token.last_used_at is None or now - auth_token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=auth_token.pk).update(last_used_at=now)
        return user, auth_token


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "districts.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token"',
        }


@transaction.atomic
def api_token_issue(*, user: User, client: str) -> tuple[ApiToken, str]:
    """A new token for ``user``'s ``client`` (replacing that client's earlier one); returns
    the row and the token text, which is not stored and cannot be shown again."""
    ApiToken.objects.filter(user=user, client=client).delete()
    return ApiToken.objects.create(
        user=user,
        expiry=knox_settings.TOKEN_TTL,
        client=client,
        session_version=user.session_version,
    )


def api_tokens_of(*, user: User):
    """The user's live tokens, newest first (expired ones are not listed)."""
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


@transaction.atomic
def api_token_revoke(*, user: User, token_key: str) -> int:
    """Revoke ``user``'s token(s) whose public prefix is ``token_key``; the count revoked."""
    deleted, _ = ApiToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted


@transaction.atomic
def api_tokens_revoke_all(*, user: User) -> int:
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted
