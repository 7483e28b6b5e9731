"""Who may do what: the one place roles become permissions (DESIGN §4).

Pages, the API and tasks all ask an ``Actor``; templates only read what a view computed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied

from districts.models import DISTRICT_WIDE_ROLES, Role


class Capability(StrEnum):
    MANAGE_DISTRICT = "manage_district"  # configuration: schools, layers, screeners, schedule
    MANAGE_USERS = "manage_users"
    IMPORT_DATA = "import_data"
    VIEW_LEADERSHIP_DASHBOARD = "view_leadership_dashboard"
    ASSIGN_DISTRICT_SUPPORTS = "assign_district_supports"
    COMMENT_ON_ACTION_PLANS = "comment_on_action_plans"
    VIEW_SCHOOL = "view_school"  # the school, its students and teams
    MANAGE_SCHOOL = "manage_school"  # action plan, school continuum, school support team
    VIEW_SENSITIVE_NOTES = "view_sensitive_notes"
    VIEW_SENSITIVE_FLAGS = "view_sensitive_flags"  # e.g. English-language learner
    ENTER_SCREENER_RESULTS = "enter_screener_results"  # for the classes a teacher teaches


C = Capability
ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.DISTRICT_ADMIN: frozenset(
        {
            C.MANAGE_DISTRICT,
            C.MANAGE_USERS,
            C.IMPORT_DATA,
            C.VIEW_LEADERSHIP_DASHBOARD,
            C.VIEW_SCHOOL,
            C.VIEW_SENSITIVE_FLAGS,
            C.ENTER_SCREENER_RESULTS,
        }
    ),
    Role.DISTRICT_LEADER: frozenset(
        {
            C.VIEW_LEADERSHIP_DASHBOARD,
            C.ASSIGN_DISTRICT_SUPPORTS,
            C.COMMENT_ON_ACTION_PLANS,
            C.VIEW_SCHOOL,
        }
    ),
    Role.PRINCIPAL: frozenset(
        {C.VIEW_SCHOOL, C.MANAGE_SCHOOL, C.VIEW_SENSITIVE_NOTES, C.VIEW_SENSITIVE_FLAGS}
    ),
    Role.VICE_PRINCIPAL: frozenset(
        {C.VIEW_SCHOOL, C.MANAGE_SCHOOL, C.VIEW_SENSITIVE_NOTES, C.VIEW_SENSITIVE_FLAGS}
    ),
    Role.TEACHER: frozenset({C.ENTER_SCREENER_RESULTS}),
    Role.SUPPORT_STAFF: frozenset({C.VIEW_SCHOOL, C.VIEW_SENSITIVE_NOTES, C.VIEW_SENSITIVE_FLAGS}),
}


class AllSchools:
    """Marker for 'every school of the district' in ``Actor.school_ids``."""

    def __repr__(self) -> str:
        return "ALL_SCHOOLS"


ALL_SCHOOLS = AllSchools()


@dataclass(frozen=True)
class Grant:
    role: Role
    school_id: int | None


@dataclass(frozen=True)
class Actor:
    """A user acting in one district, with the grants of their active memberships there."""

    user_id: int
    district_id: int
    grants: tuple[Grant, ...]
    #: The district's time zone, so selectors know the district's today without a query
    #: (``schools.selectors.district_today(actor)``); None: read from the district.
    time_zone: str | None = None
    #: A platform staff member's support grant (crsys.audit): read-only, every request audited.
    support_grant_id: int | None = None

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants)

    def has_role(self, *roles: Role) -> bool:
        return any(g.role in roles for g in self.grants)

    def can(self, capability: Capability, *, school_id: int | None = None) -> bool:
        """District-wide when ``school_id`` is None; otherwise at that school."""
        for grant in self.grants:
            if capability not in ROLE_CAPABILITIES[grant.role]:
                continue
            if grant.role in DISTRICT_WIDE_ROLES:
                return True
            if school_id is not None and grant.school_id == school_id:
                return True
        return False

    def can_anywhere(self, capability: Capability) -> bool:
        return any(capability in ROLE_CAPABILITIES[g.role] for g in self.grants)

    def school_ids(self, capability: Capability) -> AllSchools | frozenset[int]:
        """The schools where the actor has ``capability``: feed it to selectors' filters."""
        ids: set[int] = set()
        for grant in self.grants:
            if capability not in ROLE_CAPABILITIES[grant.role]:
                continue
            if grant.role in DISTRICT_WIDE_ROLES:
                return ALL_SCHOOLS
            if grant.school_id is not None:
                ids.add(grant.school_id)
        return frozenset(ids)

    def member_school_ids(self) -> frozenset[int]:
        """Schools the actor works in under any school-scoped role (teachers included)."""
        return frozenset(g.school_id for g in self.grants if g.school_id is not None)


@dataclass(frozen=True)
class SystemActor:
    """The platform acting on its own: management commands, Celery tasks, the demo seeders.

    It holds every capability. Services take it only when it is passed by name, so a
    forgotten ``actor`` is a TypeError (a required keyword) or, passed as None,
    PermissionDenied: never full rights.
    """

    def can(self, capability: Capability, *, school_id: int | None = None) -> bool:
        return True

    def can_anywhere(self, capability: Capability) -> bool:
        return True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def require(actor: Actor | SystemActor, capability: Capability, message: str = "") -> None:
    """Refuse unless ``actor`` holds ``capability`` district-wide. Anything that is neither
    an ``Actor`` nor ``SYSTEM`` (None: a forgotten argument) is refused: fail closed."""
    if not isinstance(actor, Actor | SystemActor) or not actor.can(capability):
        raise PermissionDenied(*([message] if message else []))


def capability_required(capability: Capability):
    """A page's permission, decided before the view runs: the request's actor must hold
    ``capability`` district-wide, else 403. The one decorator every app's pages use."""

    def decorate(view):
        @functools.wraps(view)
        def checked(request, *args, **kwargs):
            require(request.actor, capability)
            return view(request, *args, **kwargs)

        return checked

    return decorate


def actor_from_memberships(user, district, memberships) -> Actor:
    grants = tuple(
        Grant(role=Role(m.role), school_id=m.school_id) for m in memberships if m.is_active
    )
    return Actor(
        user_id=user.pk, district_id=district.pk, grants=grants, time_zone=district.time_zone
    )
