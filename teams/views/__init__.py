"""Teams pages (STYLE 9), split by seam; the names ``teams/urls.py`` routes to are here."""

from teams.views.coverage import school_coverage
from teams.views.follow_up import (
    celebration_add,
    commitment_add,
    commitment_review,
    referral_add,
    referral_decide,
)
from teams.views.layers import common_language, common_language_pdf
from teams.views.meeting import (
    attendance,
    discussion_add,
    meeting_close,
    meeting_detail,
    meeting_minutes_pdf,
    organizer,
    same_issue,
)
from teams.views.notes import conflict_dismiss, discussion_save, section_note_save
from teams.views.teams import team_create, team_detail, team_list

__all__ = [
    "attendance",
    "celebration_add",
    "commitment_add",
    "commitment_review",
    "common_language",
    "common_language_pdf",
    "conflict_dismiss",
    "discussion_add",
    "discussion_save",
    "meeting_close",
    "meeting_detail",
    "meeting_minutes_pdf",
    "organizer",
    "referral_add",
    "referral_decide",
    "same_issue",
    "school_coverage",
    "section_note_save",
    "team_create",
    "team_detail",
    "team_list",
]
