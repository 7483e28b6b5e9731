"""The district admin's page for the continuum's focus areas and tiers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from continuum import permissions, selectors, services
from continuum.forms import FocusAreaForm, NewFocusAreaForm, TierForm


def _page(request, *, new_area=None, new_tier=None, failed=None, status=200):
    """Every row with its own form; ``failed`` is (kind, pk, form) of a refused one."""
    district_id = request.actor.district_id
    areas = [
        (a, FocusAreaForm(initial={"name": a.name, "position": a.position,
                                   "is_archived": a.is_archived}, prefix=f"a{a.pk}"))
        for a in selectors.focus_areas(district_id=district_id, include_archived=True)
    ]  # fmt: skip
    tiers = [
        (t, TierForm(initial={"name": t.name, "description": t.description}, prefix=f"t{t.pk}"))
        for t in selectors.tiers(district_id=district_id)
    ]
    if failed:
        kind, pk, form = failed
        rows = areas if kind == "area" else tiers
        rows[:] = [(obj, form if obj.pk == pk else f) for obj, f in rows]
    # A row's inputs belong to the row's own form (a form cannot wrap a table row).
    for kind, rows in (("area", areas), ("tier", tiers)):
        for obj, form in rows:
            for field in form.fields.values():
                field.widget.attrs["form"] = f"{kind}-{obj.pk}"
    context = {
        "areas": areas,
        "tiers": tiers,
        "new_area": new_area or NewFocusAreaForm(prefix="new"),
        "new_tier": new_tier or TierForm(prefix="newtier"),
    }
    return render(request, "continuum/setup.html", context, status=status)


def _back(request):
    return redirect(reverse("continuum:setup", kwargs={"district_slug": request.district.slug}))


@require_GET
def setup(request):
    permissions.require(permissions.can_configure(request.actor))
    return _page(request)


@require_POST
def focus_area_add(request):
    permissions.require(permissions.can_configure(request.actor))
    form = NewFocusAreaForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            area = services.focus_area_save(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"{area.name} is a focus area.")
            return _back(request)
    return _page(request, new_area=form, status=400)


@require_POST
def focus_area_change(request, focus_area_pk: int):
    permissions.require(permissions.can_configure(request.actor))
    area = selectors.get_focus_area(
        district_id=request.actor.district_id, focus_area_pk=focus_area_pk
    )
    form = FocusAreaForm(request.POST, prefix=f"a{area.pk}")
    if form.is_valid():
        try:
            services.focus_area_save(actor=request.actor, focus_area=area, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "Saved.")
            return _back(request)
    return _page(request, failed=("area", area.pk, form), status=400)


@require_POST
def tier_add(request):
    permissions.require(permissions.can_configure(request.actor))
    form = TierForm(request.POST, prefix="newtier")
    if form.is_valid():
        try:
            tier = services.tier_save(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"Tier {tier.number} is added.")
            return _back(request)
    return _page(request, new_tier=form, status=400)


@require_POST
def tier_change(request, tier_pk: int):
    permissions.require(permissions.can_configure(request.actor))
    tier = selectors.get_tier(district_id=request.actor.district_id, tier_pk=tier_pk)
    form = TierForm(request.POST, prefix=f"t{tier.pk}")
    if form.is_valid():
        try:
            services.tier_save(actor=request.actor, tier=tier, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "Saved.")
            return _back(request)
    return _page(request, failed=("tier", tier.pk, form), status=400)
