from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schools import selectors as school_selectors
from screeners import selectors as screener_selectors
from teams import (
    agenda,
    inbox,
    meeting_page,
    meeting_parts,
    permissions,
    picker,
    selectors,
    services,
)
from teams.models import (
    CommitmentStatus,
    Decision,
    LayerKind,
    MeetingRole,
    OrganizerPick,
    TeamMember,
)


def _int(value, message: str) -> int:
    """A posted id or number; a clear refusal (not Python's words) when it is not one."""
    try:
        return int(str(value or "").strip())
    except ValueError:
        raise ValidationError(message) from None


def _date(value) -> datetime.date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def team_list(request):
    """The teams the user may see; district admins form district-level teams here."""
    from districts.permissions import Capability

    can_form = request.actor.can(Capability.MANAGE_DISTRICT)
    if request.method == "POST":
        if not can_form:
            raise PermissionDenied
        return _form_team(
            request,
            school=None,
            back=redirect("teams:team_list", district_slug=request.district.slug),
        )
    teams = selectors.visible_teams(actor=request.actor).filter(is_active=True)
    context = {"teams": teams, "can_form": can_form}
    if can_form:
        context["layers"] = selectors.district_layers(district_id=request.district.pk)
    return render(request, "teams/team_list.html", context)


@require_http_methods(["GET", "POST"])
def team_detail(request, team_pk: int):
    team = selectors.get_team(actor=request.actor, team_pk=team_pk)
    if request.method == "POST" and request.POST.get("action") == "member":
        try:
            services.member_set(
                actor=request.actor,
                team=team,
                user_id=_int(request.POST.get("user"), "Choose a member of staff."),
                meeting_role=request.POST.get("meeting_role", "member"),
                strengths=request.POST.get("strengths", ""),
                remove=request.POST.get("remove") == "1",
            )
        except (ValidationError, ValueError) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        return redirect(team.get_absolute_url())
    if request.method == "POST":
        day = _date(request.POST.get("date"))
        if day is None:
            messages.error(request, "Choose the meeting's date.")
            return redirect(team.get_absolute_url())
        try:
            meeting = services.meeting_create(actor=request.actor, team=team, date=day)
        except services.MeetingExists as exists:
            messages.info(request, f"The team already meets on {day:%-d %b %Y}: here it is.")
            return redirect(exists.meeting.get_absolute_url())
        except ValidationError as error:
            messages.error(request, "Meeting not started: " + "; ".join(error.messages))
            return redirect(team.get_absolute_url())
        return redirect(meeting.get_absolute_url())
    meetings = list(team.meetings.order_by("-date", "-id")[:20])
    is_support_team = team.layer.kind == LayerKind.SCHOOL_SUPPORT_TEAM
    context = {
        "team": team,
        "members": TeamMember.objects.filter(team=team).select_related("user"),
        "meetings": meetings,
        "waiting_referrals": inbox.waiting_for_team(actor=request.actor, team=team)
        if is_support_team
        else [],
        "is_support_team": is_support_team,
        "open_meeting": next((m for m in meetings if m.closed_at is None), None),
        "celebrations": selectors.visible_celebrations(actor=request.actor)
        .filter(meeting__team=team)
        .select_related("student", "meeting")
        .order_by("-meeting__date", "-id")[:20],
        "can_edit": permissions.can_edit(request.actor, team),
        "can_manage": permissions.can_manage_team(request.actor, team),
        "staff": selectors.team_candidates(team=team),
        "roles": MeetingRole.choices,
        "today": school_selectors.district_today(request.district),
        "next_date": selectors.next_meeting_date(
            team=team, today=school_selectors.district_today(request.district)
        ),
    }
    return render(request, "teams/team_detail.html", context)


def _meeting_context(request, meeting) -> dict:
    actor, team = request.actor, meeting.team
    members = selectors.meeting_members(meeting=meeting)
    discussions = selectors.meeting_discussions(meeting=meeting, actor=actor)
    bands = meeting_page.latest_bands(
        district_id=request.district.pk, student_ids={d.student_id for d in discussions}
    )
    celebrations, picks = selectors.meeting_moments(meeting=meeting, actor=actor)
    commitments, referrals = _commitments(meeting, actor), _referrals(meeting, actor)
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
        "discussions": discussions,
        "key_issues": meeting_page.key_issues(
            discussions,
            bands,
            editable=editable,
            meeting_url=url,
            unfold=request.GET.get("open", ""),
        ),
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
        "domains": meeting_page.DOMAINS,
        "is_support_team": team.layer.kind == LayerKind.SCHOOL_SUPPORT_TEAM,
        **referrals,
        "picks": picks,
        "statuses": CommitmentStatus.choices,
        "today": school_selectors.district_today(request.district),
    }


def _commitments(meeting, actor) -> dict:
    """Last meetings' open commitments and this meeting's, in one query."""
    rows = list(selectors.meeting_commitments(meeting=meeting, actor=actor))
    return {
        "carried": [c for c in rows if c.meeting_id != meeting.pk],
        "commitments": [c for c in rows if c.meeting_id == meeting.pk],
    }


def _referrals(meeting, actor) -> dict:
    """Referrals made here, decisions on this team's referrals since its last meeting, and
    (for a school support team) those waiting for it, in one query."""
    rows = list(selectors.meeting_referrals(meeting=meeting, actor=actor))
    return {
        "referrals_made": [r for r in rows if r.from_meeting_id == meeting.pk],
        "outcomes": [r for r in rows if r.is_outcome],
        "to_review": [r for r in rows if r.to_team_id == meeting.team_id],
    }


@require_GET
def meeting_detail(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    return render(request, "teams/meeting.html", _meeting_context(request, meeting))


def _refused(request, meeting, form: str, what: str, error: ValidationError):
    """The meeting page again with the refused form as it was typed, and the reason (not a
    redirect that would throw the typing away)."""
    messages.error(request, f"{what}: " + "; ".join(error.messages))
    context = _meeting_context(request, meeting)
    context["posted"] = {"form": form, **request.POST.dict()}
    return render(request, "teams/meeting.html", context, status=400)


def _back(meeting, anchor: str = ""):
    return redirect(meeting.get_absolute_url() + anchor)


def _student(request, pk):
    return school_selectors.get_student(actor=request.actor, student_pk=pk)


def _picked(request, meeting, *, required: bool):
    return picker.picked_student(
        actor=request.actor, meeting=meeting, data=request.POST, required=required
    )


@require_POST
def discussion_add(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    try:
        student = _picked(request, meeting, required=True)
        discussion = services.discussion_add(
            actor=request.actor, meeting=meeting, student=student, user=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _back(meeting)
    messages.success(request, f"{student.display_name} is on the key issues.")
    return _back(meeting, f"#discussion-{discussion.pk}")


def _posted_version(request) -> int:
    """The version an autosave started from (nonsense counts as 0, never as the newest)."""
    try:
        return int(request.POST.get("version", "0"))
    except ValueError:
        return 0


@require_POST
def discussion_save(request, meeting_pk: int, discussion_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    discussion = get_object_or_404(
        selectors.visible_discussions(actor=request.actor).select_related("student"),
        meeting=meeting,
        pk=discussion_pk,
    )
    if discussion.sensitive and not permissions.can_read_sensitive(
        request.actor, discussion, meeting.team
    ):
        raise PermissionDenied
    field = request.POST.get("field", "")
    version = _posted_version(request)
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
    return render(request, "teams/meeting.html#save_status", context)


@require_POST
def section_note_save(request, meeting_pk: int, section_key: str):
    """Autosave of the notes under one of the district's own agenda sections."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    version = _posted_version(request)
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
        return _back(meeting, f"#section-{section_key}")
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
    return render(request, "teams/meeting.html#section_status", context)


@require_POST
def conflict_dismiss(request, meeting_pk: int, conflict_pk: int):
    """Stop showing a kept version: its words were merged, or are no longer needed."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    conflict = get_object_or_404(selectors.meeting_conflicts(meeting=meeting), pk=conflict_pk)
    try:
        services.conflict_dismiss(
            actor=request.actor,
            meeting=meeting,
            conflict=conflict,
            seen=request.POST.get("seen", ""),
        )
        messages.success(request, "That kept version is no longer shown.")
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    if conflict.discussion_id:
        return _back(meeting, f"#discussion-{conflict.discussion_id}")
    return _back(meeting, f"#section-{conflict.section_note.key}")


@require_POST
def same_issue(request, meeting_pk: int, discussion_pk: int):
    """Name or un-name one student with the same issue; htmx swaps the list in place."""
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    discussion = get_object_or_404(
        selectors.visible_discussions(actor=request.actor).select_related("student"),
        meeting=meeting,
        pk=discussion_pk,
    )
    error = None
    try:
        services.same_issue_set(
            actor=request.actor,
            discussion=discussion,
            student=_picked(request, meeting, required=True),
            named=request.POST.get("action") != "remove",
        )
    except ValidationError as problem:
        error = "; ".join(problem.messages)
    if not request.htmx:
        if error:
            messages.error(request, f"Not saved: {error}")
        return _back(meeting, f"#discussion-{discussion.pk}")
    discussion.same_issue = selectors.same_issue_of(discussion=discussion, actor=request.actor)
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


@require_POST
def commitment_add(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    due = _date(request.POST.get("due_date"))
    student = None
    if request.POST.get("student"):
        student = _student(request, request.POST["student"])
    try:
        if due is None:
            raise ValidationError({"due_date": "give a date by which it will be done"})
        owner_id = _int(request.POST.get("owner"), "Choose who will do it.")
        services.commitment_add(
            actor=request.actor,
            meeting=meeting,
            owner_id=owner_id,
            text=request.POST.get("text", ""),
            due_date=due,
            student=student,
        )
        messages.success(request, "Commitment recorded.")
    except ValidationError as error:
        return _refused(request, meeting, "commitment", "Commitment not saved", error)
    return _back(meeting, "#commitments")


@require_POST
def commitment_review(request, meeting_pk: int, commitment_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    commitment = get_object_or_404(selectors.carried_commitments(meeting=meeting), pk=commitment_pk)
    try:
        services.commitment_review(
            actor=request.actor,
            commitment=commitment,
            meeting=meeting,
            status=request.POST.get("status", ""),
            comment=request.POST.get("comment", ""),
        )
        messages.success(request, f"“{commitment.text}”: {commitment.get_status_display()}.")
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return _back(meeting, "#last-commitments")


@require_POST
def celebration_add(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    try:
        student = _picked(request, meeting, required=False)
        services.celebration_add(
            actor=request.actor,
            meeting=meeting,
            student=student,
            text=request.POST.get("text", ""),
            user=request.user,
        )
        messages.success(request, "Celebration recorded.")
    except ValidationError as error:
        return _refused(request, meeting, "celebration", "Celebration not saved", error)
    return _back(meeting, "#celebrations")


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
        messages.error(request, "; ".join(error.messages))
    return _back(meeting)


@require_POST
def referral_add(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    try:
        student = _picked(request, meeting, required=True)
        services.referral_create(
            actor=request.actor,
            meeting=meeting,
            student=student,
            context=request.POST.get("context", ""),
            user=request.user,
        )
        messages.success(request, f"{student.display_name} is referred.")
    except ValidationError as error:
        return _refused(request, meeting, "referral", "Referral not saved", error)
    return _back(meeting, "#referrals")


@require_POST
def referral_decide(request, meeting_pk: int, referral_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    referral = get_object_or_404(selectors.referrals_to_review(meeting=meeting), pk=referral_pk)
    try:
        services.referral_decide(
            actor=request.actor,
            referral=referral,
            meeting=meeting,
            decision=request.POST.get("decision", ""),
        )
        messages.success(request, f"Decision recorded for {referral.student.display_name}.")
    except ValidationError as error:
        messages.error(request, "Decision not saved: " + "; ".join(error.messages))
    return _back(meeting, "#referrals")


@require_GET
def school_coverage(request, school_pk: int):
    """Every child has a team, visibly: who belongs to no team, who no team discussed this
    cycle, and who was discussed; by grade, band and status, a page at a time."""
    from django.core.paginator import Paginator

    from teams import coverage

    school = school_selectors.get_school(actor=request.actor, school_pk=school_pk)
    if not school_selectors.can_view_whole_school(request.actor, school.pk):
        raise PermissionDenied
    windows = screener_selectors.windows_with_snapshots(district_id=request.district.pk)
    window = windows[0] if windows else None
    found = coverage.school_coverage(
        actor=request.actor,
        school=school,
        today=school_selectors.district_today(request.district),
        window=window,
    )
    form = coverage.CoverageFilterForm(request.GET, coverage=found)
    selected = form.selected(found.rows)
    status = form.chosen_status()
    listed = [row for row in selected if not status or row.status == status]
    context = {
        "school": school,
        "window": window,
        "since": found.since,
        "form": form,
        "figures": coverage.figures(selected),
        "grades": found.grades(),
        "grades_without_team": found.grades_without_team(),
        "screeners": found.screeners,
        "status": status,
        "page": Paginator(listed, coverage.PAGE_SIZE).get_page(request.GET.get("page")),
        "layers": selectors.district_layers(district_id=request.district.pk),
        "teams": found.teams,
        "can_form": permissions.can_form_teams(request.actor, school_id=school.pk),
    }
    return render(request, "teams/school_coverage.html", context)


@require_http_methods(["GET", "POST"])
def common_language(request):
    """The district's team layers side by side; admins rename and describe them. A refused
    change comes back with what was typed in its form, and the reason."""
    from crsys.tenancy.context import current_district_id
    from districts.permissions import Capability

    layers = selectors.district_layers(district_id=current_district_id())
    can_edit = request.actor.can(Capability.MANAGE_DISTRICT)
    refused = {}  # layer pk -> ("agenda", rows) or ("words", fields), as posted
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        layer = next((x for x in layers if str(x.pk) == request.POST.get("layer")), None)
        words = {f: request.POST.get(f, "") for f in ("name", "purpose", "attendees", "frequency")}
        try:
            if layer is None:
                messages.error(request, "Choose a layer.")
            elif request.POST.get("form") == "agenda":
                rows = _agenda_rows(request.POST)
                refused[layer.pk] = ("agenda", rows)
                services.layer_agenda_set(actor=request.actor, layer=layer, sections=rows)
                messages.success(request, f"The agenda of {layer.name} is saved.")
            else:
                refused[layer.pk] = ("words", words)
                services.layer_describe(actor=request.actor, layer=layer, **words)
                messages.success(request, f"{layer.name} saved.")
            return redirect("teams:common_language", district_slug=request.district.slug)
        except ValidationError as error:
            what = "Agenda" if refused[layer.pk][0] == "agenda" else "Layer"
            messages.error(request, f"{what} not saved: " + "; ".join(error.messages))
    for layer in layers:
        kind, posted = refused.get(layer.pk, (None, None))
        layer.open_form = kind
        layer.words = (
            posted
            if kind == "words"
            else {f: getattr(layer, f) for f in ("name", "purpose", "attendees", "frequency")}
        )
        layer.agenda_minutes = agenda.total_minutes(layer.agenda_template)
        layer.agenda_rows = [
            {**s, "built_in": agenda.BUILT_IN.get(s.get("key"), "")}
            for s in (posted if kind == "agenda" else layer.agenda_template)
        ] + [{"key": "", "title": "", "minutes": None, "built_in": ""}] * 2
    return render(
        request,
        "teams/common_language.html",
        {"layers": layers, "can_edit": can_edit, "limits": POSTER_LIMITS},
        status=400 if refused else 200,
    )


def _agenda_rows(data) -> list[dict]:
    """The agenda editor's rows in the order asked for: removed and blank new rows dropped.
    A row whose order is not a number keeps its place."""
    rows = []
    try:
        count = min(int(data.get("agenda-rows") or 0), 100)
    except ValueError:
        count = 0
    for i in range(count):
        prefix = f"agenda-{i}-"
        key, title = data.get(prefix + "key", ""), data.get(prefix + "title", "").strip()
        minutes = data.get(prefix + "minutes", "").strip()
        if data.get(prefix + "remove") or not (key or title or minutes):
            continue
        try:
            order = float(data.get(prefix + "order") or i + 1)
        except ValueError:
            order = i + 1
        rows.append((order, i, {"key": key, "title": title, "minutes": minutes}))
    return [row for _, _, row in sorted(rows, key=lambda r: r[:2])]


@require_GET
def common_language_pdf(request):
    from crsys.pdf import one_page_pdf_response
    from crsys.tenancy.context import current_district_id

    layers = selectors.district_layers(district_id=current_district_id())
    return one_page_pdf_response(
        request,
        "teams/common_language_poster.html",
        {"layers": layers, "limit": POSTER_LIMITS},
        f"{request.district.slug}-team-layers.pdf",
        sizes=POSTER_FONT_SIZES,
        guess=_poster_font_pt(layers),
    )


# The poster's texts are cut at these lengths (the web page has them whole), so that at the
# smallest type every layer fits on one page; the type is as large as the texts allow.
POSTER_LIMITS = {"name": 60, "purpose": 400, "attendees": 200, "frequency": 60, "title": 48}
POSTER_FONT_SIZES = [6.5 + step / 2 for step in range(12)]  # 6.5 to 12 pt


def _poster_font_pt(layers) -> float:
    """A first guess from the longest column's length (the layout has the last word)."""
    limit = POSTER_LIMITS
    longest = max(
        (
            sum(
                min(len(getattr(layer, field)), limit[field])
                for field in ("name", "purpose", "attendees", "frequency")
            )
            + sum(min(len(s.get("title", "")), limit["title"]) + 12 for s in layer.agenda_template)
            for layer in layers
        ),
        default=0,
    )
    estimate = max(6.5, min(12.0, 12.0 - (longest - 400) / 170))
    return min(POSTER_FONT_SIZES, key=lambda size: abs(size - estimate))


@require_GET
def meeting_minutes_pdf(request, meeting_pk: int):
    from crsys.pdf import pdf_response

    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    context = _meeting_context(request, meeting)
    return pdf_response(
        request, "teams/minutes.html", context, f"minutes-{meeting.team.pk}-{meeting.date}.pdf"
    )


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
        _save_picks(request, meeting, {str(s.pk): s for s in mine})
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


def _save_picks(request, meeting, mine: dict) -> None:
    """All three picks, or none: a student outside the teacher's class is refused by name of
    the pick, and nothing is changed."""
    chosen = {}
    for kind, label in OrganizerPick.Kind.choices:
        value = request.POST.get(kind, "")
        if value and value not in mine:
            messages.error(request, f"{label}: pick a student of your class. Nothing was changed.")
            return
        chosen[kind] = mine.get(value)
    try:
        with transaction.atomic():
            for kind, student in chosen.items():
                services.organizer_pick(
                    actor=request.actor,
                    meeting=meeting,
                    user=request.user,
                    kind=kind,
                    student=student,
                    note=request.POST.get(f"{kind}_note", ""),
                )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return
    messages.success(request, "Your picks are saved for the meeting.")


@require_POST
def team_create(request, school_pk: int):
    school = school_selectors.get_school(actor=request.actor, school_pk=school_pk)
    back = redirect(
        "teams:school_coverage", district_slug=request.district.slug, school_pk=school.pk
    )
    return _form_team(request, school=school, back=back)


def _form_team(request, *, school, back):
    """Create the posted team (of ``school``, or of the district) and open it; on a refusal,
    say why and go ``back``."""
    layer = selectors.layer_for(
        district_id=request.district.pk, layer_pk=request.POST.get("layer", "")
    )
    try:
        team = services.team_create(
            actor=request.actor,
            layer=layer,
            school=school,
            name=request.POST.get("name", ""),
            cycle_weeks=_int(
                request.POST.get("cycle_weeks") or 6, "Meet every 1 to 52 weeks (a number)."
            ),
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        return back
    return redirect(team.get_absolute_url())


@require_POST
def attendance(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    try:
        ids = [_int(v, "Tick the members who attended.") for v in request.POST.getlist("attendee")]
        services.attendance_set(actor=request.actor, meeting=meeting, user_ids=ids)
        messages.success(request, "Attendance saved.")
    except (ValidationError, ValueError) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    return _back(meeting)
