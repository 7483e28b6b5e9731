"""Ending a person's sessions and API tokens, everywhere at once.

Every session stays valid only while ``User.session_version`` is what it was at sign-in (see
``User._get_session_auth_hash``), and every API token only while it matches the version it was
issued under (``districts.tokens``). Raising the version therefore ends all of them on the
very next request, in O(1), without scanning the session store. The raise happens when the
password changes (``User.save``), when a district admin signs a member out, when an account is
disabled as unused, and when a person loses their last active membership (access to one
district ends the moment that membership is deactivated: every request reads the user's
active memberships afresh).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from districts.models import ApiToken, Membership, User


def end_every_session(user_id: int) -> None:
    """End every session and API token of the user now (inside the caller's transaction)."""
    User.objects.filter(pk=user_id).update(session_version=F("session_version") + 1)
    ApiToken.objects.filter(user_id=user_id).delete()


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
    end_every_session(user_id)
