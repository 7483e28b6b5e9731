"""What a meeting leads to: commitments (revisited at the next meeting), celebrations,
referrals to the school support team and its decisions, and the teachers' organizer picks."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from districts.permissions import Actor
from schools.models import Student
from teams import permissions, selectors
from teams.models import (
    Celebration,
    Commitment,
    CommitmentStatus,
    LayerKind,
    Meeting,
    OrganizerPick,
    Referral,
    Team,
    TeamMember,
)
from teams.services.fields import check_fields
from teams.services.meetings import require_school_student


@transaction.atomic
def commitment_add(
    *,
    actor: Actor,
    meeting: Meeting,
    owner_id: int,
    text: str,
    due_date: datetime.date,
    student: Student | None = None,
) -> Commitment:
    permissions.require_edit(actor, meeting)
    require_school_student(meeting, student)
    if not TeamMember.objects.filter(team=meeting.team, user_id=owner_id).exists():
        raise ValidationError({"owner": "the owner must be a member of this team"})
    text = text.strip()
    if not text:
        raise ValidationError({"text": "say what will be done"})
    if not meeting.date <= due_date <= meeting.date + datetime.timedelta(days=365):
        raise ValidationError(
            {"due_date": "the due date is on or after the meeting, and within a year of it"}
        )
    commitment = Commitment(
        district_id=meeting.district_id,
        team=meeting.team,
        meeting=meeting,
        owner_id=owner_id,
        text=text,
        due_date=due_date,
        student=student,
    )
    check_fields(commitment, "text")
    commitment.save()
    return commitment


@transaction.atomic
def commitment_review(
    *, actor: Actor, commitment: Commitment, meeting: Meeting, status: str, comment: str
) -> Commitment:
    """'How is it going?' — at a later meeting of the same team."""
    permissions.require_edit(actor, meeting)
    if commitment.team_id != meeting.team_id:
        raise ValidationError("that commitment belongs to another team")
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": "choose a status from the list"})
    commitment.status, commitment.comment = status, comment.strip()
    commitment.reviewed_at = meeting
    check_fields(commitment, "comment")
    commitment.save(update_fields=["status", "comment", "reviewed_at", "updated_at"])
    return commitment


@transaction.atomic
def celebration_add(
    *, actor: Actor, meeting: Meeting, text: str, user, student: Student | None = None
) -> Celebration:
    permissions.require_edit(actor, meeting)
    require_school_student(meeting, student)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "name the practice that worked"})
    celebration = Celebration(
        district_id=meeting.district_id, meeting=meeting, student=student, text=text, author=user
    )
    check_fields(celebration, "text")
    celebration.save()
    return celebration


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    meeting: Meeting,
    student: Student,
    context: str,
    user,
    to_team: Team | None = None,
):
    """Refer a student to the school support team of the meeting's school."""

    permissions.require_edit(actor, meeting)
    require_school_student(meeting, student)
    if meeting.team.layer.kind == LayerKind.SCHOOL_SUPPORT_TEAM:
        raise ValidationError("the school support team receives referrals; it does not refer")
    school_id = meeting.team.school_id
    if to_team is None:
        to_team = Team.objects.filter(
            layer__kind=LayerKind.SCHOOL_SUPPORT_TEAM, school_id=school_id, is_active=True
        ).first()
        if to_team is None:
            raise ValidationError("this school has no school support team yet")
    if to_team.school_id != school_id:
        raise ValidationError({"to_team": "a referral goes to a team of the same school"})
    if to_team.layer.kind != LayerKind.SCHOOL_SUPPORT_TEAM:
        raise ValidationError({"to_team": "a referral goes to the school support team"})
    context = context.strip()
    if not context:
        raise ValidationError({"context": "say why: the issue and what was tried"})
    Team.objects.select_for_update().filter(pk=to_team.pk).first()  # a double submit waits
    waiting = Referral.objects.filter(
        student=student, to_team=to_team, status=Referral.Status.PENDING
    )
    if waiting.exists():
        raise ValidationError(
            {"student": f"{student.display_name} is already waiting for {to_team.name}"}
        )
    referral = Referral(
        district_id=meeting.district_id,
        student=student,
        from_meeting=meeting,
        to_team=to_team,
        context=context,
        referred_by=user,
    )
    check_fields(referral, "context")
    referral.save()
    return referral


@transaction.atomic
def referral_decide(*, actor: Actor, referral, meeting: Meeting, decision: str):
    """The school support team's decision, at one of its meetings."""

    permissions.require_edit(actor, meeting)
    if referral.to_team_id != meeting.team_id:
        raise ValidationError("that referral was made to another team")
    if referral.decided_at_id not in (None, meeting.pk):
        raise ValidationError(
            f"that referral was decided at the meeting of {referral.decided_at.date:%-d %b %Y}"
        )
    if meeting.date < referral.from_meeting.date:
        raise ValidationError(
            "a referral is decided at a meeting on or after the one that made it "
            f"({referral.from_meeting.date:%-d %b %Y})"
        )
    decision = decision.strip()
    if not decision:
        raise ValidationError({"decision": "record what the team decided"})
    referral.decision, referral.decided_at = decision, meeting
    referral.status = Referral.Status.DECIDED
    check_fields(referral, "decision")
    referral.save(update_fields=["decision", "decided_at", "status", "updated_at"])
    return referral


@transaction.atomic
def organizer_pick(
    *, actor: Actor, meeting: Meeting, user, kind: str, student: Student | None, note: str = ""
):
    """Set (or clear, with no student) one of a teacher's picks for the meeting."""

    permissions.require_edit(actor, meeting)
    if kind not in OrganizerPick.Kind.values:
        raise ValidationError({"kind": "choose celebrate, key issue or enrich"})
    picks = OrganizerPick.objects.filter(meeting=meeting, teacher=user, kind=kind)
    if student is None:
        picks.delete()
        return None
    if not selectors.team_students(team=meeting.team, actor=actor).filter(pk=student.pk).exists():
        raise ValidationError({"student": "pick a student of this team's classes"})
    note = note.strip()
    check_fields(OrganizerPick(note=note), "note")
    pick, _ = OrganizerPick.objects.update_or_create(
        meeting=meeting,
        teacher=user,
        kind=kind,
        defaults={"district_id": meeting.district_id, "student": student, "note": note},
    )
    return pick
