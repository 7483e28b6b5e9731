"""Reads of the audit log and of support grants."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from continuum.models import ProgressPoint, SupportPlan
from crsys.audit.models import AuditEvent, SupportGrant
from districts.models import District, Role
from districts.permissions import Actor, Grant
from schools.models import Student
from teams.models import Discussion, Referral

#: Objects named in a URL that belong to one student: how to find the student.
STUDENT_OF = {
    "discussion": (Discussion, "student_id"),
    "plan": (SupportPlan, "student_id"),
    "point": (ProgressPoint, "plan__student_id"),
    "referral": (Referral, "student_id"),
}


def student_of(*, district: District, object_type: str, object_id) -> Subquery | None:
    """The student a discussion, plan, score or referral of ``district`` concerns, as a
    subquery the audit INSERT carries (no statement of its own), or None."""
    found = STUDENT_OF.get(object_type)
    if found is None:
        return None
    model, column = found
    rows = model.objects.for_district(district).filter(pk=object_id)
    return Subquery(rows.values(column)[:1])


def event_search(
    *,
    district: District,
    user: str = "",
    student: Student | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    action: str = "",
) -> QuerySet[AuditEvent]:
    """The district's events, newest first: by the actor's e-mail (part of it), one student,
    dates (inclusive, UTC days) and action."""
    rows = AuditEvent.objects.all()
    if user:
        rows = rows.filter(actor_email__icontains=user)
    if student is not None:
        rows = rows.filter(student_id=student.pk)
    if date_from:
        rows = rows.filter(occurred_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(occurred_at__date__lte=date_to)
    if action:
        rows = rows.filter(action=action)
    return rows.order_by("-occurred_at", "-id")


def student_viewers(*, district: District, student: Student) -> QuerySet[AuditEvent]:
    """Who has seen (or exported, or changed) this student's record, newest first."""
    return event_search(district=district, student=student)


def district_grants(*, district: District) -> QuerySet[SupportGrant]:
    return SupportGrant.objects.select_related("staff_user", "granted_by").order_by(
        "-starts_at", "-id"
    )


def get_grant(*, district: District, grant_pk: int) -> SupportGrant:
    try:
        return district_grants(district=district).get(pk=grant_pk)
    except (SupportGrant.DoesNotExist, ValueError, TypeError):
        raise Http404("No such support grant.") from None


def grant_events(*, district: District, grant_ids) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(support_grant_id__in=list(grant_ids)).order_by(
        "-occurred_at", "-id"
    )


def support_actor(*, user, district_slug: str) -> tuple[District, Actor] | None:
    """A platform staff member's read-only actor in a district that granted them access
    now, or None. Staff hold no standing access: without a live grant they are nobody there.
    """
    if not (user.is_authenticated and user.is_staff and user.is_active):
        return None
    now = timezone.now()
    grant = (
        SupportGrant.objects.unscoped()  # before any district is resolved: the user's own grants
        .filter(staff_user_id=user.pk, district__slug=district_slug, revoked_at__isnull=True)
        .filter(Q(starts_at__lte=now) & Q(expires_at__gt=now))
        .select_related("district")
        .order_by("-expires_at")
        .first()
    )
    if grant is None:
        return None
    district = grant.district
    actor = Actor(
        user_id=user.pk, district_id=district.pk,
        grants=(Grant(role=Role.DISTRICT_ADMIN, school_id=None),),
        time_zone=district.time_zone, support_grant_id=grant.pk,
    )  # fmt: skip
    return district, actor


def granted_district_ids(*, user) -> set[int]:
    """Districts where ``user`` (platform staff) holds a live support grant now."""
    if not (user.is_authenticated and user.is_staff and user.is_active):
        return set()
    now = timezone.now()
    return set(
        SupportGrant.objects.unscoped()  # the user's own grants, across districts
        .filter(staff_user_id=user.pk, revoked_at__isnull=True, starts_at__lte=now)
        .filter(expires_at__gt=now)
        .values_list("district_id", flat=True)
    )


def live_grant_id(*, user, district_id: int) -> int | None:
    """The id of ``user``'s live support grant in the district, or None."""
    now = timezone.now()
    return (
        SupportGrant.objects.unscoped()  # the user's own grants, before entering the district
        .filter(staff_user_id=user.pk, district_id=district_id, revoked_at__isnull=True)
        .filter(starts_at__lte=now, expires_at__gt=now)
        .values_list("pk", flat=True)
        .first()
    )
