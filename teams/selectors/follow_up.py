"""What meetings lead to, read across meetings: commitments, referrals, celebrations and
discussions of a student, and the teachers' organizer picks."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from districts.permissions import Actor
from schools.models import Student
from teams.models import (
    Celebration,
    Commitment,
    CommitmentStatus,
    Discussion,
    Meeting,
    OrganizerPick,
    Referral,
    SameIssueStudent,
)
from teams.permissions import can_read_sensitive
from teams.selectors.meeting import DiscussionRecord, read_discussion
from teams.selectors.visibility import (
    _of_visible_students,
    _one,
    visible_celebrations,
    visible_commitments,
    visible_discussions,
    visible_referrals,
)


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


def visible_carried_commitments(*, meeting: Meeting, actor) -> QuerySet[Commitment]:
    """``carried_commitments`` the actor may see (about a student they may see, or none)."""
    return carried_commitments(meeting=meeting).filter(
        pk__in=visible_commitments(actor=actor).values("pk")
    )


def get_carried_commitment(*, meeting: Meeting, commitment_pk) -> Commitment:
    """A commitment on ``meeting``'s agenda from the team's earlier meetings."""
    return _one(
        carried_commitments(meeting=meeting),
        commitment_pk,
        "No such commitment on that meeting's agenda.",
    )


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


def student_discussions(*, actor: Actor, student: Student) -> list[DiscussionRecord]:
    """Every discussion of the student in teams the actor may see, newest first; the text of
    a sensitive one only for those who may read it."""
    discussions = (
        visible_discussions(actor=actor)
        .filter(student=student)
        .select_related("meeting", "meeting__team", "focus_area")
        .order_by("-meeting__date", "-id")
    )
    return [read_discussion(d, actor=actor, team=d.meeting.team) for d in discussions]


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
        .select_related("student", "meeting", "meeting__team", "focus_area")
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


def get_referral_to_review(*, meeting: Meeting, referral_pk) -> Referral:
    """A referral ``meeting``'s team (a school support team) decides, or decided here."""
    return _one(
        referrals_to_review(meeting=meeting),
        referral_pk,
        "No such referral for that meeting's team.",
    )


def meeting_picks(*, meeting: Meeting, actor: Actor) -> QuerySet[OrganizerPick]:
    """The teachers' picks for the meeting, of students the actor may see."""
    return (
        OrganizerPick.objects.for_district(meeting.district_id)
        .filter(_of_visible_students(actor), meeting=meeting)
        .select_related("student", "teacher")
    )
