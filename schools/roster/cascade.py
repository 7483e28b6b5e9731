"""A withdrawn student or class takes its current enrolments and class placements with it.

A delta file may mark a student or a class tobedeleted without touching enrollments.csv (or
leave it absent); the enrolments would then stay current, so the student would stay on class
and team lists and the teacher would still reach a class that no longer exists. They are
ended instead (never deleted: history stays), in the dry run and the commit alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from schools.roster.apply import Plan


def withdraw_with_parents(plan: Plan, parents: dict[str, set[int]]) -> None:
    """Add to ``plan`` the stored active rows whose ``column`` names a withdrawn parent, and
    drop creates/updates that would put rows back under one."""
    if not any(parents.values()):
        return
    existing = plan.existing
    if len(existing):
        active = existing[existing["is_active"].astype(bool)]
        hit = pd.Series(False, index=active.index)
        for column, ids in parents.items():
            hit |= active[column].isin(ids)
        extra = set(active.loc[hit, "id"].astype("int64")) - set(plan.withdraw_ids)
        plan.withdraw_ids = plan.withdraw_ids + sorted(extra)
        gone = set(plan.withdraw_ids)
        plan.updates = plan.updates[~plan.updates["id"].isin(gone)]
    for column, ids in parents.items():
        plan.updates = plan.updates[~plan.updates[column].isin(ids)]
        plan.creates = plan.creates[~plan.creates[column].isin(ids)]
