"""Sign-in throttling, by django-axes, keyed on (account, client address).

The account is the address's normal form (``districts.emails.email_key``), the same form
sign-in looks the account up by: ``ADMIN@x`` counts against ``admin@x``; a look-alike
(``admın@x``) gets a key of its own and never tests that account's password. The client
address is the one our own proxies saw (``crsys.client_ip``, ``NUM_PROXIES``), so a forged
X-Forwarded-For neither dodges the lock nor, behind a shared proxy, locks out others: only
the pair (this account, this client) is locked. A district admin can release a member
(``districts.services.member_release_lockout``).
"""

from __future__ import annotations

import hashlib

from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse

from crsys.client_ip import client_ip
from crsys.errors import API_PREFIX
from districts.emails import email_key

LOCKED_MESSAGE = (
    "Too many failed sign-in attempts for this e-mail. Wait {minutes} minutes and try again, "
    "or reset your password."
)


def axes_username(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the normal form of the address typed."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("username") or data.get("email")
    key = email_key(value or "")
    # axes stores the key in a 255-character column; an over-long "address" is nobody's.
    return key if len(key) <= 200 else "long:" + hashlib.sha256(key.encode()).hexdigest()


def is_locked_out(request) -> bool:
    """Did this request's sign-in attempt run into (or cause) a lock?"""
    return bool(getattr(request, "axes_locked_out", False))


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the API gets a 429 in its error shape; a page keeps the sign-in
    form it rendered (which says why: ``districts.forms``), answered as 429."""
    if request.path.startswith(API_PREFIX) or original_response is None:
        return JsonResponse({"detail": locked_message()}, status=429)
    original_response.status_code = 429
    return original_response


def release(*, email: str) -> int:
    """Forget every failure counted against this address, from any client; the count."""
    deleted, _ = AccessAttempt.objects.filter(
        username=axes_username(None, {"username": email})
    ).delete()
    return deleted


def is_locked(*, email: str) -> bool:
    """Is this address locked from some client (for the members page)?"""
    return AccessAttempt.objects.filter(
        username=axes_username(None, {"username": email}),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
    ).exists()


def reset_mail_allowed(request, email: str) -> bool:
    """Password-reset mail: at most PASSWORD_RESET_MAIL_PER_HOUR per address typed and per
    client address, counted whether or not the address has an account (so the answer never
    tells). Shared through the cache, so every worker agrees."""
    limit = settings.PASSWORD_RESET_MAIL_PER_HOUR
    allowed = True
    for key in (
        f"reset-mail:account:{email_key(email)}",
        f"reset-mail:client:{client_ip(request)}",
    ):
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)
            count = 1
        allowed = allowed and count <= limit
    return allowed
