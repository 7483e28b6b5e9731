"""The mass-withdrawal guard: a truncated file must not empty a district.

A complete ("bulk") file withdraws whatever it leaves out, so a file cut short (no users, half
the enrolments) would quietly withdraw everyone. Above a share of the district's active
students or staff (``ROSTER_MASS_WITHDRAWAL_SHARE``, default 10%), the dry run says so in words
and the commit needs the admin's explicit confirmation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:  # pragma: no cover
    from schools.roster.apply import Plan

DEFAULT_SHARE = 0.10


def allowed_share() -> float:
    return float(getattr(settings, "ROSTER_MASS_WITHDRAWAL_SHARE", DEFAULT_SHARE))


def mass_withdrawal(students: Plan, staff: Plan) -> str:
    """The warning in words, or "" when the import withdraws no more than the allowed share."""
    share = allowed_share()
    parts = []
    active_students = int(students.existing["is_active"].sum()) if len(students.existing) else 0
    withdrawn_students = len(students.withdraw_ids)
    if _over(withdrawn_students, active_students, share):
        parts.append(_words(withdrawn_students, active_students, "students"))
    # Staff are counted as people: one person may be placed at several schools.
    existing = staff.existing
    if len(existing):
        active = existing[existing["is_active"]]
        people = set(active["user_id"])
        leaving = set(active.loc[active["id"].isin(staff.withdraw_ids), "user_id"])
        staying = set(active.loc[~active["id"].isin(staff.withdraw_ids), "user_id"])
        arriving = set(staff.updates["user_id"]) | set(staff.creates["user_id"])
        gone = len(leaving - staying - arriving)
        if _over(gone, len(people), share):
            parts.append(_words(gone, len(people), "staff"))
    if not parts:
        return ""
    return (
        f"This import would withdraw {' and '.join(parts)}, more than the {share:.0%} an import "
        "may withdraw without confirmation. If the file is complete and this is intended, "
        "confirm it; if the file was cut short, do not commit it."
    )


def _over(count: int, active: int, share: float) -> bool:
    return count > 0 and active > 0 and count / active > share


def _words(count: int, active: int, noun: str) -> str:
    return f"{count} of {active} active {noun} ({count / active:.0%})"
