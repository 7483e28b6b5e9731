from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from districts import selectors, services
from districts.forms import EmailAuthenticationForm
from districts.permissions import Capability
from schools.selectors import taught_classrooms, visible_schools


class SignInView(LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


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
    }
    return render(request, "districts/home.html", context)


@require_GET
def members(request):
    if not request.actor.can(Capability.MANAGE_USERS):
        raise PermissionDenied
    memberships = selectors.district_memberships(district=request.district)
    return render(request, "districts/members.html", {"memberships": memberships})


@require_POST
def member_invite(request, membership_pk: int):
    membership = selectors.get_membership(district=request.district, membership_pk=membership_pk)
    services.user_invite(district=request.district, actor=request.actor, membership=membership)
    messages.success(request, f"Invitation sent to {membership.user.email}.")
    return redirect("districts:members", district_slug=request.district.slug)
