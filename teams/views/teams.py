"""Team pages: the district's teams, one team (its members and meetings), forming a team."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from districts.permissions import Capability
from schools import selectors as school_selectors
from teams import forms, inbox, permissions, selectors, services
from teams.models import LayerKind, MeetingRole


def _say(request, error: ValidationError, prefix: str = "") -> None:
    messages.error(request, prefix + "; ".join(error.messages))


@require_http_methods(["GET", "POST"])
def team_list(request):
    """The teams the user may see; district admins form district-level teams here."""
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
        _set_member(request, team)
        return redirect(team.get_absolute_url())
    if request.method == "POST":
        return _start_meeting(request, team)
    meetings = selectors.recent_meetings(team=team)
    is_support_team = team.layer.kind == LayerKind.SCHOOL_SUPPORT_TEAM
    today = school_selectors.district_today(request.district)
    context = {
        "team": team,
        "members": selectors.team_members(team=team),
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
        "today": today,
        "next_date": selectors.next_meeting_date(team=team, today=today),
    }
    return render(request, "teams/team_detail.html", context)


def _set_member(request, team) -> None:
    form = forms.MemberForm(request.POST)
    try:
        if not form.is_valid():
            raise forms.refusal(form)
        services.member_set(
            actor=request.actor,
            team=team,
            user_id=form.cleaned_data["user"],
            meeting_role=form.cleaned_data["meeting_role"],
            strengths=form.cleaned_data["strengths"],
            remove=form.cleaned_data["remove"],
        )
    except ValidationError as error:
        _say(request, error)


def _start_meeting(request, team):
    form = forms.MeetingDateForm(request.POST)
    if not form.is_valid():
        _say(request, forms.refusal(form))
        return redirect(team.get_absolute_url())
    day = form.cleaned_data["date"]
    try:
        meeting = services.meeting_create(actor=request.actor, team=team, date=day)
    except services.MeetingExists as exists:
        messages.info(request, f"The team already meets on {day:%-d %b %Y}: here it is.")
        return redirect(exists.meeting.get_absolute_url())
    except ValidationError as error:
        _say(request, error, "Meeting not started: ")
        return redirect(team.get_absolute_url())
    return redirect(meeting.get_absolute_url())


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
    form = forms.TeamForm(request.POST)
    valid = form.is_valid()
    layer = selectors.layer_for(
        district_id=request.district.pk, layer_pk=form.cleaned_data.get("layer", "")
    )
    try:
        if not valid:
            raise forms.refusal(form)
        team = services.team_create(
            actor=request.actor,
            layer=layer,
            school=school,
            name=form.cleaned_data["name"],
            cycle_weeks=form.cleaned_data["cycle_weeks"],
        )
    except ValidationError as error:
        _say(request, error)
        return back
    return redirect(team.get_absolute_url())
