"""Writes about districts, users and memberships."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from districts.models import District, Membership, Role, User
from districts.permissions import Actor, Capability


@transaction.atomic
def membership_grant(
    *, district: District, user: User, role: Role, school=None, actor: Actor | None = None
) -> Membership:
    """Give ``user`` a role in ``district`` (idempotent). ``actor`` is None for platform
    scripts such as seed_demo; otherwise they must be allowed to manage users."""
    if actor is not None and not actor.can(Capability.MANAGE_USERS):
        raise PermissionDenied("Only a district admin manages users.")
    membership = Membership(district=district, user=user, role=role, school=school)
    membership.full_clean(exclude=["user", "district"], validate_unique=False)
    membership, _ = Membership.objects.for_district(district).update_or_create(
        user=user, role=role, school=school, defaults={"is_active": True}
    )
    return membership


@transaction.atomic
def user_invite(*, district: District, actor: Actor, membership: Membership) -> None:
    """Queue an e-mail that lets the member set a password (Celery, after commit)."""
    from districts.tasks import send_invitation

    if not actor.can(Capability.MANAGE_USERS):
        raise PermissionDenied("Only a district admin invites users.")
    if membership.district_id != district.pk:
        raise PermissionDenied("That membership belongs to another district.")
    transaction.on_commit(
        lambda: send_invitation.delay(district_id=district.pk, user_id=membership.user_id)
    )
