"""Writes about teams (STYLE 2): each entity's one write path, which pages, the API, tasks
and the demo all call. Split by seam; the names are re-exported here."""

from teams.services.follow_up import (
    celebration_add,
    commitment_add,
    commitment_review,
    organizer_pick,
    referral_create,
    referral_decide,
)
from teams.services.layers import (
    DEFAULT_LAYERS,
    layer_agenda_set,
    layer_describe,
    layers_ensure,
)
from teams.services.meetings import (
    EARLIEST_MEETING,
    MEETING_DAYS_AHEAD,
    MeetingExists,
    attendance_set,
    discussion_add,
    meeting_close,
    meeting_create,
    meeting_reopen,
    same_issue_set,
)
from teams.services.notes import (
    MAX_VERSION,
    NOTE_LIMIT,
    TEXT_FIELDS,
    SaveResult,
    conflict_dismiss,
    discussion_save,
    section_note_save,
)
from teams.services.team_admin import member_set, team_create

__all__ = [
    "DEFAULT_LAYERS",
    "EARLIEST_MEETING",
    "MAX_VERSION",
    "MEETING_DAYS_AHEAD",
    "NOTE_LIMIT",
    "TEXT_FIELDS",
    "MeetingExists",
    "SaveResult",
    "attendance_set",
    "celebration_add",
    "commitment_add",
    "commitment_review",
    "conflict_dismiss",
    "discussion_add",
    "discussion_save",
    "layer_agenda_set",
    "layer_describe",
    "layers_ensure",
    "meeting_close",
    "meeting_create",
    "meeting_reopen",
    "member_set",
    "organizer_pick",
    "referral_create",
    "referral_decide",
    "same_issue_set",
    "section_note_save",
    "team_create",
]
