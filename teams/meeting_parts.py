"""The meeting page's parts that load when asked for: the student picker's matches, the
folded table of the team's students, and a folded discussion's notes. Each is checked like
the page itself (the meeting through ``get_meeting``, students through the visible set)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from continuum.alerts import alerts_among
from continuum.selectors import focus_areas, team_supports
from schools.selectors import district_today
from teams import agenda, meeting_page, permissions, picker, selectors
from teams.models import Decision


def meeting_url(request, meeting) -> str:
    """The page's address, from the request's district (no query for ``meeting.district``)."""
    return reverse(
        "teams:meeting", kwargs={"district_slug": request.district.slug, "meeting_pk": meeting.pk}
    )


def students_table(request, meeting) -> dict:
    students = list(
        meeting_page.meeting_students(actor=request.actor, team=meeting.team).order_by(
            "family_name", "given_name"
        )
    )
    bands = meeting_page.latest_bands(
        district_id=request.district.pk, student_ids={s.pk for s in students}
    )
    return {
        "rows": [meeting_page.StudentRow(s, bands.cells(s.pk)) for s in students],
        "screeners": bands.screeners,
        "window": bands.window,
        "students_loaded": True,
    }


@require_GET
def meeting_students_table(request, meeting_pk: int):
    """The meeting's folded table of the team's students, coloured by their latest bands."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    return render(request, "teams/meeting.html#students_table", students_table(request, meeting))


def support_alerts(request, meeting) -> dict:
    """What the team's next meeting opens with: its students in a screener's lowest band
    with no support in that area, and their plans that need scores or an outcome."""
    students = meeting_page.meeting_students(actor=request.actor, team=meeting.team).filter(
        is_active=True
    )
    return {
        "alerts": alerts_among(
            actor=request.actor, students=students, today=district_today(request.district)
        ),
        "heading": "Supports to check",
        "heading_id": "supports-heading",
        "section_id": "supports",
        "intro": "The team's students in a screener's lowest band with no support in that "
        "area, and their plans that need scores or an outcome.",
        "supports_loaded": True,
    }


@require_GET
def meeting_support_alerts(request, meeting_pk: int):
    """The supports to check, loaded when an open meeting's page opens."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    return render(request, "continuum/_alerts.html", support_alerts(request, meeting))


@require_GET
def meeting_continuum_supports(request, meeting_pk: int):
    """The options a key issue's "strategies already tried" and "brainstorm" pick from: the
    continuum of the team's school and the district's."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    supports = team_supports(actor=request.actor, school_id=meeting.team.school_id)
    return render(request, "teams/_continuum_options.html", {"supports": supports})


@require_GET
def meeting_students(request, meeting_pk: int):
    """The student picker's options: the team's students the user may see that match what
    was typed (the first few, by name)."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    form = picker.StudentQueryForm(request.GET)
    if not form.is_valid():
        return render(request, "teams/_student_options.html", {"students": []}, status=400)
    students = meeting_page.pickable_students(
        actor=request.actor,
        meeting=meeting,
        query=form.cleaned_data["q"],
        skip_discussed=form.cleaned_data["skip"] == "discussed",
    )[: meeting_page.PICKER_LIMIT]
    return render(request, "teams/_student_options.html", {"students": students})


@require_GET
def discussion_editor(request, meeting_pk: int, discussion_pk: int):
    """A folded discussion's notes and choices, loaded when it is opened."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    discussions = selectors.meeting_discussions(meeting=meeting, actor=request.actor)
    discussion = next((d for d in discussions if str(d.pk) == str(discussion_pk)), None)
    if discussion is None:
        raise Http404("No such discussion.")
    url = meeting_url(request, meeting)
    context = {
        "ki": meeting_page.KeyIssue(discussion, [], True, f"{url}discussions/{discussion.pk}/"),
        "d": discussion,
        "meeting": meeting,
        "meeting_url": url,
        "students_url": url + "students/",
        "editable": permissions.meeting_is_editable(meeting)
        and permissions.can_edit(request.actor, meeting.team),
        "text_fields": meeting_page.TEXT_FIELD_LABELS,
        "focus_areas": focus_areas(district_id=meeting.district_id),
        "decisions": Decision.choices,
        "referred": {discussion.student_id}
        if selectors.referred_at(meeting=meeting, discussion=discussion)
        else set(),
        "referrals_title": next(
            (
                s["title"]
                for s in agenda.sections_for_page(meeting.agenda, set())
                if s["key"] == "referrals"
            ),
            agenda.BUILT_IN["referrals"],
        ),
    }
    return render(request, "teams/meeting.html#discussion_body", context)
