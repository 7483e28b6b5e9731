"""The client's address behind a configured number of trusted proxies.

``NUM_PROXIES`` (settings, else DRF's ``REST_FRAMEWORK["NUM_PROXIES"]``, else none) proxies
each append the address they saw to ``X-Forwarded-For``; the entry that many from the right
is the one the outermost trusted proxy saw, which a client cannot forge. With no proxies
configured the header is ignored and ``REMOTE_ADDR`` is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from rest_framework.settings import api_settings


def trusted_proxies() -> int:
    configured = getattr(settings, "NUM_PROXIES", None)
    if configured is None:
        configured = api_settings.NUM_PROXIES
    return int(configured or 0)


def client_address(request) -> str | None:
    """A valid IP address, or None (never a client-chosen string)."""
    if request is None:
        return None
    meta = getattr(request, "META", {})
    address = meta.get("REMOTE_ADDR", "")
    proxies = trusted_proxies()
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
