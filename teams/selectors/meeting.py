"""The meeting page's reads: its rows read plainly, then their students passed through one
visibility gate (its section notes and kept versions: ``teams.selectors.notes``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from crsys.aggregates import JoinedIds, split_ids
from districts.permissions import ALL_SCHOOLS, Actor, Capability
from schools.models import Student
from teams.models import (
    Celebration,
    Commitment,
    CommitmentStatus,
    Discussion,
    Meeting,
    NoteConflict,
    OrganizerPick,
    Referral,
    SameIssueStudent,
    Team,
)
from teams.permissions import can_read_sensitive
from teams.selectors.visibility import (
    _one,
    visible_discussions,
)


def get_discussion(*, actor: Actor, meeting: Meeting, discussion_pk) -> Discussion:
    """A discussion of ``meeting`` the actor may see (its student's visible to them)."""
    return _one(
        visible_discussions(actor=actor)
        .filter(meeting=meeting)
        .select_related("student", "focus_area"),
        discussion_pk,
        "No such discussion.",
    )


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


@dataclass(frozen=True)
class MeetingReferrals:
    """A meeting's referrals, about students the actor may see."""

    made: list[Referral]  # at this meeting
    outcomes: list[Referral]  # the team's referrals decided since its previous meeting
    to_review: list[Referral]  # to this team (a school support team): waiting, or decided here


def _referral_rows(meeting: Meeting) -> list[Referral]:
    """Referrals made at this meeting, decisions on this team's referrals since its previous
    meeting (``_is_outcome``), and those waiting for this team (a school support team), not
    yet filtered by student: each is from this meeting or its team, or to its team, so of a
    team the actor may see."""
    previous = (
        Meeting.objects.for_district(meeting.district_id)
        .filter(team_id=meeting.team_id, date__lt=meeting.date)
        .order_by("-date")
        .values("date")[:1]
    )
    since = Coalesce(Subquery(previous), Value(datetime.date(1900, 1, 1)), output_field=DateField())
    return list(
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


def _is_outcome(r: Referral, meeting: Meeting) -> bool:
    """A decision on the team's referral since its previous meeting: ``_referral_rows``'s
    last branch, less its "since" (every row it does not hold came through another branch
    and was decided at this meeting, so after the previous one)."""
    return (
        r.from_meeting.team_id == meeting.team_id
        and r.status == "decided"
        and r.decided_at is not None
        and r.decided_at.date <= meeting.date
        and r.from_meeting.date < meeting.date
    )


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
        .select_related("student", "focus_area")
        .annotate(
            has_conflicts=Exists(open_conflicts.filter(discussion_id=OuterRef("pk"))),
            same_issue_ids=Subquery(links, output_field=CharField()),
        )
    )


@dataclass(frozen=True)
class DiscussionRecord:
    """A discussion as one actor reads it: ``readable``, whether they may read its notes (a
    sensitive one only for its author, the principal and support staff); its kept versions
    not yet dismissed and the other students named with the same issue that they may see
    (None: not read with it). The model's own fields read through (``record.notes``)."""

    discussion: Discussion
    readable: bool
    open_conflicts: list[NoteConflict] | None = None
    same_issue: list[Student] | None = None

    def __getattr__(self, name: str):
        if name == "discussion":  # not set yet (copy, pickle): never recurse
            raise AttributeError(name)
        return getattr(self.discussion, name)


def read_discussion(
    discussion: Discussion, *, actor: Actor, team: Team, **extras
) -> DiscussionRecord:
    """``discussion`` with what ``actor`` may read of it."""
    readable = not discussion.sensitive or can_read_sensitive(actor, discussion, team)
    return DiscussionRecord(discussion, readable, **extras)


def _finish_discussions(
    discussions: list[Discussion], students: dict[int, Student], *, meeting: Meeting, actor
) -> list[DiscussionRecord]:
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
    return [
        read_discussion(
            d,
            actor=actor,
            team=meeting.team,
            open_conflicts=by_discussion.get(d.pk, []),
            same_issue=sorted(
                (students[pk] for pk in split_ids(d.same_issue_ids) if pk in students),
                key=lambda s: (s.family_name, s.given_name),
            ),
        )
        for d in discussions
    ]


def _named(discussions: list[Discussion]) -> set[int]:
    return {pk for d in discussions for pk in split_ids(d.same_issue_ids)}


def meeting_discussions(*, meeting: Meeting, actor: Actor) -> list[DiscussionRecord]:
    """The meeting's discussions about students the actor may see, each with ``readable``,
    ``open_conflicts`` and ``same_issue``: two queries (three when a save conflicted)."""
    rows = _discussion_rows(meeting)
    students = _student_gate(
        actor, {d.student_id for d in rows} | _named(rows), {d.student_id: d.student for d in rows}
    )
    return _finish_discussions(rows, students, meeting=meeting, actor=actor)


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


@dataclass(frozen=True)
class MeetingRecord:
    """What a meeting page shows of a meeting, about students the actor may see."""

    discussions: list[DiscussionRecord]
    celebrations: list[Moment]
    picks: list[Moment]
    carried: list[Commitment]  # earlier meetings' commitments still open, or reviewed here
    commitments: list[Commitment]  # taken at this meeting
    referrals: MeetingReferrals


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
    referrals = [r for r in referrals if _passes(r, students)]
    return MeetingRecord(
        discussions=_finish_discussions(discussions, students, meeting=meeting, actor=actor),
        celebrations=celebrations,
        picks=picks,
        carried=[c for c in commitments if c.meeting_id != meeting.pk],
        commitments=[c for c in commitments if c.meeting_id == meeting.pk],
        referrals=MeetingReferrals(
            made=[r for r in referrals if r.from_meeting_id == meeting.pk],
            outcomes=[r for r in referrals if _is_outcome(r, meeting)],
            to_review=[r for r in referrals if r.to_team_id == meeting.team_id],
        ),
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
