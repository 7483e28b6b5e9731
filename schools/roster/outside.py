"""Which accounts an import may not attach on its own: ADR 7.

An account that already belongs to another district, or a platform operator's, joins this
district only when its owner accepts an invitation. Asking "does this account belong to another
district?" needs rows that row-level security hides from the app role; a SECURITY DEFINER
function (migration schools 0002) answers that one question with user ids only, never which
district or role, so nothing else about another district reaches this one.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

from districts.models import Membership, User


def members_elsewhere(district_id: int, user_ids: set[int]) -> set[int]:
    """The accounts among ``user_ids`` with any membership (active or not) in another
    district."""
    if not user_ids:
        return set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM crsys_members_elsewhere(%s, %s::bigint[])",
                [district_id, sorted(user_ids)],
            )
            return {row[0] for row in cursor.fetchall()}
    return set(
        # Without row-level security (SQLite) the manager's escape hatch asks the same
        # question as the PostgreSQL function: user ids only.
        Membership.objects.unscoped()
        .filter(user_id__in=user_ids)
        .exclude(district_id=district_id)
        .values_list("user_id", flat=True)
    )


def needs_invitation(district_id: int, user_ids: set[int]) -> set[int]:
    """Existing accounts an import may not attach: operators and members of another district,
    unless they already hold an active membership here (they accepted once; what their roles
    here are is this district's business)."""
    members_here = set(
        Membership.objects.for_district(district_id)
        .filter(user_id__in=user_ids, is_active=True)
        .values_list("user_id", flat=True)
    )
    candidates = set(user_ids) - members_here
    operators = set(
        User.objects.filter(pk__in=candidates)
        .filter(Q(is_staff=True) | Q(is_superuser=True))
        .values_list("pk", flat=True)
    )
    return operators | members_elsewhere(district_id, candidates - operators)
