"""Teams, their members and rosters, and the district's layers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from districts.permissions import Actor
from schools.models import Enrolment, StaffAssignment, Student
from teams.models import (
    Discussion,
    LayerKind,
    Meeting,
    MeetingAttendance,
    Referral,
    SameIssueStudent,
    Team,
    TeamLayer,
    TeamMember,
)
from teams.selectors.visibility import (
    _of_visible_students,
)


def team_members(*, team: Team) -> QuerySet[TeamMember]:
    return (
        TeamMember.objects.for_district(team.district_id).filter(team=team).select_related("user")
    )


def recent_meetings(*, team: Team, count: int = 20) -> list[Meeting]:
    return list(
        Meeting.objects.for_district(team.district_id)
        .filter(team=team)
        .order_by("-date", "-id")[:count]
    )


@dataclass(frozen=True)
class MyTeam:
    """One of the actor's teams, with where it records now: its latest meeting not yet
    closed and not older than one cycle, if any (a meeting left open months ago is not where
    anyone is)."""

    team: Team
    open_meeting_id: int | None
    open_meeting_date: datetime.date | None

    @property
    def pk(self) -> int:
        return self.team.pk

    @property
    def name(self) -> str:
        return self.team.name

    @property
    def layer(self) -> TeamLayer:
        return self.team.layer


def my_teams(*, actor: Actor, today: datetime.date) -> list[MyTeam]:
    """The actor's active teams, by name, each with its open meeting (``MyTeam``)."""
    open_meetings = (
        Meeting.objects.for_district(actor.district_id)
        .filter(team_id=OuterRef("pk"), closed_at__isnull=True)
        .order_by("-date", "-id")
    )
    mine = TeamMember.objects.for_district(actor.district_id).filter(user_id=actor.user_id)
    teams = (
        Team.objects.for_district(actor.district_id)
        .filter(pk__in=mine.values("team_id"), is_active=True)
        .select_related("layer")
        .annotate(
            open_id=Subquery(open_meetings.values("pk")[:1]),
            open_date=Subquery(open_meetings.values("date")[:1]),
        )
        .order_by("name")
    )
    found = []
    for team in teams:
        open_id, open_date = team.open_id, team.open_date
        if open_date is not None and open_date < today - datetime.timedelta(weeks=team.cycle_weeks):
            open_id = open_date = None
        found.append(MyTeam(team, open_id, open_date))
    return found


def team_candidates(*, team: Team):
    """Staff who may join the team: active members of its school (or of the district)."""
    from districts.models import Membership, User

    staff = Membership.objects.for_district(team.district_id).filter(is_active=True)
    if team.school_id:
        staff = staff.filter(school_id=team.school_id)
    return User.objects.filter(pk__in=staff.values("user_id")).order_by("full_name", "email")


def layer_for(*, district_id: int, layer_pk) -> TeamLayer:
    try:
        return TeamLayer.objects.for_district(district_id).get(pk=layer_pk)
    except (TeamLayer.DoesNotExist, ValueError, TypeError):
        raise Http404("No such layer.") from None


def district_layers(*, district_id: int) -> list[TeamLayer]:
    """The district's layers, in their order (made with the district: ``layers_ensure``)."""
    return list(TeamLayer.objects.for_district(district_id))


def next_meeting_date(*, team: Team, today):
    """The team's cycle: its last meeting plus the cycle's weeks (today if that has passed)."""

    last = (
        Meeting.objects.for_district(team.district_id)
        .filter(team=team)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if last is None:
        return today
    return max(today, last + datetime.timedelta(weeks=team.cycle_weeks))


def meeting_members(*, meeting: Meeting) -> list[TeamMember]:
    """The team's members, each with ``present``: whether they attended this meeting."""
    attended = MeetingAttendance.objects.for_district(meeting.district_id).filter(
        meeting=meeting, user_id=OuterRef("user_id")
    )
    return list(
        TeamMember.objects.for_district(meeting.district_id)
        .filter(team_id=meeting.team_id)
        .select_related("user")
        .annotate(present=Exists(attended))
    )


def team_students(*, team: Team, actor: Actor) -> QuerySet[Student]:
    """The team's students (``team_roster``) that ``actor`` may see: a member of a district
    team from one school does not see the students of another school's members."""
    from schools.selectors import district_today

    return team_roster(team=team, on=district_today(actor)).filter(
        _of_visible_students(actor, "pk")
    )


def team_roster(*, team: Team, on: datetime.date) -> QuerySet[Student]:
    """Students in classes, on ``on`` (the district's today), that the team's members teach
    at the team's school; for a school support team, also every student referred to it (the
    ones it follows). Whoever looks: lists shown to someone go through ``team_students``."""
    members = TeamMember.objects.for_district(team.district_id).filter(team=team)
    classrooms = StaffAssignment.objects.for_district(team.district_id).filter(
        user_id__in=members.values("user_id"),
        is_active=True,
        classroom__isnull=False,
        classroom__is_active=True,
    )
    if team.school_id:
        classrooms = classrooms.filter(school_id=team.school_id)
    enrolled = (
        Enrolment.objects.for_district(team.district_id)
        .current(on=on)
        .filter(classroom_id__in=classrooms.values("classroom_id"))
    )
    theirs = Q(pk__in=enrolled.values("student_id"))
    if team.layer.kind == LayerKind.SCHOOL_SUPPORT_TEAM:
        referred = Referral.objects.for_district(team.district_id).filter(to_team=team)
        theirs |= Q(pk__in=referred.values("student_id"))
    return Student.objects.for_district(team.district_id).filter(theirs, is_active=True)


def my_class_students(*, actor: Actor, team: Team) -> QuerySet[Student]:
    """The team's students that this teacher teaches (their class for the organizer)."""
    taught = StaffAssignment.objects.for_district(actor.district_id).filter(
        user_id=actor.user_id, is_active=True, classroom__isnull=False
    )
    from schools.selectors import district_today

    enrolled = (
        Enrolment.objects.for_district(actor.district_id)
        .current(on=district_today(actor))
        .filter(classroom_id__in=taught.values("classroom_id"))
    )
    return team_students(team=team, actor=actor).filter(pk__in=enrolled.values("student_id"))


def just_below_benchmark(snapshots) -> set[int]:
    """Students whose band, on some screener, is the one just below benchmark: the band a
    collaborative team meeting helps most."""
    below: dict[int, int] = {}
    for snap in snapshots:
        if not snap.meets_benchmark:
            below[snap.screener_id] = max(below.get(snap.screener_id, -1), snap.band_rank)
    return {
        s.student_id
        for s in snapshots
        if not s.meets_benchmark and s.band_rank == below.get(s.screener_id)
    }


def same_issue_of(*, discussion: Discussion, actor: Actor) -> list[Student]:
    """The students named with the same issue as the one discussed, that the actor may see."""
    return list(
        Student.objects.for_district(discussion.district_id)
        .filter(
            pk__in=SameIssueStudent.objects.for_district(discussion.district_id)
            .filter(discussion=discussion)
            .values("student_id")
        )
        .filter(_of_visible_students(actor, "pk"))
        .order_by("family_name", "given_name")
    )


def same_issue_candidates(*, meeting: Meeting, actor: Actor) -> QuerySet[Student]:
    """Whom a discussion may name with the same issue: active students of the team's school
    (of the district, for a district team) that the actor may see."""
    students = (
        Student.objects.for_district(meeting.district_id)
        .filter(is_active=True)
        .filter(_of_visible_students(actor, "pk"))
    )
    if meeting.team.school_id:
        students = students.filter(school_id=meeting.team.school_id)
    return students
