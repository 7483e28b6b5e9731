"""Writes about teams: layers, meetings, discussions (with optimistic concurrency),
commitments, celebrations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from districts.permissions import Actor
from schools.models import Student
from screeners.models import Domain
from teams import agenda, permissions, selectors
from teams.models import (
    DEFAULT_CTM_AGENDA,
    DEFAULT_DISTRICT_AGENDA,
    DEFAULT_PLANNING_AGENDA,
    DEFAULT_SUPPORT_AGENDA,
    Celebration,
    Commitment,
    CommitmentStatus,
    Decision,
    Discussion,
    LayerKind,
    Meeting,
    NoteConflict,
    SameIssueStudent,
    SectionNote,
    Team,
    TeamLayer,
    TeamMember,
)

NOTE_LIMIT = 10_000  # characters: a long meeting note, not a document
MAX_VERSION = 2**31 - 1  # a version is a PostgreSQL integer
TEXT_FIELDS = {"notes", "strategies", "supports", "others"}
# The page's checkbox posts "true" when ticked and nothing when not; the API, a boolean.
SENSITIVE_VALUES = {True: True, False: False, "true": True, "false": False, "": False}
DEFAULT_LAYERS = [
    (
        LayerKind.COLLABORATIVE_PLANNING,
        "Collaborative planning",
        "Plan instruction together.",
        "Grade or subject teachers",
        "Weekly",
        DEFAULT_PLANNING_AGENDA,
    ),
    (
        LayerKind.COLLABORATIVE_TEAM_MEETING,
        "Collaborative team meeting",
        "Every student's needs, discussed by the teachers who know them.",
        "Teachers of a grade or division, with a facilitator",
        "Every six weeks",
        DEFAULT_CTM_AGENDA,
    ),
    (
        LayerKind.SCHOOL_SUPPORT_TEAM,
        "School support team",
        "Students referred by collaborative teams; supports beyond the classroom.",
        "Principal, learning support, counsellor",
        "Every two weeks",
        DEFAULT_SUPPORT_AGENDA,
    ),
    (
        LayerKind.DISTRICT_TEAM,
        "District team",
        "Tiers of district support to schools, from their data and action plans.",
        "District leaders",
        "Monthly",
        DEFAULT_DISTRICT_AGENDA,
    ),
]


def layers_ensure(*, district_id: int) -> list[TeamLayer]:
    """The four canonical layers, with default names the district may change (idempotent)."""
    layers = []
    for order, (kind, name, purpose, attendees, frequency, template) in enumerate(DEFAULT_LAYERS):
        layer, _ = TeamLayer.objects.for_district(district_id).get_or_create(
            kind=kind,
            defaults={
                "district_id": district_id,
                "name": name,
                "purpose": purpose,
                "attendees": attendees,
                "frequency": frequency,
                "agenda_template": template,
                "order": order,
            },
        )
        layers.append(layer)
    return layers


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
    latest = timezone.localdate() + datetime.timedelta(days=MEETING_DAYS_AHEAD)
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


def _require_school_student(meeting: Meeting, student: Student | None) -> None:
    """A school's team records about that school's students (a district team, any)."""
    school_id = meeting.team.school_id
    if student is not None and school_id is not None and student.school_id != school_id:
        raise ValidationError(
            {"student": f"{student.display_name} is not a student of {meeting.team.school}"}
        )


@transaction.atomic
def discussion_add(*, actor: Actor, meeting: Meeting, student: Student, user) -> Discussion:
    permissions.require_edit(actor, meeting)
    _require_school_student(meeting, student)
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


@dataclass(frozen=True)
class SaveResult:
    """``stale``: the save was made against an older version. The editor stays at that
    version, so everything they go on typing is kept as their conflict, never saved over the
    newer text; ``conflict`` holds what they typed (none when it was blank or the same)."""

    discussion: Discussion | None = None
    conflict: NoteConflict | None = None
    stale: bool = False
    note: SectionNote | None = None


def _check_length(field: str, label: str, value: str) -> None:
    if len(value) > NOTE_LIMIT:
        raise ValidationError(
            {field: f"{label} is {len(value):,} characters; the limit is {NOTE_LIMIT:,}"}
        )


def _check_version(version: int) -> None:
    if not 0 <= version <= MAX_VERSION:
        raise ValidationError({"version": "not a version of this text"})


def _keep_conflict(*, note: dict, field: str, text: str, based_on: int, user, district_id):
    """The editor's text, kept beside the newer one. As they go on typing on the same page
    it is updated rather than repeated; a later conflict (a reloaded page) is kept apart."""
    mine = (  # the same episode: saves from the same page, all at the version it started from
        NoteConflict.objects.select_for_update()  # not while someone dismisses it
        .filter(**note, field=field, author=user, resolved=False, based_on_version=based_on)
        .order_by("-id")
        .first()
    )
    if mine is None:
        conflict = NoteConflict.objects.create(
            district_id=district_id,
            **note,
            field=field,
            text=text,
            based_on_version=based_on,
            author=user,
        )
        conflict.is_new = True  # the editor is told once, not at every keystroke after
        return conflict
    mine.text, mine.based_on_version = text, based_on
    mine.save(update_fields=["text", "based_on_version", "updated_at"])
    return mine


@transaction.atomic
def discussion_save(
    *, actor: Actor, discussion: Discussion, field: str, value, version: int = 0, user
) -> SaveResult:
    """Save one field of a discussion against the version the editor started from.

    When someone else saved in between, the text fields are not overwritten: this save is
    kept as a conflict beside the current text, and both are shown. Nothing is lost."""
    meeting = discussion.meeting
    permissions.require_edit(actor, meeting)
    locked = Discussion.objects.select_for_update().get(pk=discussion.pk)
    # Checked on the locked row: it may have been marked sensitive since it was read.
    permissions.require_read_sensitive(actor, locked, meeting.team)
    if field in TEXT_FIELDS:
        value = str(value)
        _check_length("value", field, value)
        _check_version(version)
    elif field == "decision":
        if value not in {"", *Decision.values}:
            raise ValidationError({"value": "choose a decision from the list"})
    elif field == "domain":
        if value not in {"", *Domain.values}:
            raise ValidationError({"value": "choose an area of concern from the list"})
    elif field == "sensitive":
        if value not in SENSITIVE_VALUES:
            raise ValidationError({"value": "sensitive is true or false"})
        value = SENSITIVE_VALUES[value]
    else:
        raise ValidationError({"field": f"{str(field)[:40]!r} cannot be edited"})
    update = [field, "updated_by", "updated_at"]
    if field in TEXT_FIELDS:
        if value == getattr(locked, field):
            # Unchanged (a save on leaving the field): a new version would make everyone
            # else's next save a false conflict.
            return SaveResult(locked)
        current_version = getattr(locked, f"{field}_version")
        if current_version != version:
            conflict = None
            if value.strip():
                conflict = _keep_conflict(
                    note={"discussion": locked},
                    field=field,
                    text=value,
                    based_on=version,
                    user=user,
                    district_id=locked.district_id,
                )
            return SaveResult(locked, conflict, stale=True)
        setattr(locked, f"{field}_version", current_version + 1)
        update.append(f"{field}_version")
    setattr(locked, field, value)
    locked.updated_by = user
    locked.save(update_fields=update)
    return SaveResult(locked)


@transaction.atomic
def section_note_save(
    *, actor: Actor, meeting: Meeting, key: str, text, version: int = 0, user
) -> SaveResult:
    """Save the notes of one of the district's own agenda sections, against the version the
    editor started from (0 before the first save); conflicts as for a discussion's notes."""
    permissions.require_edit(actor, meeting)
    if key not in agenda.custom_keys(meeting.agenda):
        raise ValidationError("this meeting's agenda has no such section of its own")
    text = str(text)
    _check_length("text", "the notes", text)
    _check_version(version)
    SectionNote.objects.get_or_create(
        meeting=meeting, key=key, defaults={"district_id": meeting.district_id}
    )
    locked = SectionNote.objects.select_for_update().get(meeting=meeting, key=key)
    if text == locked.text:
        return SaveResult(note=locked)  # unchanged: no new version (see discussion_save)
    if locked.version != version:
        conflict = None
        if text.strip():
            conflict = _keep_conflict(
                note={"section_note": locked},
                field="text",
                text=text,
                based_on=version,
                user=user,
                district_id=locked.district_id,
            )
        return SaveResult(note=locked, conflict=conflict, stale=True)
    locked.text, locked.version, locked.updated_by = text, locked.version + 1, user
    locked.save(update_fields=["text", "version", "updated_by", "updated_at"])
    return SaveResult(note=locked)


@transaction.atomic
def conflict_dismiss(
    *, actor: Actor, meeting: Meeting, conflict: NoteConflict, seen: str | None = None
) -> None:
    """Someone merged what they needed from a kept version: it stops being shown. ``seen``
    is the version's ``token`` as they read it: if its writer has typed on since, the
    dismissal is refused, so words nobody read are never hidden."""
    permissions.require_edit(actor, meeting)
    conflict = NoteConflict.objects.select_for_update().get(pk=conflict.pk)
    discussion = conflict.discussion
    if discussion is not None:
        if discussion.meeting_id != meeting.pk:
            raise ValidationError("that version belongs to another meeting")
        permissions.require_read_sensitive(actor, discussion, meeting.team)
    elif conflict.section_note.meeting_id != meeting.pk:
        raise ValidationError("that version belongs to another meeting")
    if seen is not None and seen != conflict.token:
        raise ValidationError(
            {"seen": "that version changed since you read it: read it again, then dismiss it"}
        )
    conflict.resolved = True
    conflict.save(update_fields=["resolved", "updated_at"])


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
    _require_school_student(meeting, student)
    if not TeamMember.objects.filter(team=meeting.team, user_id=owner_id).exists():
        raise ValidationError({"owner": "the owner must be a member of this team"})
    text = text.strip()
    if not text:
        raise ValidationError({"text": "say what will be done"})
    if len(text) > 500:
        raise ValidationError({"text": "keep a commitment under 500 characters"})
    if not meeting.date <= due_date <= meeting.date + datetime.timedelta(days=365):
        raise ValidationError(
            {"due_date": "the due date is on or after the meeting, and within a year of it"}
        )
    return Commitment.objects.create(
        district_id=meeting.district_id,
        team=meeting.team,
        meeting=meeting,
        owner_id=owner_id,
        text=text,
        due_date=due_date,
        student=student,
    )


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
    commitment.status, commitment.comment = status, comment.strip()[:500]
    commitment.reviewed_at = meeting
    commitment.save(update_fields=["status", "comment", "reviewed_at", "updated_at"])
    return commitment


@transaction.atomic
def celebration_add(
    *, actor: Actor, meeting: Meeting, text: str, user, student: Student | None = None
) -> Celebration:
    permissions.require_edit(actor, meeting)
    _require_school_student(meeting, student)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "name the practice that worked"})
    if len(text) > 500:
        raise ValidationError({"text": f"keep a celebration under 500 characters ({len(text):,})"})
    return Celebration.objects.create(
        district_id=meeting.district_id,
        meeting=meeting,
        student=student,
        text=text,
        author=user,
    )


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
    from teams.models import Referral

    permissions.require_edit(actor, meeting)
    _require_school_student(meeting, student)
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
    if len(context) > 4000:
        raise ValidationError(
            {"context": f"keep the context under 4,000 characters ({len(context):,})"}
        )
    Team.objects.select_for_update().filter(pk=to_team.pk).first()  # a double submit waits
    waiting = Referral.objects.filter(
        student=student, to_team=to_team, status=Referral.Status.PENDING
    )
    if waiting.exists():
        raise ValidationError(
            {"student": f"{student.display_name} is already waiting for {to_team.name}"}
        )
    return Referral.objects.create(
        district_id=meeting.district_id,
        student=student,
        from_meeting=meeting,
        to_team=to_team,
        context=context,
        referred_by=user,
    )


@transaction.atomic
def referral_decide(*, actor: Actor, referral, meeting: Meeting, decision: str):
    """The school support team's decision, at one of its meetings."""
    from teams.models import Referral

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
    referral.decision, referral.decided_at = decision[:4000], meeting
    referral.status = Referral.Status.DECIDED
    referral.save(update_fields=["decision", "decided_at", "status", "updated_at"])
    return referral


@transaction.atomic
def layer_describe(
    *, actor: Actor, layer: TeamLayer, name: str, purpose: str, attendees: str, frequency: str
) -> TeamLayer:
    """The district's own words for a layer (its "dialect")."""
    permissions.require_describe_layers(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "a layer needs a name"})
    layer.name, layer.purpose = name[:120], purpose.strip()[:2000]
    layer.attendees, layer.frequency = attendees.strip()[:2000], frequency.strip()[:120]
    layer.save(update_fields=["name", "purpose", "attendees", "frequency", "updated_at"])
    return layer


@transaction.atomic
def layer_agenda_set(*, actor: Actor, layer: TeamLayer, sections: list[dict]) -> TeamLayer:
    """The layer's agenda template: its meetings from now on start from it."""
    permissions.require_describe_layers(actor)
    layer.agenda_template = agenda.clean(sections)
    layer.save(update_fields=["agenda_template", "updated_at"])
    return layer


@transaction.atomic
def organizer_pick(
    *, actor: Actor, meeting: Meeting, user, kind: str, student: Student | None, note: str = ""
):
    """Set (or clear, with no student) one of a teacher's picks for the meeting."""
    from teams.models import OrganizerPick

    permissions.require_edit(actor, meeting)
    if kind not in OrganizerPick.Kind.values:
        raise ValidationError({"kind": "choose celebrate, key issue or enrich"})
    picks = OrganizerPick.objects.filter(meeting=meeting, teacher=user, kind=kind)
    if student is None:
        picks.delete()
        return None
    if not selectors.team_students(team=meeting.team, actor=actor).filter(pk=student.pk).exists():
        raise ValidationError({"student": "pick a student of this team's classes"})
    pick, _ = OrganizerPick.objects.update_or_create(
        meeting=meeting,
        teacher=user,
        kind=kind,
        defaults={
            "district_id": meeting.district_id,
            "student": student,
            "note": note.strip()[:300],
        },
    )
    return pick


@transaction.atomic
def team_create(*, actor: Actor, layer: TeamLayer, school, name: str, cycle_weeks: int) -> Team:
    permissions.require_team_admin(actor, school.pk if school else None)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "a team needs a name"})
    if len(name) > 160:
        raise ValidationError({"name": f"keep the name under 160 characters ({len(name):,})"})
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
    from districts.models import Membership
    from teams.models import MeetingRole

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
    TeamMember.objects.update_or_create(
        team=team,
        user_id=user_id,
        defaults={
            "district_id": team.district_id,
            "meeting_role": meeting_role,
            "strengths": strengths.strip()[:300],
        },
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
