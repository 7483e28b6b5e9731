"""The meeting page: what it shows, and the posts that record in it (attendance, key issues,
same-issue students, closing and reopening); the teachers' organizer before it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum.selectors import focus_areas
from schools import selectors as school_selectors
from screeners import selectors as screener_selectors
from teams import (
    agenda,
    forms,
    meeting_page,
    meeting_parts,
    permissions,
    picker,
    selectors,
    services,
)
from teams.models import CommitmentStatus, Decision, LayerKind, OrganizerPick


def meeting_context(request, meeting) -> dict:
    actor, team = request.actor, meeting.team
    members = selectors.meeting_members(meeting=meeting)
    record = selectors.meeting_record(meeting=meeting, actor=actor)
    discussions, celebrations, picks = record.discussions, record.celebrations, record.picks
    bands = meeting_page.latest_bands(
        district_id=request.district.pk, student_ids={d.student_id for d in discussions}
    )
    commitments = {"carried": record.carried, "commitments": record.commitments}
    referrals = {
        "referrals_made": record.referrals.made,
        "outcomes": record.referrals.outcomes,
        "to_review": record.referrals.to_review,
    }
    holding = {
        key
        for key, things in (
            ("celebrations", celebrations),
            ("commitments", commitments["carried"]),
            ("key_issues", discussions or picks),
            ("referrals", [v for values in referrals.values() for v in values]),
        )
        if things
    }
    sections = agenda.sections_for_page(meeting.agenda, holding)
    notes = selectors.meeting_section_notes(meeting=meeting)
    for section in sections:
        section["note"] = notes.get(section["key"])
    editable = permissions.meeting_is_editable(meeting) and (
        actor.user_id in {m.user_id for m in members} or permissions.can_edit(actor, team)
    )
    url = meeting_parts.meeting_url(request, meeting)
    key_issues = meeting_page.key_issues(
        discussions, bands, editable=editable, meeting_url=url, unfold=request.GET.get("open", "")
    )
    return {
        "sections": sections,
        "agenda_minutes": agenda.total_minutes(meeting.agenda),
        "meeting": meeting,
        "meeting_url": url,  # the page's own forms post under it: no reverse() per form
        "students_url": url + "students/",
        "team": team,
        "members": members,
        "present": [m for m in members if m.present],
        # The team's students (and their bands) load when their folded table is opened, or
        # here when the address asks (without script).
        **(meeting_parts.students_table(request, meeting) if request.GET.get("students") else {}),
        # An open meeting opens with the supports to check, loaded after the page (or here).
        "support_alerts": (
            meeting_parts.support_alerts(request, meeting)
            if request.GET.get("supports") and not meeting.closed_at
            else None
        ),
        "discussions": discussions,
        "key_issues": key_issues,
        **commitments,
        "celebrations": celebrations,
        "editable": editable,
        "can_reopen": permissions.can_reopen(actor, team),
        # By the team's next meeting, unless the owner says otherwise.
        "next_due": meeting.date + datetime.timedelta(weeks=team.cycle_weeks),
        "latest_due": meeting.date + datetime.timedelta(days=365),
        "discussed": {d.student_id for d in discussions},
        "referred": {r.student_id for r in referrals["referrals_made"]},
        "referrals_title": next(
            (s["title"] for s in sections if s["key"] == "referrals"), agenda.BUILT_IN["referrals"]
        ),
        "editable_until": permissions.editable_until(meeting),
        "decisions": Decision.choices,
        "text_fields": meeting_page.TEXT_FIELD_LABELS,
        # The areas of concern to choose from, for the key issues shown unfolded (a folded
        # one's editor loads them when opened): a meeting of folded notes reads none.
        "focus_areas": focus_areas(district_id=meeting.district_id)
        if any(ki.unfolded for ki in key_issues)
        else [],
        "is_support_team": team.layer.kind == LayerKind.SCHOOL_SUPPORT_TEAM,
        **referrals,
        "picks": picks,
        "statuses": CommitmentStatus.choices,
        "today": school_selectors.district_today(request.district),
    }


@require_GET
def meeting_detail(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    return render(request, "teams/meeting.html", meeting_context(request, meeting))


@require_GET
def meeting_minutes_pdf(request, meeting_pk: int):
    from crsys.pdf import pdf_response

    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    context = meeting_context(request, meeting)
    return pdf_response(
        request, "teams/minutes.html", context, f"minutes-{meeting.team.pk}-{meeting.date}.pdf"
    )


def refused(request, meeting, name: str, what: str, form, error: ValidationError):
    """The meeting page again with the refused form as it was typed (``name``, bound to the
    post), and the reason: not a redirect that would throw the typing away."""
    messages.error(request, f"{what}: " + "; ".join(error.messages))
    context = meeting_context(request, meeting)
    context["refused"], context["refused_form"] = name, form
    return render(request, "teams/meeting.html", context, status=400)


def back(meeting, anchor: str = ""):
    return redirect(meeting.get_absolute_url() + anchor)


def picked(request, meeting, *, required: bool):
    return picker.picked_student(
        actor=request.actor, meeting=meeting, data=request.POST, required=required
    )


def say(request, error: ValidationError, prefix: str = "") -> None:
    messages.error(request, prefix + "; ".join(error.messages))


@require_POST
def meeting_close(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    try:
        if request.POST.get("action") == "reopen":
            services.meeting_reopen(actor=request.actor, meeting=meeting, user=request.user)
            messages.success(request, "Meeting reopened: the team can record in it again.")
        else:
            services.meeting_close(actor=request.actor, meeting=meeting)
            messages.success(
                request,
                "Meeting closed. The team can still correct it for "
                f"{settings.TEAMS_EDIT_DAYS_AFTER_CLOSE} days; then it is read-only "
                "unless the principal reopens it.",
            )
    except ValidationError as error:
        say(request, error)
    return back(meeting)


@require_POST
def attendance(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    form = forms.AttendeesForm(request.POST)
    try:
        if not form.is_valid():
            raise forms.refusal(form)
        services.attendance_set(
            actor=request.actor, meeting=meeting, user_ids=form.cleaned_data["attendee"]
        )
        messages.success(request, "Attendance saved.")
    except ValidationError as error:
        say(request, error)
    return back(meeting)


@require_POST
def discussion_add(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    try:
        student = picked(request, meeting, required=True)
        discussion = services.discussion_add(
            actor=request.actor, meeting=meeting, student=student, user=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return back(meeting)
    messages.success(request, f"{student.display_name} is on the key issues.")
    return back(meeting, f"#discussion-{discussion.pk}")


@require_POST
def same_issue(request, meeting_pk: int, discussion_pk: int):
    """Name or un-name one student with the same issue; htmx swaps the list in place."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    discussion = selectors.get_discussion(
        actor=request.actor, meeting=meeting, discussion_pk=discussion_pk
    )
    error = None
    try:
        services.same_issue_set(
            actor=request.actor,
            discussion=discussion,
            student=picked(request, meeting, required=True),
            named=request.POST.get("action") != "remove",
        )
    except ValidationError as problem:
        error = "; ".join(problem.messages)
    if not request.htmx:
        if error:
            messages.error(request, f"Not saved: {error}")
        return back(meeting, f"#discussion-{discussion.pk}")
    discussion = selectors.DiscussionRecord(
        discussion,
        readable=True,  # same_issue_set refuses who may not read it
        same_issue=selectors.same_issue_of(discussion=discussion, actor=request.actor),
    )
    url = meeting_parts.meeting_url(request, meeting)
    context = {
        "d": discussion,
        "meeting": meeting,
        "meeting_url": url,
        "students_url": url + "students/",
        "editable": True,
        "error": error,
        "refocus": True,  # the form the keyboard was on is replaced: give it focus back
    }
    return render(request, "teams/meeting.html#same_issue", context)


@require_http_methods(["GET", "POST"])
def organizer(request, meeting_pk: int):
    """Before the meeting: each teacher picks from their class, colour-coded by the latest
    screener window, a student to celebrate, one with a key issue and one to enrich."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    mine = list(
        selectors.my_class_students(actor=request.actor, team=meeting.team).order_by(
            "family_name", "given_name"
        )
    )
    if request.method == "POST":
        _save_picks(request, meeting, mine)
        return redirect(
            "teams:organizer", district_slug=request.district.slug, meeting_pk=meeting.pk
        )
    windows = screener_selectors.windows_with_snapshots(district_id=request.district.pk)
    screeners, rows = (
        screener_selectors.classroom_snapshot_rows(students=mine, window=windows[0])
        if windows and mine
        else ([], [])
    )
    snapshots = [snap for row in rows for _, snap in row.cells if snap]
    suggested = selectors.just_below_benchmark(snapshots)
    picks = list(selectors.meeting_picks(meeting=meeting, actor=request.actor))
    my_picks = {p.kind: p for p in picks if p.teacher_id == request.user.pk}
    on_list = {p.student_id for p in picks} | set(
        meeting.discussions.values_list("student_id", flat=True)
    )
    context = {
        "meeting": meeting,
        "rows": rows,
        "screeners": screeners,
        "suggested": suggested,
        "on_list": on_list,
        "kinds": [(kind, label, my_picks.get(kind)) for kind, label in OrganizerPick.Kind.choices],
        "team_picks": picks,
        "window": windows[0] if windows else None,
    }
    return render(request, "teams/organizer.html", context)


def _save_picks(request, meeting, mine: list) -> None:
    """All three picks, or none: a student outside the teacher's class is refused by name of
    the pick, and nothing is changed."""
    form = forms.PicksForm(request.POST, students=mine)
    if not form.is_valid():
        messages.error(request, forms.refusal(form).messages[0])
        return
    by_pk = {str(s.pk): s for s in mine}
    try:
        with transaction.atomic():
            for kind, _label in OrganizerPick.Kind.choices:
                services.organizer_pick(
                    actor=request.actor,
                    meeting=meeting,
                    user=request.user,
                    kind=kind,
                    student=by_pk.get(form.cleaned_data[kind]),
                    note=form.cleaned_data[f"{kind}_note"],
                )
    except ValidationError as error:
        say(request, error)
        return
    messages.success(request, "Your picks are saved for the meeting.")
