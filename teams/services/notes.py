"""The meeting's notes, saved as they are typed (autosave), with optimistic concurrency: a
save against an older version is kept beside the newer text, never over it (ADR 5)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from continuum.selectors import focus_area_by_key
from districts.permissions import Actor
from teams import agenda, permissions
from teams.models import Decision, Discussion, Meeting, NoteConflict, SectionNote

NOTE_LIMIT = 10_000  # characters: a long meeting note, not a document
MAX_VERSION = 2**31 - 1  # a version is a PostgreSQL integer
TEXT_FIELDS = {"notes", "strategies", "supports", "others"}
# The page's checkbox posts "true" when ticked and nothing when not; the API, a boolean.
SENSITIVE_VALUES = {True: True, False: False, "true": True, "false": False, "": False}


@dataclass(frozen=True)
class SaveResult:
    """``stale``: the save was made against an older version. The editor stays at that
    version, so everything they go on typing is kept as their conflict, never saved over the
    newer text; ``conflict`` holds what they typed (none when it was blank or the same);
    ``new_conflict``: this save started it, so the editor is told (once, not at every
    keystroke after)."""

    discussion: Discussion | None = None
    conflict: NoteConflict | None = None
    stale: bool = False
    note: SectionNote | None = None
    new_conflict: bool = False


def _check_length(field: str, label: str, value: str) -> None:
    if len(value) > NOTE_LIMIT:
        raise ValidationError(
            {field: f"{label} is {len(value):,} characters; the limit is {NOTE_LIMIT:,}"}
        )


def _check_version(version: int) -> None:
    if not 0 <= version <= MAX_VERSION:
        raise ValidationError({"version": "not a version of this text"})


def _keep_conflict(
    *, note: dict, field: str, text: str, based_on: int, user, district_id
) -> tuple[NoteConflict, bool]:
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
        return conflict, True
    mine.text, mine.based_on_version = text, based_on
    mine.save(update_fields=["text", "based_on_version", "updated_at"])
    return mine, False


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
        # The area of concern, named by its focus area's key (the page's and the API's name
        # for it since before focus areas were the district's): one in use, or the one kept.
        area = focus_area_by_key(key=value) if value != "" else None
        if value != "" and (area is None or area.is_archived and area.pk != locked.focus_area_id):
            raise ValidationError({"value": "choose an area of concern from the list"})
        field, value = "focus_area", area
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
            conflict, new = None, False
            if value.strip():
                conflict, new = _keep_conflict(
                    note={"discussion": locked},
                    field=field,
                    text=value,
                    based_on=version,
                    user=user,
                    district_id=locked.district_id,
                )
            return SaveResult(locked, conflict, stale=True, new_conflict=new)
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
        conflict, new = None, False
        if text.strip():
            conflict, new = _keep_conflict(
                note={"section_note": locked},
                field="text",
                text=text,
                based_on=version,
                user=user,
                district_id=locked.district_id,
            )
        return SaveResult(note=locked, conflict=conflict, stale=True, new_conflict=new)
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
