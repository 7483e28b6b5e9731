"""Writes of the audit log and of support grants (ADR 0011)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from crsys.audit import database
from crsys.audit.addresses import client_address
from crsys.audit.models import Action, AuditEvent, SupportGrant
from crsys.tenancy.context import current_district_id, district_context
from districts.permissions import Actor, Capability, require

#: A grant may last at most this long (issue 12 item 5).
SUPPORT_GRANT_MAX_HOURS = 24
PATH_LENGTH = AuditEvent._meta.get_field("path").max_length


def event_record(
    *,
    district_id: int,
    user,
    action: Action,
    request=None,
    object_type: str = "",
    object_id="",
    student_id=None,
    support_grant_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event: one INSERT. Inside the district's context it is checked by
    row-level security like any write; outside every district (after a request's own
    transaction, a sign-in) it is the platform's write, as the owner, like Django admin's."""
    event = AuditEvent(
        district_id=district_id,
        actor_id=getattr(user, "pk", None),
        actor_email=getattr(user, "email", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        student_id=student_id,
        client_address=client_address(request),
        path=(request.path if request is not None else "")[:PATH_LENGTH],
        support_grant_id=support_grant_id,
        detail=detail or {},
    )
    if current_district_id() in (None, district_id):
        event.save()
        return event
    with district_context(district_id, user=user):  # working for another district
        event.save()
    return event


def _require_admin(actor: Actor) -> None:
    require(actor, Capability.MANAGE_USERS, "Only a district admin grants support access.")
    if getattr(actor, "support_grant_id", None):
        raise PermissionDenied("Support access is read-only.")


@transaction.atomic
def support_grant_create(
    *, district, actor: Actor, staff_user, hours: int, reason: str, request=None
) -> SupportGrant:
    """Let one named platform staff member read this district for ``hours`` (at most 24)."""
    _require_admin(actor)
    if not (staff_user.is_staff and staff_user.is_active):
        raise ValidationError({"staff_email": "That is not an active platform staff account."})
    if not 1 <= hours <= SUPPORT_GRANT_MAX_HOURS:
        raise ValidationError({"hours": f"Between 1 and {SUPPORT_GRANT_MAX_HOURS} hours."})
    now = timezone.now()
    grant = SupportGrant.objects.create(
        district=district, staff_user=staff_user, granted_by_id=actor.user_id, reason=reason,
        starts_at=now, expires_at=now + datetime.timedelta(hours=hours),
    )  # fmt: skip
    event_record(
        district_id=district.pk, user=request.user if request else None,
        action=Action.SUPPORT_GRANT, request=request, object_type="supportgrant",
        object_id=grant.pk, support_grant_id=grant.pk,
        detail={"staff_email": staff_user.email, "hours": hours},
    )  # fmt: skip
    return grant


@transaction.atomic
def support_grant_revoke(*, district, actor: Actor, grant: SupportGrant, request=None):
    """End a grant now (a no-op on one already over)."""
    _require_admin(actor)
    grant = SupportGrant.objects.select_for_update().get(pk=grant.pk)
    now = timezone.now()
    if grant.revoked_at is None and grant.expires_at > now:
        grant.revoked_at = now
        grant.save(update_fields=["revoked_at", "updated_at"])
        event_record(
            district_id=district.pk, user=request.user if request else None,
            action=Action.SUPPORT_REVOKE, request=request, object_type="supportgrant",
            object_id=grant.pk, support_grant_id=grant.pk,
        )  # fmt: skip
    return grant


def audit_purge(*, retention_days: int | None = None) -> int:
    """Delete events older than the retention (never under 365 days), every district.

    On PostgreSQL through ``crsys_audit_purge``, the one function the append-only trigger
    lets delete (and only rows past a year); elsewhere through the base manager's raw
    delete, since the model refuses deletes.
    """
    days = settings.AUDIT_RETENTION_DAYS if retention_days is None else retention_days
    if days < 365:
        raise ValidationError("Audit events are kept at least 365 days.")
    if connection.vendor == "postgresql":
        return database.purge_older_than(days)
    cutoff = timezone.now() - datetime.timedelta(days=days)
    # Outside any district, on purpose: retention is the platform's, for every district.
    old = AuditEvent.objects.unscoped().filter(occurred_at__lt=cutoff)
    return old._raw_delete(old.db)
