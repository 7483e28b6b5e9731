"""Signing in with Django's model backend, plus one saving: the signed-in user and their
active memberships arrive in one query, since every district page needs both."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from districts.models import Membership


class MembershipBackend(ModelBackend):
    """``get_user`` (called once per request from the session) loads the user through their
    active memberships, and leaves the rows on ``user.active_memberships`` for
    ``districts.selectors.resolve_actor``. A user without any membership costs the usual
    second query."""

    def get_user(self, user_id):
        rows = list(
            Membership.objects.unscoped()  # the user's own rows in every district, by design
            .filter(user_id=user_id, is_active=True)
            .select_related("user", "district")
        )
        if not rows:
            user = super().get_user(user_id)
            if user is not None:
                user.active_memberships = []
            return user
        user = rows[0].user
        for row in rows:
            row.user = user
        user.active_memberships = rows
        return user if self.user_can_authenticate(user) else None
