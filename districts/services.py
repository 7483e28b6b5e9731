"""Writes about districts, users and memberships."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from continuum.services import continuum_defaults_ensure
from crsys.tenancy.context import district_context
from districts import login_throttle, tokens
from districts.emails import normalize_email
from districts.invitations import set_password_url
from districts.models import District, Membership, Role, User
from districts.permissions import SYSTEM, Actor, Capability, SystemActor, require
from districts.sessions import end_every_session, end_sessions_if_no_membership_left
from leadership.services import leadership_defaults_ensure
from teams.services import layers_ensure

LAST_ADMIN = (
    "{district} must keep at least one active district admin: make someone else a district "
    "admin first."
)


@dataclass(frozen=True)
class NewDistrict:
    district: District
    admin: User
    admin_is_new: bool


@transaction.atomic
def district_create(*, district: District, admin_email: str) -> NewDistrict:
    """A new district with what it needs at birth (its four team layers, and its continuum's
    focus areas and tiers, under default names it may change) and its first district admin:
    the user with that normal address, or a new one without a password (send them
    ``invitations.set_password_url``).

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
        continuum_defaults_ensure(district_id=district.pk)
        leadership_defaults_ensure(district_id=district.pk)
        membership_grant(district=district, user=admin, role=Role.DISTRICT_ADMIN, actor=SYSTEM)
    return NewDistrict(district=district, admin=admin, admin_is_new=admin_is_new)


@transaction.atomic
def membership_grant(
    *, district: District, user: User, role: Role, school=None, actor: Actor | SystemActor
) -> Membership:
    """Give ``user`` a role in ``district`` (idempotent). ``actor`` is ``SYSTEM`` for
    platform scripts such as seed_demo; otherwise they must be allowed to manage users."""
    require(actor, Capability.MANAGE_USERS, "Only a district admin manages users.")
    membership = Membership(district=district, user=user, role=role, school=school)
    membership.full_clean(exclude=["user", "district"], validate_unique=False)
    membership, _ = Membership.objects.update_or_create(
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


def _require_manager(*, district: District, actor: Actor, membership: Membership) -> None:
    if not actor.can(Capability.MANAGE_USERS):
        raise PermissionDenied("Only a district admin manages members.")
    if membership.district_id != district.pk:
        raise PermissionDenied("That membership belongs to another district.")


def _locked(district: District, membership: Membership) -> Membership:
    """The membership re-read under a row lock, so two admins editing at once queue."""
    return (
        Membership.objects.all()
        .select_for_update(of=("self",))  # the school join is nullable: lock only the row
        .select_related("user", "school")
        .get(pk=membership.pk)
    )


def _keep_an_admin(*, district: District, membership: Membership) -> None:
    """Refuse a change that would take away the district's last active admin membership
    (the actor's own included). The admins are locked, so two admins cannot demote each
    other at the same moment and leave none."""
    if membership.role != Role.DISTRICT_ADMIN or not membership.is_active:
        return
    admins = list(
        Membership.objects.all()
        .select_for_update()
        .filter(role=Role.DISTRICT_ADMIN, is_active=True)
        .values_list("pk", flat=True)
    )
    if set(admins) <= {membership.pk}:
        raise ValidationError(LAST_ADMIN.format(district=district.name), code="last_admin")


@transaction.atomic
def membership_update(
    *, district: District, actor: Actor, membership: Membership, role: Role, school=None
) -> Membership:
    """Change a member's role or school. The same rules as a new membership (a school for
    school roles, none for district-wide ones) and the district keeps an admin."""
    _require_manager(district=district, actor=actor, membership=membership)
    membership = _locked(district, membership)
    if role != Role.DISTRICT_ADMIN:
        _keep_an_admin(district=district, membership=membership)
    membership.role, membership.school = role, school
    membership.full_clean(exclude=["user", "district"], validate_unique=False)
    twin = Membership.objects.filter(user_id=membership.user_id, role=role, school=school)
    if twin.exclude(pk=membership.pk).exists():
        where = f" at {school}" if school else ""
        raise ValidationError(
            {"role": f"{membership.user} is already {Role(role).label.lower()}{where}."}
        )
    membership.save(update_fields=["role", "school", "updated_at"])
    return membership


@transaction.atomic
def membership_deactivate(
    *, district: District, actor: Actor, membership: Membership
) -> Membership:
    """The member loses this role here at once (every request reads active memberships
    afresh); with no active membership left anywhere they are signed out everywhere."""
    _require_manager(district=district, actor=actor, membership=membership)
    membership = _locked(district, membership)
    _keep_an_admin(district=district, membership=membership)
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
        end_sessions_if_no_membership_left(membership.user_id)
    return membership


@transaction.atomic
def membership_reactivate(
    *, district: District, actor: Actor, membership: Membership
) -> Membership:
    _require_manager(district=district, actor=actor, membership=membership)
    membership = _locked(district, membership)
    if not membership.is_active:
        membership.full_clean(exclude=["user", "district"], validate_unique=False)
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
    return membership


@transaction.atomic
def invitation_send(*, district: District, user_id: int) -> str:
    """E-mail a member of ``district`` (in context) a link to set their password, and record
    when. Returns the address, or "" when they are no longer a member here."""
    if not Membership.objects.filter(user_id=user_id, is_active=True).exists():
        return ""  # no longer a member here: nothing to send
    user = User.objects.get(pk=user_id)
    context = {"user": user, "district": district, "link": set_password_url(user)}
    send_mail(
        subject=f"You are invited to crsys for {district.name}",
        message=render_to_string("districts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    user.invited_at = timezone.now()
    user.save(update_fields=["invited_at"])
    return user.email


@transaction.atomic
def member_sign_out_everywhere(*, district: District, actor: Actor, membership: Membership) -> None:
    """End every session and API token of the member at once (a lost laptop, a leaver)."""
    _require_manager(district=district, actor=actor, membership=membership)
    end_every_session(membership.user_id)


@transaction.atomic
def member_token_revoke(
    *, district: District, actor: Actor, membership: Membership, token_key: str
) -> int:
    """Revoke one of the member's API tokens; the count revoked (0: no such token)."""
    _require_manager(district=district, actor=actor, membership=membership)
    return tokens.api_token_revoke(user=membership.user, token_key=token_key)


@transaction.atomic
def member_release_lockout(*, district: District, actor: Actor, membership: Membership) -> int:
    """Let a member who was locked out by failed sign-ins try again now, from anywhere."""
    _require_manager(district=district, actor=actor, membership=membership)
    return login_throttle.release(email=membership.user.email)
