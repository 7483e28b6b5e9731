"""Referrals as an inbox: those waiting for a school support team, on its page and on its
members' home pages; the decision, on the home page of the teacher who referred.

A decision stays on the referring teacher's home page for one meeting cycle of the team
that referred, counted from the meeting that decided. In that time the referring team meets
again and its meeting page lists the decision ("Decisions on our referrals"); after it, the
decision lives on the student's page. So the home page stays a short list of what is new,
without a dismiss button to press (and without storing who dismissed what).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from districts.permissions import Actor
from teams.models import LayerKind, Referral, Team
from teams.selectors import MyTeam, visible_referrals

LONGEST_CYCLE = datetime.timedelta(weeks=52)  # Team.cycle_weeks is at most 52


def waiting_for_team(*, actor: Actor, team: Team) -> QuerySet[Referral]:
    """Referrals waiting for ``team``'s decision that the actor may see, oldest first."""
    return (
        visible_referrals(actor=actor)
        .filter(to_team=team, status=Referral.Status.PENDING)
        .select_related("student", "from_meeting__team", "referred_by")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class WaitingReferral:
    """A referral waiting for one of the actor's school support teams, and that team's open
    meeting (where to decide it), if any."""

    referral: Referral
    open_meeting_id: int | None


def waiting_for_my_teams(*, actor: Actor, teams: Sequence[MyTeam]) -> list[WaitingReferral]:
    """Referrals waiting for the school support teams among ``teams`` (the actor's, from
    ``my_teams``), oldest first, each with where to decide it. No query when the actor is on
    no school support team."""
    support = {t.pk: t for t in teams if t.layer.kind == LayerKind.SCHOOL_SUPPORT_TEAM}
    if not support:
        return []
    referrals = (
        visible_referrals(actor=actor)
        .filter(to_team_id__in=support, status=Referral.Status.PENDING)
        .select_related("student", "from_meeting__team")
        .order_by("created_at", "id")
    )
    waiting = []
    for referral in referrals:
        mine = support[referral.to_team_id]
        referral.to_team = mine.team  # already read: no query for its name
        waiting.append(WaitingReferral(referral, mine.open_meeting_id))
    return waiting


def decisions_for_referrer(*, actor: Actor, today: datetime.date) -> list[Referral]:
    """Decisions on the actor's referrals taken within the referring team's last cycle
    (see the module's note), newest first, in one query."""
    referrals = (
        visible_referrals(actor=actor)
        .filter(
            referred_by_id=actor.user_id,
            status=Referral.Status.DECIDED,
            decided_at__date__gte=today - LONGEST_CYCLE,
        )
        .select_related("student", "to_team", "decided_at", "from_meeting__team")
        .order_by("-decided_at__date", "-id")
    )
    return [
        r
        for r in referrals
        if r.decided_at.date >= today - datetime.timedelta(weeks=r.from_meeting.team.cycle_weeks)
    ]
