"""Outside every district: a person accepts or declines the roles a district's roster import
offers them (ADR 7). Only their own invitations exist here; any other answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from districts.models import District
from schools import selectors, services


@require_GET
@login_required
def invitations(request):
    offers = selectors.pending_invitations_of(user=request.user)
    return render(request, "schools/invitations.html", {"offers": offers})


def _inviting_district(request, slug: str) -> District:
    """The district that invites this person, or 404: another district, one that never
    invited them and one that does not exist answer alike (before the method is checked)."""
    invited = {o["district"].slug: o["district"] for o in
               selectors.pending_invitations_of(user=request.user)}  # fmt: skip
    if slug not in invited:
        raise Http404("No such invitation.")
    return invited[slug]


@login_required
def invitation_accept(request, district_slug: str):
    district = _inviting_district(request, district_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.invitation_accept(user=request.user, district=district)
    messages.success(request, f"You joined {district.name}.")
    return redirect(district.get_absolute_url())


@login_required
def invitation_decline(request, district_slug: str):
    district = _inviting_district(request, district_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.invitation_decline(user=request.user, district=district)
    messages.success(request, f"You declined {district.name}'s invitation.")
    return redirect("invitations")
