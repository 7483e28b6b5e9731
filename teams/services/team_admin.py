"""Forming teams and choosing their members: the school's principal, or the district's
admins for district teams."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from districts.models import Membership
from districts.permissions import Actor
from teams import permissions
from teams.models import LayerKind, MeetingRole, Team, TeamLayer, TeamMember
from teams.services.fields import check_fields


@transaction.atomic
def team_create(*, actor: Actor, layer: TeamLayer, school, name: str, cycle_weeks: int) -> Team:
    permissions.require_team_admin(actor, school.pk if school else None)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "a team needs a name"})
    check_fields(Team(name=name), "name")
    if not 1 <= cycle_weeks <= 52:
        raise ValidationError({"cycle_weeks": "meet every 1 to 52 weeks"})
    if (layer.kind == LayerKind.DISTRICT_TEAM) != (school is None):
        raise ValidationError(
            {"layer": f"a {layer.name} is of the district"}
            if school
            else {"layer": f"a {layer.name} is formed by a school"}
        )
    TeamLayer.objects.select_for_update().filter(pk=layer.pk).first()  # one at a time
    active = Team.objects.filter(school=school, is_active=True)
    if active.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"there is already a team called {name!r}"})
    if layer.kind == LayerKind.SCHOOL_SUPPORT_TEAM and active.filter(layer=layer).exists():
        raise ValidationError(
            {"layer": f"this school already has its {layer.name}: referrals go to one team"}
        )
    return Team.objects.create(
        district_id=layer.district_id,
        layer=layer,
        school=school,
        name=name,
        cycle_weeks=cycle_weeks,
    )


@transaction.atomic
def member_set(
    *,
    actor: Actor,
    team: Team,
    user_id: int,
    meeting_role: str,
    strengths: str,
    remove: bool = False,
) -> None:
    """Add, change or remove a team member: staff of the team's school (or of the district
    for a district team)."""

    permissions.require_team_admin(actor, team.school_id)
    if remove:
        TeamMember.objects.filter(team=team, user_id=user_id).delete()
        return
    staff = Membership.objects.filter(user_id=user_id, is_active=True)
    if team.school_id:
        staff = staff.filter(school_id=team.school_id)
    if not staff.exists():
        raise ValidationError({"user": "add staff of this team's school"})
    if meeting_role not in MeetingRole.values:
        raise ValidationError({"meeting_role": "choose a meeting role from the list"})
    strengths = strengths.strip()
    check_fields(TeamMember(strengths=strengths), "strengths")
    TeamMember.objects.update_or_create(
        team=team,
        user_id=user_id,
        defaults={
            "district_id": team.district_id,
            "meeting_role": meeting_role,
            "strengths": strengths,
        },
    )
