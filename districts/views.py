from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districts import login_throttle, selectors, services, tokens
from districts.forms import MemberFilterForm, MembershipForm
from districts.models import Role
from districts.permissions import Capability, capability_required
from schools.selectors import taught_classrooms, visible_schools

MEMBERS_PER_PAGE = 50


@require_GET
@login_required
def choose_district(request):
    """Outside every district: send a one-district user straight in, else let them choose."""
    districts = list(selectors.districts_of_user(user=request.user))
    if len(districts) == 1:
        return redirect(districts[0].get_absolute_url())
    return render(request, "districts/choose_district.html", {"districts": districts})


@require_GET
def home(request):
    actor = request.actor
    from continuum.alerts import alerts_for
    from leadership.selectors import home_sections
    from schools.selectors import district_today
    from teams import inbox
    from teams.selectors import my_teams, open_commitments_of

    today = district_today(request.district)
    teams = my_teams(actor=actor, today=today)
    context = {
        "roles": sorted({g.role.label for g in actor.grants}),
        "schools": visible_schools(actor=actor),
        "commitments": open_commitments_of(actor=actor),
        "teams": teams,
        "today": today,
        "classrooms": taught_classrooms(actor=actor),
        "referrals_waiting": inbox.waiting_for_my_teams(actor=actor, teams=teams),
        "referral_decisions": inbox.decisions_for_referrer(actor=actor, today=today),
        "alerts": alerts_for(actor=actor, today=today),
        "leadership": home_sections(actor=actor, today=today),
    }
    return render(request, "districts/home.html", context)


def _members_url(request, query: str = "") -> str:
    """The members list, with the search it was left at (re-encoded: only a query string)."""
    url = reverse("districts:members", kwargs={"district_slug": request.district.slug})
    params = QueryDict(query).urlencode()
    return f"{url}?{params}" if params else url


@require_GET
@capability_required(Capability.MANAGE_USERS)
def members(request):
    form = MemberFilterForm(request.GET)
    rows = selectors.member_search(district=request.district, **form.filters())
    page = Paginator(rows, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": request.GET.urlencode()}
    return render(request, "districts/members.html", context)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_USERS)
def member(request, membership_pk: int):
    """One membership: change its role or school; deactivate or reactivate it."""
    membership = selectors.get_membership(district=request.district, membership_pk=membership_pk)
    back = request.POST.get("back", request.GET.get("back", ""))
    initial = {"role": membership.role, "school": membership.school}
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_update(
                district=request.district,
                actor=request.actor,
                membership=membership,
                role=Role(form.cleaned_data["role"]),
                school=form.cleaned_data["school"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{membership.user}: now {_describe(membership)}.")
            return _after_change(request, membership, back)
    context = {
        "membership": membership,
        "form": form,
        "others": selectors.other_memberships(membership=membership),
        "locked": login_throttle.is_locked(email=membership.user.email),
        "api_tokens": tokens.api_tokens_of(user=membership.user),
        "back": back,
        "members_url": _members_url(request, back),
    }
    return render(request, "districts/member.html", context, status=400 if form.errors else 200)


@require_POST
def member_deactivate(request, membership_pk: int):
    return _set_active(request, membership_pk, active=False)


@require_POST
def member_reactivate(request, membership_pk: int):
    return _set_active(request, membership_pk, active=True)


@capability_required(Capability.MANAGE_USERS)
def _set_active(request, membership_pk: int, *, active: bool):
    membership = selectors.get_membership(district=request.district, membership_pk=membership_pk)
    change = services.membership_reactivate if active else services.membership_deactivate
    back = request.POST.get("back", "")
    try:
        change(district=request.district, actor=request.actor, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        url = reverse(
            "districts:member",
            kwargs={"district_slug": request.district.slug, "membership_pk": membership.pk},
        )
        return redirect(f"{url}?{urlencode({'back': back})}")
    done = "reactivated" if active else "deactivated"
    messages.success(request, f"{membership.user} ({_describe(membership)}): {done}.")
    return _after_change(request, membership, back)


def _describe(membership) -> str:
    where = f" at {membership.school.name}" if membership.school_id else ""
    return f"{membership.get_role_display().lower()}{where}"


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def _after_change(request, membership, back: str):
    # An admin who demoted or deactivated themselves may no longer manage members.
    actor = selectors.current_actor(user=request.user, district=request.district)
    if not actor.can(Capability.MANAGE_USERS):
        return redirect("districts:home", district_slug=request.district.slug)
    return redirect(_members_url(request, back))


@require_POST
def member_invite(request, membership_pk: int):
    membership = selectors.get_membership(district=request.district, membership_pk=membership_pk)
    services.user_invite(district=request.district, actor=request.actor, membership=membership)
    messages.success(request, f"Invitation sent to {membership.user.email}.")
    return redirect(_members_url(request, request.POST.get("back", "")))


def _back_to_member(request, membership):
    url = reverse(
        "districts:member",
        kwargs={"district_slug": request.district.slug, "membership_pk": membership.pk},
    )
    return redirect(f"{url}?{urlencode({'back': request.POST.get('back', '')})}")


@require_POST
@capability_required(Capability.MANAGE_USERS)
def member_release(request, membership_pk: int):
    """Release a member locked out by failed sign-ins (django-axes)."""
    membership = selectors.get_membership(district=request.district, membership_pk=membership_pk)
    services.member_release_lockout(
        district=request.district, actor=request.actor, membership=membership
    )
    messages.success(request, f"{membership.user} can sign in again now.")
    return _back_to_member(request, membership)


@require_POST
@capability_required(Capability.MANAGE_USERS)
def member_sign_out(request, membership_pk: int):
    """End every session and API token of a member."""
    membership = selectors.get_membership(district=request.district, membership_pk=membership_pk)
    services.member_sign_out_everywhere(
        district=request.district, actor=request.actor, membership=membership
    )
    messages.success(request, f"{membership.user} is signed out everywhere.")
    return _back_to_member(request, membership)


@require_POST
@capability_required(Capability.MANAGE_USERS)
def member_token_revoke(request, membership_pk: int, token_key: str):
    membership = selectors.get_membership(district=request.district, membership_pk=membership_pk)
    revoked = services.member_token_revoke(
        district=request.district,
        actor=request.actor,
        membership=membership,
        token_key=token_key[:25],
    )
    if revoked:
        messages.success(request, f"{membership.user}: API token revoked.")
    else:
        messages.error(request, "That token no longer exists.")
    return _back_to_member(request, membership)
