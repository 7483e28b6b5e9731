"""Who sees which teams and the rows about them (DESIGN §4), and fetching one by id: the
same 404 for another district's, one not visible, and one that does not exist (STYLE 5)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from districts.permissions import ALL_SCHOOLS, Actor, Capability
from teams.models import (
    Celebration,
    Commitment,
    Discussion,
    Meeting,
    Referral,
    Team,
    TeamMember,
)


def visible_teams(*, actor: Actor) -> QuerySet[Team]:
    """District roles: every team; school roles: their schools' teams; anyone: their teams."""
    teams = Team.objects.for_district(actor.district_id).select_related("layer", "school")
    ids = actor.school_ids(Capability.VIEW_SCHOOL)
    if ids is ALL_SCHOOLS:
        return teams
    mine = TeamMember.objects.for_district(actor.district_id).filter(user_id=actor.user_id)
    return teams.filter(Q(school_id__in=ids) | Q(pk__in=mine.values("team_id")))


def _of_visible_students(actor: Actor, path: str = "student", *, optional: bool = False) -> Q:
    """Rows about a student the actor may see (``optional``: or about no student)."""
    if actor.school_ids(Capability.VIEW_SCHOOL) is ALL_SCHOOLS:
        return Q()
    from schools.selectors import visible_students

    about = Q(**{f"{path}__in": visible_students(actor=actor).values("pk")})
    return about | Q(**{f"{path}__isnull": True}) if optional else about


def visible_discussions(*, actor: Actor) -> QuerySet[Discussion]:
    """The team-visibility rule for discussions (notes): of a team the actor may see, about a
    student the actor may see. Pages and the API read discussions from here."""
    return Discussion.objects.for_district(actor.district_id).filter(
        Q(meeting__team__in=visible_teams(actor=actor).values("pk")),
        _of_visible_students(actor),
    )


def visible_celebrations(*, actor: Actor) -> QuerySet[Celebration]:
    """Celebrations recorded by a team the actor may see, of a student they may see (or of
    no one in particular)."""
    return Celebration.objects.for_district(actor.district_id).filter(
        Q(meeting__team__in=visible_teams(actor=actor).values("pk")),
        _of_visible_students(actor, optional=True),
    )


def visible_commitments(*, actor: Actor) -> QuerySet[Commitment]:
    """Commitments taken in a team the actor may see, for a student they may see (or none)."""
    return Commitment.objects.for_district(actor.district_id).filter(
        Q(team__in=visible_teams(actor=actor).values("pk")),
        _of_visible_students(actor, optional=True),
    )


def visible_referrals(*, actor: Actor) -> QuerySet[Referral]:
    """Referrals made by, or to, a team the actor may see, of a student they may see: the
    referring team sees the support team's decision, the support team the context."""
    teams = visible_teams(actor=actor).values("pk")
    return Referral.objects.for_district(actor.district_id).filter(
        Q(from_meeting__team__in=teams) | Q(to_team__in=teams), _of_visible_students(actor)
    )


def get_team(*, actor: Actor, team_pk) -> Team:
    try:
        return visible_teams(actor=actor).get(pk=team_pk)
    except (Team.DoesNotExist, ValueError, TypeError):
        raise Http404("No such team.") from None


def get_meeting(*, actor: Actor, meeting_pk) -> Meeting:
    try:
        return (
            Meeting.objects.for_district(actor.district_id)
            .filter(team__in=visible_teams(actor=actor))
            .select_related("team", "team__layer", "team__school")
            .get(pk=meeting_pk)
        )
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting.") from None


def _one(queryset: QuerySet, pk, missing: str):
    """The row ``pk`` of ``queryset`` (already scoped to what the actor may see): one 404 for
    another district's, one not visible, and one that does not exist."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(missing) from None
