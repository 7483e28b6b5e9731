"""Meetings: started, attended, closed and reopened; the students put on their key issues."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from districts.permissions import Actor
from schools.models import Student
from teams import permissions, selectors
from teams.models import Discussion, Meeting, SameIssueStudent, Team, TeamMember

# Meetings are recorded after the fact too (a year of paper minutes typed in), so the past is
# open back to a date no school's record precedes; the future, a year ahead.
EARLIEST_MEETING, MEETING_DAYS_AHEAD = datetime.date(2000, 1, 1), 365


class MeetingExists(ValidationError):
    """The team already meets that day: open that meeting rather than a second one."""

    def __init__(self, meeting: Meeting):
        super().__init__({"date": f"this team already has a meeting on {meeting.date:%-d %b %Y}"})
        self.meeting = meeting


@transaction.atomic
def meeting_create(*, actor: Actor, team: Team, date: datetime.date) -> Meeting:
    if not permissions.can_edit(actor, team):
        raise PermissionDenied
    latest = team.district.today() + datetime.timedelta(days=MEETING_DAYS_AHEAD)
    if not EARLIEST_MEETING <= date <= latest:
        raise ValidationError(
            {"date": f"a meeting is dated from {EARLIEST_MEETING:%Y} to a year from today"}
        )
    Team.objects.select_for_update().filter(pk=team.pk).first()  # one start at a time
    same_day = Meeting.objects.filter(team=team, date=date).first()
    if same_day is not None:
        raise MeetingExists(same_day)
    return Meeting.objects.create(
        district_id=team.district_id, team=team, date=date, agenda=list(team.layer.agenda_template)
    )


@transaction.atomic
def meeting_close(*, actor: Actor, meeting: Meeting) -> Meeting:
    permissions.require_edit(actor, meeting)
    if meeting.closed_at is not None:
        # Closing again would restart the days the team may still correct it.
        raise ValidationError(f"this meeting was closed on {meeting.closed_at:%-d %b %Y}")
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["closed_at", "updated_at"])
    return meeting


@transaction.atomic
def meeting_reopen(*, actor: Actor, meeting: Meeting, user) -> Meeting:
    if not permissions.can_reopen(actor, meeting.team):
        raise PermissionDenied("Only the principal reopens a closed meeting.")
    meeting.closed_at = None
    meeting.reopened_by = user
    meeting.save(update_fields=["closed_at", "reopened_by", "updated_at"])
    return meeting


def require_school_student(meeting: Meeting, student: Student | None) -> None:
    """A school's team records about that school's students (a district team, any)."""
    school_id = meeting.team.school_id
    if student is not None and school_id is not None and student.school_id != school_id:
        raise ValidationError(
            {"student": f"{student.display_name} is not a student of {meeting.team.school}"}
        )


@transaction.atomic
def discussion_add(*, actor: Actor, meeting: Meeting, student: Student, user) -> Discussion:
    permissions.require_edit(actor, meeting)
    require_school_student(meeting, student)
    discussion, _ = Discussion.objects.get_or_create(
        meeting=meeting,
        student=student,
        defaults={"district_id": meeting.district_id, "author": user, "updated_by": user},
    )
    return discussion


@transaction.atomic
def same_issue_set(
    *, actor: Actor, discussion: Discussion, student: Student, named: bool = True
) -> None:
    """Name (or un-name) another student as having the same issue as the one discussed. One
    student at a time, so two people editing the list at once never undo each other."""
    meeting = discussion.meeting
    permissions.require_edit(actor, meeting)
    permissions.require_read_sensitive(actor, discussion, meeting.team)
    if not named:
        SameIssueStudent.objects.filter(discussion=discussion, student=student).delete()
        return
    if student.pk == discussion.student_id:
        raise ValidationError({"student": "this is the student being discussed"})
    candidates = selectors.same_issue_candidates(meeting=meeting, actor=actor)
    if not candidates.filter(pk=student.pk).exists():
        raise ValidationError({"student": "name an active student of this team's school"})
    SameIssueStudent.objects.get_or_create(
        discussion=discussion, student=student, defaults={"district_id": discussion.district_id}
    )


@transaction.atomic
def attendance_set(*, actor: Actor, meeting: Meeting, user_ids: list[int]) -> None:
    """Who attended: members of the team only."""
    permissions.require_edit(actor, meeting)
    members = set(TeamMember.objects.filter(team=meeting.team).values_list("user_id", flat=True))
    outsiders = set(user_ids) - members
    if outsiders:
        raise ValidationError({"attendees": "only the team's members attend its meetings"})
    meeting.attendees.set(user_ids)
