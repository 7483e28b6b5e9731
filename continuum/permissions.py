"""Who may see and shape the continuum.

Everyone in a district sees its divisional continuum, and the school continuum of each school
they may open or work in. A school's principal keeps the school's own supports; the district's
admins keep the divisional continuum (and may help any school with its own), promote a
school's support to it, and configure focus areas and tiers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from districts.permissions import ALL_SCHOOLS, Actor, AllSchools, Capability


def school_ids(actor: Actor) -> AllSchools | frozenset[int]:
    """Schools whose own continuum the actor sees: those they may open and those they work
    in (a teacher picks supports from their school's continuum)."""
    ids = actor.school_ids(Capability.VIEW_SCHOOL)
    return ids if isinstance(ids, AllSchools) else ids | actor.member_school_ids()


def can_keep_supports(actor: Actor, school_id: int | None) -> bool:
    """Create, change and archive supports of ``school_id`` (None: the divisional ones)."""
    if actor.can(Capability.MANAGE_DISTRICT):
        return True
    return school_id is not None and actor.can(Capability.MANAGE_SCHOOL, school_id=school_id)


def can_promote(actor: Actor) -> bool:
    return actor.can(Capability.MANAGE_DISTRICT)


def can_configure(actor: Actor) -> bool:
    """Focus areas and tiers."""
    return actor.can(Capability.MANAGE_DISTRICT)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def effect_school_ids(actor: Actor) -> AllSchools | frozenset[int]:
    """Whose band movement the actor may read, as counts (what is working): district-wide
    for those who read the leadership dashboard, a principal's own schools, nobody else's.
    Counts of a few students can point at one child, so a role that may not open every
    student of a school (a teacher, support staff on a team) sees no counts at all."""
    if actor.can(Capability.VIEW_LEADERSHIP_DASHBOARD):
        return ALL_SCHOOLS
    return actor.school_ids(Capability.MANAGE_SCHOOL)


def can_see_effects(actor: Actor) -> bool:
    ids = effect_school_ids(actor)
    return ids is ALL_SCHOOLS or bool(ids)


def can_keep_district_supports(actor: Actor) -> bool:
    """What the district offers schools: its admins and leaders keep the list."""
    return actor.can(Capability.MANAGE_DISTRICT) or actor.can(Capability.ASSIGN_DISTRICT_SUPPORTS)


def can_assign_school_supports(actor: Actor) -> bool:
    """A school's tier of district support and its district supports (the district team)."""
    return actor.can(Capability.ASSIGN_DISTRICT_SUPPORTS) or actor.can(Capability.MANAGE_DISTRICT)


def school_support_school_ids(actor: Actor) -> AllSchools | frozenset[int]:
    """Schools whose tier of district support the actor may read: every school for those
    who read the leadership dashboard, a principal's own."""
    if actor.can(Capability.VIEW_LEADERSHIP_DASHBOARD) or can_assign_school_supports(actor):
        return ALL_SCHOOLS
    return actor.school_ids(Capability.MANAGE_SCHOOL)
