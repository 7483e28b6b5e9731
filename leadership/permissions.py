"""Who may see and shape priorities, evaluations and action plans.

District admins and district leaders set the district's priorities and measures and read
the leadership dashboard; a school's principal (or vice-principal) keeps its action plan and
answers the district's comments; district leaders comment. Whoever may open a school reads
its plan.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from districts.permissions import Actor, Capability, SystemActor

AnyActor = Actor | SystemActor


def can_set_priorities(actor: AnyActor) -> bool:
    return actor.can(Capability.MANAGE_DISTRICT) or actor.can(Capability.ASSIGN_DISTRICT_SUPPORTS)


def can_view_dashboard(actor: AnyActor) -> bool:
    return actor.can(Capability.VIEW_LEADERSHIP_DASHBOARD)


def can_view_plan(actor: AnyActor, school_id: int) -> bool:
    return actor.can(Capability.VIEW_SCHOOL, school_id=school_id)


def can_keep_plan(actor: AnyActor, school_id: int) -> bool:
    """Write the school's plan: goals, strategies, commitments, evidence, check-ins, and
    answers to the district's comments."""
    return actor.can(Capability.MANAGE_SCHOOL, school_id=school_id)


def can_comment(actor: AnyActor) -> bool:
    return actor.can(Capability.COMMENT_ON_ACTION_PLANS)


def require(allowed: bool, message: str = "") -> None:
    if not allowed:
        raise PermissionDenied(*([message] if message else []))
