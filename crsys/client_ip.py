"""The client's address, as our own proxies saw it: one rule for the sign-in lock (django-axes),
DRF's throttles and password-reset limits.

Behind ``NUM_PROXIES`` reverse proxies, each appends the address it received from to
X-Forwarded-For, so the client is the entry that many places from the right; anything to its
left was sent by the client and is theirs to forge. With no proxy the header is ignored. This
is DRF's own reading of ``NUM_PROXIES`` (``SimpleRateThrottle.get_ident``), kept identical so
both locks key on the same address.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.NUM_PROXIES
    if not proxies or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    return hops[-min(proxies, len(hops))] or remote
