"""Per-request rules about the signed-in session: its idle and absolute limits, and the
second factor where it is required."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect

from crsys.errors import API_PREFIX
from districts import mfa
from districts.signin import start_second_step

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Recording activity is a session write; once a minute is precise enough for a 30-min limit.
LAST_SEEN_PRECISION = 60


@receiver(user_logged_in)
def _stamp_new_session(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


class SessionLimitsMiddleware:
    """A session ends after ``SESSION_IDLE_SECONDS`` without a request, and
    ``SESSION_COOKIE_AGE`` after sign-in however busy (Django's own expiry restarts with
    every session write, so it is no absolute limit by itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get("_auth_user_id"):
            now = int(time.time())
            signed_in = session.get(SIGNED_IN_AT)
            seen = session.get(LAST_SEEN)
            if signed_in is None or seen is None:
                session[SIGNED_IN_AT] = signed_in or now
                session[LAST_SEEN] = now
            elif (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - signed_in > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
            elif now - seen > LAST_SEEN_PRECISION:
                session[LAST_SEEN] = now
        return self.get_response(request)


class MultiFactorGateMiddleware:
    """A signed-in session of someone who must use a second factor and has not, in this
    session, is turned back into sign-in's second step (enrolment when they have no
    authenticator yet) before anything else: pages, Django admin and session-authenticated
    API calls alike. Free for everyone else: the rule reads memberships the session user
    already carries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not mfa.session_is_verified(request.session)
            and mfa.mfa_required(user)
        ):
            backend = request.session.get(BACKEND_SESSION_KEY, settings.AUTHENTICATION_BACKENDS[-1])
            next_url = request.get_full_path() if request.method == "GET" else ""
            logout(request)
            url = start_second_step(request, user, backend=backend, next_url=next_url)
            if request.path.startswith(API_PREFIX):
                return JsonResponse(
                    {"detail": "Sign in again with your second factor."}, status=403
                )
            return redirect(url)
        return self.get_response(request)
