"""A meeting's notes under its own agenda sections, and the kept versions a conflicting save
leaves (ADR 5)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from teams import agenda
from teams.models import Meeting, NoteConflict, SectionNote
from teams.selectors.visibility import _one


def meeting_conflicts(*, meeting: Meeting) -> QuerySet[NoteConflict]:
    """The meeting's kept versions not yet dismissed, of discussions and section notes."""
    return (
        NoteConflict.objects.for_district(meeting.district_id)
        .filter(resolved=False)
        .filter(Q(discussion__meeting=meeting) | Q(section_note__meeting=meeting))
        .select_related("discussion", "section_note")
    )


def get_conflict(*, meeting: Meeting, conflict_pk) -> NoteConflict:
    """A kept version, not yet dismissed, of one of ``meeting``'s notes."""
    return _one(meeting_conflicts(meeting=meeting), conflict_pk, "No such kept version.")


@dataclass(frozen=True)
class SectionNoteRecord:
    """The notes under one of the agenda's own sections, with their kept versions not yet
    dismissed."""

    note: SectionNote
    open_conflicts: list[NoteConflict]

    @property
    def text(self) -> str:
        return self.note.text

    @property
    def version(self) -> int:
        return self.note.version


def meeting_section_notes(*, meeting: Meeting) -> dict[str, SectionNoteRecord]:
    """The notes under the agenda's own sections, by key, each with its ``open_conflicts``.
    No query when the agenda has none (a collaborative team meeting's default), one
    otherwise, and one more only when a save conflicted."""
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
    return {note.key: SectionNoteRecord(note, by_note.get(note.pk, [])) for note in notes}
