"""The meeting's notes as they are typed (htmx autosave), and the kept versions a conflict
leaves (ADR 5). A refused save answers 422 with its reason, which htmx swaps in like any
other status (static/js/inplace-edits.js keeps the field unsaved)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_POST

from teams import forms, permissions, selectors, services
from teams.views.meeting import back, say

REFUSED = 422  # the save was understood and refused: its reason is in the partial


@require_POST
def discussion_save(request, meeting_pk: int, discussion_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    discussion = selectors.get_discussion(
        actor=request.actor, meeting=meeting, discussion_pk=discussion_pk
    )
    permissions.require_read_sensitive(request.actor, discussion, meeting.team)
    form = forms.AutosaveForm(request.POST)
    form.is_valid()  # every field is optional: nonsense in ``version`` counts as 0
    field, version = form.cleaned_data.get("field", ""), form.cleaned_data.get("version", 0)
    error, stale, result = None, False, None
    try:
        result = services.discussion_save(
            actor=request.actor,
            discussion=discussion,
            field=field,
            value=request.POST.get("value", ""),
            version=version,
            user=request.user,
        )
        discussion, stale = result.discussion, result.stale
    except ValidationError as problem:
        error = "; ".join(problem.messages)
    if stale:
        # The editor stays at the version they started from (rendered in the status), so
        # what they go on typing is kept as their version, never saved over the newer one.
        setattr(discussion, f"{field}_version", version)
    context = {
        "d": discussion,
        "field": field,
        "meeting": meeting,
        "stale": stale,
        "announce": stale and result.new_conflict,
        "theirs": getattr(discussion, field, "") if stale else "",
        "error": error,
        "value": request.POST.get("value", ""),
    }
    return render(
        request, "teams/meeting.html#save_status", context, status=REFUSED if error else 200
    )


@require_POST
def section_note_save(request, meeting_pk: int, section_key: str):
    """Autosave of the notes under one of the district's own agenda sections."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    form = forms.AutosaveForm(request.POST)
    form.is_valid()  # as above
    version = form.cleaned_data.get("version", 0)
    error, result = None, None
    try:
        result = services.section_note_save(
            actor=request.actor,
            meeting=meeting,
            key=section_key,
            text=request.POST.get("value", ""),
            version=version,
            user=request.user,
        )
    except ValidationError as problem:
        error = "; ".join(problem.messages)
    if not request.htmx:
        if error:
            messages.error(request, f"Not saved: {error}")
        elif result.stale:
            messages.warning(
                request, "Someone else saved these notes first: both versions are kept."
            )
        return back(meeting, f"#section-{section_key}")
    stale = result is not None and result.stale
    context = {
        "section": {"key": section_key, "note": result.note if result else None},
        "meeting": meeting,
        "stale": stale,
        "announce": stale and result.new_conflict,
        "theirs": result.note.text if stale else "",
        "value": request.POST.get("value", ""),
        "error": error,
        "saved": result is not None and not stale,
        # A stale editor stays at their version (see discussion_save).
        "version": version if stale or result is None else result.note.version,
    }
    return render(
        request, "teams/meeting.html#section_status", context, status=REFUSED if error else 200
    )


@require_POST
def conflict_dismiss(request, meeting_pk: int, conflict_pk: int):
    """Stop showing a kept version: its words were merged, or are no longer needed."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    conflict = selectors.get_conflict(meeting=meeting, conflict_pk=conflict_pk)
    form = forms.DismissForm(request.POST)
    form.is_valid()
    try:
        services.conflict_dismiss(
            actor=request.actor,
            meeting=meeting,
            conflict=conflict,
            seen=form.cleaned_data.get("seen", ""),
        )
        messages.success(request, "That kept version is no longer shown.")
    except ValidationError as error:
        say(request, error)
    if conflict.discussion_id:
        return back(meeting, f"#discussion-{conflict.discussion_id}")
    return back(meeting, f"#section-{conflict.section_note.key}")
