"""Refuse sign-in for a while after repeated failures for one e-mail from one address.

Keyed on (e-mail, client address) rather than e-mail alone, so nobody can lock a colleague
out from elsewhere. Shared through the cache: Redis in production, so all workers agree.

The e-mail part is the address's normal form (``districts.emails.email_key``), the same form
sign-in looks the account up by: ``ADMIN@x`` counts against ``admin@x``. A look-alike
(``admın@x``) gets a key of its own; it is not that account and never tests its password,
since the lookup finds nobody.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from districts.emails import email_key


def _key(email: str, client: str) -> str:
    digest = hashlib.sha256(f"{email_key(email)}|{client}".encode()).hexdigest()
    return f"login-failures:{digest}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def is_locked(email: str, client: str) -> bool:
    return cache.get(_key(email, client), 0) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(email: str, client: str) -> None:
    key = _key(email, client)
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear(email: str, client: str) -> None:
    cache.delete(_key(email, client))


LOCKED_MESSAGE = (
    "Too many failed sign-in attempts for this e-mail. Wait {minutes} minutes and try again, "
    "or reset your password."
)


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60))
