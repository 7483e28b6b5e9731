"""Writes about districts, users and memberships."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crsys.tenancy.context import district_context
from districts.emails import normalize_email
from districts.models import District, Membership, Role, User
from districts.permissions import Actor, Capability
from teams.services import layers_ensure


@dataclass(frozen=True)
class NewDistrict:
    district: District
    admin: User
    admin_is_new: bool


@transaction.atomic
def district_create(*, district: District, admin_email: str) -> NewDistrict:
    """A new district with what it needs at birth (its four team layers, under default
    names it may change) and its first district admin: the user with that normal address,
    or a new one without a password (send them ``invitations.set_password_url``).

    Platform work, for the operator (``manage.py create_district``, Django admin's district
    add): there is no district actor yet. ``district`` is unsaved; all or nothing.
    ValidationError names the field: ``slug`` (taken or malformed), ``admin_email``.
    """
    errors: dict[str, list[str]] = {}
    try:
        district.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        email = normalize_email(admin_email)
    except ValidationError as error:
        errors["admin_email"] = error.messages
    if errors:
        raise ValidationError(errors)
    district.save()
    admin = User.objects.find_by_email(email)
    admin_is_new = admin is None
    if admin is None:
        admin = User.objects.create_user(email)  # no password until they set one
    with district_context(district):
        layers_ensure(district_id=district.pk)
        membership_grant(district=district, user=admin, role=Role.DISTRICT_ADMIN)
    return NewDistrict(district=district, admin=admin, admin_is_new=admin_is_new)


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
