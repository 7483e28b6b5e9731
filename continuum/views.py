"""The continuum's pages: the grid (a school's, the district's), a support, its form, and
the one-page poster."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum import effect_selectors, permissions, selectors, services
from continuum.forms import GridFilterForm, SupportForm
from crsys.pdf import one_page_pdf_response
from districts.permissions import ALL_SCHOOLS
from schools import selectors as school_selectors


def int_or_none(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _filters(request) -> tuple[GridFilterForm, dict]:
    """The grid's filters from the address; a school the actor may not open is a 404."""
    actor = request.actor
    # The schools whose continuum the actor sees (``permissions.school_ids``).
    schools = list(school_selectors.visible_schools(actor=actor).order_by("name"))
    areas = selectors.focus_areas(district_id=actor.district_id)
    levels = selectors.tiers(district_id=actor.district_id)
    form = GridFilterForm(
        request.GET,
        schools=schools,
        areas=areas,
        levels=levels,
        may_see_all=permissions.school_ids(actor) is ALL_SCHOOLS,
    )
    scope = request.GET.get("scope", "")
    if scope and scope != selectors.ALL and int_or_none(scope) not in {s.pk for s in schools}:
        raise Http404("No such school.")
    if not form.is_valid():
        # The divisional grid, unfiltered, with the form's errors shown.
        return form, {"areas": areas, "levels": levels}
    data = form.cleaned_data
    return form, {
        "areas": areas,
        "levels": levels,
        "scope": data["scope"],
        "query": data["q"],
        "focus_area": data["focus_area"],
        "tier": data["tier"],
        "include_archived": data["archived"],
    }


@require_GET
def continuum_page(request):
    form, filters = _filters(request)
    grid = selectors.continuum_grid(actor=request.actor, **filters)
    can_see_effects = permissions.can_see_effects(request.actor)
    if can_see_effects:
        # Each support's one headline figure, read in one query.
        area_of = {
            s.pk: row.focus_area.key
            for row in grid.rows
            for cell in row.cells
            for s in cell.supports
        }
        headlines = effect_selectors.headline_effects(actor=request.actor, area_of=area_of)
        supports = [s for row in grid.rows for cell in row.cells for s in cell.supports]
        for support in supports:
            support.effect = headlines.get(support.pk)
    scope = filters.get("scope", "")
    school_id = int(scope) if scope and scope != selectors.ALL else None
    context = {
        "can_see_effects": can_see_effects,
        "may_see_district_supports": (
            permissions.school_support_school_ids(request.actor) is ALL_SCHOOLS
        ),
        "small_sample": effect_selectors.SMALL_SAMPLE,
        "add_query": f"?school={school_id}" if school_id else "",
        "form": form,
        "grid": grid,
        "school_id": school_id,
        "can_add": permissions.can_keep_supports(request.actor, school_id),
        "can_promote": permissions.can_promote(request.actor),
        "can_configure": permissions.can_configure(request.actor),
        "may_see_all": permissions.school_ids(request.actor) is ALL_SCHOOLS,
        "poster_query": request.GET.urlencode(),
    }
    return render(request, "continuum/grid.html", context)


@require_GET
def continuum_poster(request):
    """The grid as one printed page: the largest type at which it fits."""
    _, filters = _filters(request)
    filters["include_archived"] = False
    grid = selectors.continuum_grid(actor=request.actor, **filters)
    scope = filters.get("scope", "")
    school = None
    if scope and scope != selectors.ALL:
        school = school_selectors.get_school(actor=request.actor, school_pk=scope)
    words = sum(len(s.name) for row in grid.rows for c in row.cells for s in c.supports)
    guess = max(6.0, min(11.0, 11.0 - words / 600))
    return one_page_pdf_response(
        request,
        "continuum/poster.html",
        {"grid": grid, "school": school},
        "continuum.pdf",
        sizes=[5.0, 5.5, 6.0, 6.5, 7.0, 8.0, 9.0, 10.0, 11.0],
        guess=guess,
    )


def _school_for_new(request) -> int | None:
    raw = request.GET.get("school") or request.POST.get("school") or ""
    if not raw:
        return None
    return school_selectors.get_school(actor=request.actor, school_pk=raw).pk


@require_http_methods(["GET", "POST"])
def support_new(request):
    actor = request.actor
    school_id = _school_for_new(request)
    permissions.require(permissions.can_keep_supports(actor, school_id))
    form = SupportForm(request.POST or None, district_id=actor.district_id)
    if request.method == "POST" and form.is_valid():
        try:
            support = services.support_create(actor=actor, school_id=school_id, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"{support.name} is on the continuum.")
            return redirect(support.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "continuum/support_form.html",
        {"form": form, "school_id": school_id, "support": None},
        status=status,
    )


@require_GET
def support_detail(request, support_pk: int):
    support = selectors.get_support(actor=request.actor, support_pk=support_pk)
    effects = effect_selectors.support_effects(actor=request.actor, support_ids=[support.pk])
    context = {
        "support": support,
        "effect_rows": effect_selectors.own_area_first([(support, e) for e in effects]),
        "files": selectors.support_files(support=support),
        "can_see_effects": permissions.can_see_effects(request.actor),
        "small_sample": effect_selectors.SMALL_SAMPLE,
        "can_edit": permissions.can_keep_supports(request.actor, support.school_id),
        "can_promote": permissions.can_promote(request.actor) and support.school_id is not None,
    }
    return render(request, "continuum/support_detail.html", context)


@require_http_methods(["GET", "POST"])
def support_edit(request, support_pk: int):
    actor = request.actor
    support = selectors.get_support(actor=actor, support_pk=support_pk)
    permissions.require(permissions.can_keep_supports(actor, support.school_id))
    initial = {name: getattr(support, name) for name in services.SUPPORT_FIELDS}
    form = SupportForm(request.POST or None, initial=initial, district_id=actor.district_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_update(actor=actor, support=support, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "Saved.")
            return redirect(support.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "continuum/support_form.html",
        {"form": form, "school_id": support.school_id, "support": support},
        status=status,
    )


@require_POST
def support_archive(request, support_pk: int):
    support = selectors.get_support(actor=request.actor, support_pk=support_pk)
    archived = request.POST.get("archived", "1") != "0"
    services.support_archive(actor=request.actor, support=support, archived=archived)
    messages.success(
        request, f"{support.name} is archived." if archived else f"{support.name} is back."
    )
    return redirect(support.get_absolute_url())


@require_POST
def support_promote(request, support_pk: int):
    support = selectors.get_support(actor=request.actor, support_pk=support_pk)
    try:
        services.support_promote(actor=request.actor, support=support)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{support.name} is on the divisional continuum.")
    return redirect(support.get_absolute_url())


@require_GET
def caseload(request):
    rows = selectors.caseload(
        actor=request.actor, today=school_selectors.district_today(request.district)
    )
    return render(request, "continuum/caseload.html", {"rows": rows})


@require_GET
def common(request):
    permissions.require(permissions.school_ids(request.actor) is ALL_SCHOOLS)
    rows = selectors.common_supports(actor=request.actor)
    return render(
        request,
        "continuum/common.html",
        {"rows": rows, "can_promote": permissions.can_promote(request.actor)},
    )
