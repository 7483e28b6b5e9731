"""Who may do what with teams and their meetings: the one rule pages, the API and services
share (DESIGN §4). Selectors read what these allow; services refuse what they do not."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from districts.permissions import Actor, Capability
from teams.models import Discussion, Meeting, Team, TeamMember


def is_member(actor: Actor, team: Team) -> bool:
    return (
        TeamMember.objects.for_district(actor.district_id)
        .filter(team=team, user_id=actor.user_id)
        .exists()
    )


def can_edit(actor: Actor, team: Team) -> bool:
    """Members record; the school's principals and the district admin may too."""
    return (
        actor.can(Capability.MANAGE_SCHOOL, school_id=team.school_id)
        or actor.can(Capability.MANAGE_DISTRICT)
        or is_member(actor, team)
    )


def can_read_sensitive(actor: Actor, discussion: Discussion, team: Team) -> bool:
    return discussion.author_id == actor.user_id or actor.can(
        Capability.VIEW_SENSITIVE_NOTES, school_id=team.school_id
    )


def can_form_teams(actor: Actor, *, school_id: int | None) -> bool:
    """The school's principal, or the district's admins (any school, and district teams)."""
    return actor.can(Capability.MANAGE_SCHOOL, school_id=school_id) or actor.can(
        Capability.MANAGE_DISTRICT
    )


def can_manage_team(actor: Actor, team: Team) -> bool:
    return can_form_teams(actor, school_id=team.school_id)


def can_reopen(actor: Actor, team: Team) -> bool:
    """The principal (of the team's school; for a district team, the district's admins)."""
    return actor.can(Capability.MANAGE_SCHOOL, school_id=team.school_id)


def can_describe_layers(actor: Actor) -> bool:
    """The district's common language (layer names, descriptions, agendas): its admins."""
    return actor.can(Capability.MANAGE_DISTRICT)


def editable_until(meeting: Meeting) -> datetime.datetime | None:
    """When a closed meeting becomes read-only (None: it is open)."""
    if meeting.closed_at is None:
        return None
    return meeting.closed_at + datetime.timedelta(days=settings.TEAMS_EDIT_DAYS_AFTER_CLOSE)


def meeting_is_editable(meeting: Meeting) -> bool:
    until = editable_until(meeting)
    return until is None or timezone.now() <= until


def require_edit(actor: Actor, meeting: Meeting) -> None:
    """Refuse unless ``actor`` may record in ``meeting`` and it is not yet read-only."""
    if not can_edit(actor, meeting.team):
        raise PermissionDenied("Only the team's members record its meetings.")
    if not meeting_is_editable(meeting):
        raise ValidationError(
            "This meeting was closed more than "
            f"{settings.TEAMS_EDIT_DAYS_AFTER_CLOSE} days ago and is read-only; "
            "the principal can reopen it."
        )


def require_read_sensitive(actor: Actor, discussion: Discussion, team: Team) -> None:
    if discussion.sensitive and not can_read_sensitive(actor, discussion, team):
        raise PermissionDenied("Only the principal and support staff edit a sensitive note.")


def require_team_admin(actor: Actor, school_id: int | None) -> None:
    if not can_form_teams(actor, school_id=school_id):
        raise PermissionDenied("Principals form their school's teams.")


def require_describe_layers(actor: Actor) -> None:
    if not can_describe_layers(actor):
        raise PermissionDenied
