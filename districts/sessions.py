"""Ending a person's sessions when they lose their last membership.

Access to one district ends the moment its membership is deactivated: every request and API
call reads the user's active memberships afresh (districts.auth, districts.selectors). A
person left with no active membership anywhere is signed out of every session and loses
their API token, by raising ``User.session_version`` (see ``User._get_session_auth_hash``)
rather than by scanning the session store for their sessions.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from rest_framework.authtoken.models import Token

from districts.models import Membership, User


def end_sessions_if_no_membership_left(user_id: int) -> None:
    """After the deactivation commits: outside any district (and so outside row-level
    security), where the user's memberships in every district are visible, as at sign-in."""
    transaction.on_commit(lambda: _end_if_no_membership(user_id))


def _end_if_no_membership(user_id: int) -> None:
    # Across districts by design: the question is whether any district still has them.
    if Membership.objects.unscoped().filter(user_id=user_id, is_active=True).exists():
        return
    if User.objects.filter(pk=user_id, is_staff=True).exists():
        return  # the platform operator works outside districts
    User.objects.filter(pk=user_id).update(session_version=F("session_version") + 1)
    Token.objects.filter(user_id=user_id).delete()
