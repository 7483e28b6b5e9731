"""Reads about teams and meetings, filtered to what an actor may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from crsys.aggregates import JoinedIds, split_ids
from districts.permissions import ALL_SCHOOLS, Actor, Capability
from schools.models import Enrolment, StaffAssignment, Student
from teams import agenda
from teams.models import (
    Celebration,
    Commitment,
    CommitmentStatus,
    Discussion,
    LayerKind,
    Meeting,
    MeetingAttendance,
    NoteConflict,
    OrganizerPick,
    Referral,
    SameIssueStudent,
    SectionNote,
    Team,
    TeamLayer,
    TeamMember,
)
from teams.permissions import can_read_sensitive


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


def get_discussion(*, actor: Actor, meeting: Meeting, discussion_pk) -> Discussion:
    """A discussion of ``meeting`` the actor may see (its student's visible to them)."""
    return _one(
        visible_discussions(actor=actor).filter(meeting=meeting).select_related("student"),
        discussion_pk,
        "No such discussion.",
    )


def get_conflict(*, meeting: Meeting, conflict_pk) -> NoteConflict:
    """A kept version, not yet dismissed, of one of ``meeting``'s notes."""
    return _one(meeting_conflicts(meeting=meeting), conflict_pk, "No such kept version.")


def get_carried_commitment(*, meeting: Meeting, commitment_pk) -> Commitment:
    """A commitment on ``meeting``'s agenda from the team's earlier meetings."""
    return _one(
        carried_commitments(meeting=meeting),
        commitment_pk,
        "No such commitment on that meeting's agenda.",
    )


def get_referral_to_review(*, meeting: Meeting, referral_pk) -> Referral:
    """A referral ``meeting``'s team (a school support team) decides, or decided here."""
    return _one(
        referrals_to_review(meeting=meeting),
        referral_pk,
        "No such referral for that meeting's team.",
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


def carried_commitments(*, meeting: Meeting) -> QuerySet[Commitment]:
    """Commitments made at the team's earlier meetings that are still open or in progress,
    or that were reviewed at this meeting (so the review stays visible)."""
    return (
        Commitment.objects.for_district(meeting.district_id)
        .filter(team_id=meeting.team_id, meeting__date__lt=meeting.date)
        .filter(
            Q(status__in=[CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS])
            | Q(reviewed_at=meeting)
        )
        .select_related("owner", "student", "meeting")
    )


def my_teams(*, actor: Actor, today: datetime.date) -> list[Team]:
    """The actor's active teams, each with ``open_meeting_id`` and ``open_meeting_date``: its
    latest meeting not yet closed and not older than one cycle (where the team records
    now), if any; a meeting left open months ago is not where anyone is."""
    open_meetings = (
        Meeting.objects.for_district(actor.district_id)
        .filter(team_id=OuterRef("pk"), closed_at__isnull=True)
        .order_by("-date", "-id")
    )
    mine = TeamMember.objects.for_district(actor.district_id).filter(user_id=actor.user_id)
    teams = list(
        Team.objects.for_district(actor.district_id)
        .filter(pk__in=mine.values("team_id"), is_active=True)
        .select_related("layer")
        .annotate(
            open_meeting_id=Subquery(open_meetings.values("pk")[:1]),
            open_meeting_date=Subquery(open_meetings.values("date")[:1]),
        )
        .order_by("name")
    )
    for team in teams:
        cycle_start = today - datetime.timedelta(weeks=team.cycle_weeks)
        if team.open_meeting_date is not None and team.open_meeting_date < cycle_start:
            team.open_meeting_id = team.open_meeting_date = None
    return teams


def open_commitments_of(*, actor: Actor) -> QuerySet[Commitment]:
    return (
        Commitment.objects.for_district(actor.district_id)
        .filter(
            owner_id=actor.user_id, status__in=[CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS]
        )
        .select_related("team", "student", "meeting")
    )


def student_follow_up(*, actor: Actor, student: Student) -> dict:
    """The student's referrals and the commitments made for them, in teams the actor may
    see, newest first (two queries)."""
    referrals = (
        visible_referrals(actor=actor)
        .filter(student=student)
        .select_related("from_meeting__team", "to_team", "decided_at")
        .order_by("-created_at", "-id")
    )
    commitments = (
        visible_commitments(actor=actor)
        .filter(student=student)
        .select_related("owner", "team", "meeting")
        .order_by("-due_date", "-id")
    )
    return {"referrals": list(referrals), "commitments": list(commitments)}


def student_discussions(*, actor: Actor, student: Student) -> list[Discussion]:
    """Every discussion of the student in teams the actor may see, newest first; the text of
    a sensitive one only for those who may read it."""
    discussions = list(
        visible_discussions(actor=actor)
        .filter(student=student)
        .select_related("meeting", "meeting__team")
        .order_by("-meeting__date", "-id")
    )
    for d in discussions:
        d.readable = not d.sensitive or can_read_sensitive(actor, d, d.meeting.team)
    return discussions


def student_same_issue_mentions(*, actor: Actor, student: Student) -> list[Discussion]:
    """Discussions of other students, in teams the actor may see, that named this student
    with the same issue, newest first (a sensitive one only for those who may read it)."""
    discussions = (
        visible_discussions(actor=actor)
        .filter(
            pk__in=SameIssueStudent.objects.for_district(actor.district_id)
            .filter(student=student)
            .values("discussion_id"),
        )
        .select_related("student", "meeting", "meeting__team")
        .order_by("-meeting__date", "-id")
    )
    return [
        d for d in discussions if not d.sensitive or can_read_sensitive(actor, d, d.meeting.team)
    ]


def student_celebrations(*, actor: Actor, student: Student) -> QuerySet[Celebration]:
    return (
        visible_celebrations(actor=actor)
        .filter(student=student)
        .select_related("meeting", "meeting__team")
        .order_by("-meeting__date", "-id")
    )


def referrals_to_review(*, meeting: Meeting):
    """On a school support team's meeting: referrals still waiting, and those it decided here."""
    return (
        Referral.objects.for_district(meeting.district_id)
        .filter(to_team_id=meeting.team_id)
        .filter(Q(status=Referral.Status.PENDING) | Q(decided_at=meeting))
        .select_related("student", "from_meeting__team")
    )


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


def _commitment_rows(meeting: Meeting) -> QuerySet[Commitment]:
    """This meeting's commitments and the team's earlier ones still open (or reviewed here),
    not yet filtered by student."""
    earlier_open = Q(meeting__date__lt=meeting.date) & (
        Q(status__in=[CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS]) | Q(reviewed_at=meeting)
    )
    return (
        Commitment.objects.for_district(meeting.district_id)
        .filter(team_id=meeting.team_id)
        .filter(Q(meeting=meeting) | earlier_open)
        .select_related("owner", "student", "meeting")
    )


def referred_at(*, meeting: Meeting, discussion: Discussion) -> bool:
    """Whether the student of a discussion (one the caller read through the visibility rule)
    was referred at the meeting."""
    return (
        Referral.objects.for_district(meeting.district_id)
        .filter(from_meeting=meeting, student_id=discussion.student_id)
        .exists()
    )


def _referral_rows(meeting: Meeting) -> list[Referral]:
    """Referrals made at this meeting, decisions on this team's referrals since its previous
    meeting (``is_outcome``), and those waiting for this team (a school support team), not
    yet filtered by student: each is from this meeting or its team, or to its team, so of a
    team the actor may see."""
    previous = (
        Meeting.objects.for_district(meeting.district_id)
        .filter(team_id=meeting.team_id, date__lt=meeting.date)
        .order_by("-date")
        .values("date")[:1]
    )
    since = Coalesce(Subquery(previous), Value(datetime.date(1900, 1, 1)), output_field=DateField())
    rows = list(
        Referral.objects.for_district(meeting.district_id)
        .filter(
            Q(from_meeting=meeting)
            | Q(to_team_id=meeting.team_id, status="pending")
            | Q(to_team_id=meeting.team_id, decided_at=meeting)
            | Q(
                from_meeting__team_id=meeting.team_id,
                status="decided",
                decided_at__date__lte=meeting.date,
                from_meeting__date__lt=meeting.date,
                decided_at__date__gte=since,
            )
        )
        .select_related("student", "to_team", "from_meeting__team", "decided_at")
    )
    for r in rows:
        # The last branch above, less its "since" (every row it does not hold, came through
        # another branch and was decided at this meeting, so after the previous one).
        r.is_outcome = (
            r.from_meeting.team_id == meeting.team_id
            and r.status == "decided"
            and r.decided_at is not None
            and r.decided_at.date <= meeting.date
            and r.from_meeting.date < meeting.date
        )
    return rows


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


def meeting_conflicts(*, meeting: Meeting) -> QuerySet[NoteConflict]:
    """The meeting's kept versions not yet dismissed, of discussions and section notes."""
    return (
        NoteConflict.objects.for_district(meeting.district_id)
        .filter(resolved=False)
        .filter(Q(discussion__meeting=meeting) | Q(section_note__meeting=meeting))
        .select_related("discussion", "section_note")
    )


def meeting_section_notes(*, meeting: Meeting) -> dict[str, SectionNote]:
    """The notes under the agenda's own sections, by key, each with ``open_conflicts``. No
    query when the agenda has none (a collaborative team meeting's default), one otherwise,
    and one more only when a save conflicted."""
    if not agenda.custom_keys(meeting.agenda):
        return {}
    open_conflicts = NoteConflict.objects.for_district(meeting.district_id).filter(resolved=False)
    notes = list(
        SectionNote.objects.for_district(meeting.district_id)
        .filter(meeting=meeting)
        .annotate(has_conflicts=Exists(open_conflicts.filter(section_note_id=OuterRef("pk"))))
    )
    by_note: dict[int, list[NoteConflict]] = {}
    conflicted = [n.pk for n in notes if n.has_conflicts]
    if conflicted:
        for conflict in open_conflicts.filter(section_note_id__in=conflicted).select_related(
            "author"
        ):
            by_note.setdefault(conflict.section_note_id, []).append(conflict)
    for note in notes:
        note.open_conflicts = by_note.get(note.pk, [])
    return {note.key: note for note in notes}


def _student_gate(
    actor: Actor, student_ids: set[int], loaded: dict[int, Student]
) -> dict[int, Student]:
    """The students among ``student_ids`` that the actor may see, by id, in at most one
    query: those in ``loaded`` (read with their rows) are kept when visible, the others read.

    For rows of one meeting, which is of a team the actor may see (``get_meeting``), this is
    the whole visibility rule: the rows are read plainly, then the students on them pass this
    gate once, instead of the rule's subqueries being built and run in every row query."""
    student_ids = student_ids - {None}
    if not student_ids:
        return {}
    if actor.school_ids(Capability.VIEW_SCHOOL) is ALL_SCHOOLS:
        missing = student_ids - loaded.keys()
        found = {pk: loaded[pk] for pk in student_ids & loaded.keys()}
        if missing:
            found.update(Student.objects.for_district(actor.district_id).in_bulk(missing))
        return found
    from schools.selectors import visible_students

    return {
        s.pk: loaded.get(s.pk, s)
        for s in visible_students(actor=actor).filter(pk__in=student_ids).order_by()
    }


def _passes(row, students: dict[int, Student], *, optional: bool = False) -> bool:
    """Whether a row's student is one the gate let through (``optional``: or no student)."""
    return row.student_id in students or (optional and row.student_id is None)


def _discussion_rows(meeting: Meeting) -> list[Discussion]:
    """The meeting's discussions, each with ``has_conflicts`` and ``same_issue_ids``, not yet
    filtered by student: callers pass them through ``_student_gate``."""
    open_conflicts = NoteConflict.objects.for_district(meeting.district_id).filter(resolved=False)
    links = (
        SameIssueStudent.objects.for_district(meeting.district_id)
        .filter(discussion_id=OuterRef("pk"))
        .order_by()
        .values("discussion_id")
        .annotate(ids=JoinedIds("student_id"))
        .values("ids")
    )
    return list(
        Discussion.objects.for_district(meeting.district_id)
        .filter(meeting=meeting)
        .select_related("student")
        .annotate(
            has_conflicts=Exists(open_conflicts.filter(discussion_id=OuterRef("pk"))),
            same_issue_ids=Subquery(links, output_field=CharField()),
        )
    )


def _finish_discussions(
    discussions: list[Discussion], students: dict[int, Student], *, meeting: Meeting, actor
) -> list[Discussion]:
    """The gated discussions, each with ``readable`` (sensitive notes), ``open_conflicts`` and
    ``same_issue`` (the other students named with the same issue whom the actor may see)."""
    discussions = [d for d in discussions if _passes(d, students)]
    conflicted = [d.pk for d in discussions if d.has_conflicts]
    by_discussion: dict[int, list[NoteConflict]] = {}
    if conflicted:
        for conflict in (
            NoteConflict.objects.for_district(meeting.district_id)
            .filter(resolved=False, discussion_id__in=conflicted)
            .select_related("author")
        ):
            by_discussion.setdefault(conflict.discussion_id, []).append(conflict)
    for d in discussions:
        d.open_conflicts = by_discussion.get(d.pk, [])
        d.readable = not d.sensitive or can_read_sensitive(actor, d, meeting.team)
        d.same_issue = sorted(
            (students[pk] for pk in split_ids(d.same_issue_ids) if pk in students),
            key=lambda s: (s.family_name, s.given_name),
        )
    return discussions


def _named(discussions: list[Discussion]) -> set[int]:
    return {pk for d in discussions for pk in split_ids(d.same_issue_ids)}


def meeting_discussions(*, meeting: Meeting, actor: Actor) -> list[Discussion]:
    """The meeting's discussions about students the actor may see, each with ``readable``,
    ``open_conflicts`` and ``same_issue``: two queries (three when a save conflicted)."""
    rows = _discussion_rows(meeting)
    students = _student_gate(
        actor, {d.student_id for d in rows} | _named(rows), {d.student_id: d.student for d in rows}
    )
    return _finish_discussions(rows, students, meeting=meeting, actor=actor)


@dataclass(frozen=True)
class MeetingRecord:
    """What a meeting page shows of a meeting, about students the actor may see."""

    discussions: list[Discussion]
    celebrations: list[Moment]
    picks: list[Moment]
    carried: list[Commitment]  # earlier meetings' commitments still open, or reviewed here
    commitments: list[Commitment]  # taken at this meeting
    referrals: list[Referral]  # see ``_referral_rows``


def meeting_record(*, meeting: Meeting, actor: Actor) -> MeetingRecord:
    """The meeting page's rows in five queries (six when a save conflicted): the discussions,
    the moments, the commitments and the referrals read plainly, then one gate for all their
    students."""
    discussions = _discussion_rows(meeting)
    moments = _moment_rows(meeting)
    commitments = list(_commitment_rows(meeting))
    referrals = _referral_rows(meeting)
    with_students = [*discussions, *commitments, *referrals]
    students = _student_gate(
        actor,
        {row.student_id for row in [*with_students, *moments]} | _named(discussions),
        {row.student_id: row.student for row in with_students if row.student_id is not None},
    )
    celebrations, picks = _split_moments(
        m for m in moments if _passes(m, students, optional=m.kind == CELEBRATION)
    )
    commitments = [c for c in commitments if _passes(c, students, optional=True)]
    return MeetingRecord(
        discussions=_finish_discussions(discussions, students, meeting=meeting, actor=actor),
        celebrations=celebrations,
        picks=picks,
        carried=[c for c in commitments if c.meeting_id != meeting.pk],
        commitments=[c for c in commitments if c.meeting_id == meeting.pk],
        referrals=[r for r in referrals if _passes(r, students)],
    )


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


def meeting_picks(*, meeting: Meeting, actor: Actor) -> QuerySet[OrganizerPick]:
    """The teachers' picks for the meeting, of students the actor may see."""
    return (
        OrganizerPick.objects.for_district(meeting.district_id)
        .filter(_of_visible_students(actor), meeting=meeting)
        .select_related("student", "teacher")
    )


@dataclass(frozen=True)
class Moment:
    """A celebration recorded at a meeting, or a teacher's pick for it from the organizer."""

    kind: str  # CELEBRATION, or an OrganizerPick.Kind
    student_id: int | None
    student_name: str
    text: str
    by: str
    at: datetime.datetime

    @property
    def kind_label(self) -> str:
        return "Celebration" if self.kind == CELEBRATION else OrganizerPick.Kind(self.kind).label


CELEBRATION = "celebration"
_MOMENT_COLUMNS = (
    "m_kind",
    "student_id",
    "student__preferred_name",
    "student__given_name",
    "student__family_name",
    "m_text",
    "m_by_name",
    "m_by_email",
    "created_at",
)


def _moment_rows(meeting: Meeting) -> list[Moment]:
    """The meeting's celebrations and organizer picks in one query (both are short lists of a
    student and a text), not yet filtered by student."""
    celebrations = (
        Celebration.objects.for_district(meeting.district_id)
        .filter(meeting=meeting)
        .annotate(
            m_kind=Value(CELEBRATION, output_field=CharField()),
            m_text=F("text"),
            m_by_name=F("author__full_name"),
            m_by_email=F("author__email"),
        )
        .values_list(*_MOMENT_COLUMNS)
        .order_by()
    )
    picks = (
        OrganizerPick.objects.for_district(meeting.district_id)
        .filter(meeting=meeting)
        .annotate(
            m_kind=F("kind"),
            m_text=F("note"),
            m_by_name=F("teacher__full_name"),
            m_by_email=F("teacher__email"),
        )
        .values_list(*_MOMENT_COLUMNS)
        .order_by()
    )
    return [
        Moment(
            kind=kind,
            student_id=student_id,
            student_name=f"{preferred or given} {family}" if student_id else "",
            text=text,
            by=by_name or by_email or "",
            at=at,
        )
        for kind, student_id, preferred, given, family, text, by_name, by_email, at in (
            celebrations.union(picks, all=True)
        )
    ]


def _split_moments(moments: Iterable[Moment]) -> tuple[list[Moment], list[Moment]]:
    """(celebrations newest first, organizer picks in the organizer's order)."""
    moments = list(moments)
    kind_order = list(OrganizerPick.Kind.values)
    return (
        sorted((m for m in moments if m.kind == CELEBRATION), key=lambda m: m.at, reverse=True),
        sorted(
            (m for m in moments if m.kind != CELEBRATION),
            key=lambda m: (kind_order.index(m.kind), m.at),
        ),
    )
