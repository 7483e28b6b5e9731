"""Which accounts an import may not attach on its own: ADR 7.

An existing account that never held a membership in this district joins it only when its owner
accepts an invitation. The rule reads only this district's rows, so what an import says about an
address never depends on another district.
"""

from __future__ import annotations

from districts.models import Membership


def needs_invitation(district_id: int, user_ids: set[int]) -> set[int]:
    """Existing accounts an import may not attach: every one that has never held a membership
    here, whatever it holds elsewhere. The answer must not depend on other districts: a dry
    run that invited members of other districts (or operators) but granted everyone else
    would tell an admin who works where, from a file of guessed addresses (DESIGN 3)."""
    ours = set(
        Membership.objects.all().filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    return set(user_ids) - ours
