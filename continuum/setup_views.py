"""The district admin's page for the continuum's focus areas and tiers."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from continuum import selectors, services
from continuum.forms import FocusAreaForm, NewFocusAreaForm, TierForm
from districts.permissions import Capability, capability_required


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


def _save(request, form, save, done: str, refused):
    """Save a valid form through ``save``; on a refusal, the page again with ``refused``."""
    if form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, done)
            return _back(request)
    return _page(request, **refused, status=400)


@require_GET
@capability_required(Capability.MANAGE_DISTRICT)
def setup(request):
    return _page(request)


@require_POST
@capability_required(Capability.MANAGE_DISTRICT)
def focus_area_add(request):
    form = NewFocusAreaForm(request.POST, prefix="new")
    save = partial(services.focus_area_save, actor=request.actor)
    name = request.POST.get("new-name", "")
    return _save(request, form, save, f"{name} is a focus area.", {"new_area": form})


@require_POST
@capability_required(Capability.MANAGE_DISTRICT)
def focus_area_change(request, focus_area_pk: int):
    area = selectors.get_focus_area(
        district_id=request.actor.district_id, focus_area_pk=focus_area_pk
    )
    form = FocusAreaForm(request.POST, prefix=f"a{area.pk}")
    save = partial(services.focus_area_save, actor=request.actor, focus_area=area)
    return _save(request, form, save, "Saved.", {"failed": ("area", area.pk, form)})


@require_POST
@capability_required(Capability.MANAGE_DISTRICT)
def tier_add(request):
    form = TierForm(request.POST, prefix="newtier")
    save = partial(services.tier_save, actor=request.actor)
    return _save(request, form, save, "The tier is added.", {"new_tier": form})


@require_POST
@capability_required(Capability.MANAGE_DISTRICT)
def tier_change(request, tier_pk: int):
    tier = selectors.get_tier(district_id=request.actor.district_id, tier_pk=tier_pk)
    form = TierForm(request.POST, prefix=f"t{tier.pk}")
    save = partial(services.tier_save, actor=request.actor, tier=tier)
    return _save(request, form, save, "Saved.", {"failed": ("tier", tier.pk, form)})
