"""What is working, and how do we know? Band movement per support, as counts, for the roles
that may read them (``continuum.permissions.effect_school_ids``)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum import effect_selectors, permissions, selectors
from continuum.forms import WorkingFilterForm
from districts.permissions import ALL_SCHOOLS
from schools import selectors as school_selectors
from screeners.recompute import previous_window


@require_GET
def working(request):
    actor = request.actor
    permissions.require(permissions.can_see_effects(actor))
    windows = effect_selectors.effect_windows(actor=actor)
    form = WorkingFilterForm(request.GET or None, windows=windows)
    chosen = windows[0] if windows else None
    if form.is_bound and form.is_valid() and form.cleaned_data["window"]:
        chosen = next(w for w in windows if w.pk == form.cleaned_data["window"])
    effects = (
        effect_selectors.support_effects(actor=actor, window=chosen) if chosen is not None else []
    )
    supports = {
        s.pk: s
        for s in selectors.visible_supports(actor=actor)
        .filter(pk__in={e.support_id for e in effects})
        .select_related("focus_area", "tier", "school")
    }
    rows = effect_selectors.own_area_first(
        [(supports[e.support_id], e) for e in effects if e.support_id in supports]
    )
    ids = permissions.effect_school_ids(actor)
    schools = (
        []
        if ids is ALL_SCHOOLS
        else list(school_selectors.visible_schools(actor=actor).filter(pk__in=sorted(ids)))
    )
    context = {
        "form": form,
        "window": chosen,
        "earlier": previous_window(chosen) if chosen is not None else None,
        "rows": rows,
        "schools": schools,
        "small_sample": effect_selectors.SMALL_SAMPLE,
    }
    return render(request, "continuum/working.html", context)
