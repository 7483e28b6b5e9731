"""The district's continuum of supports for schools: what the district offers by tier, each
school's tier of district support and its district supports, for district admins and
leaders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum import permissions, school_selectors, school_services, selectors
from continuum.school_forms import AssignForm, DistrictSupportForm, EndForm, SchoolTierForm
from districts.permissions import ALL_SCHOOLS
from schools import selectors as school_selectors_of_schools


def _page_url(request, name: str, **kwargs) -> str:
    return reverse(f"continuum:{name}", kwargs={"district_slug": request.district.slug, **kwargs})


def _require_reader(actor) -> None:
    permissions.require(permissions.school_support_school_ids(actor) is ALL_SCHOOLS)


@require_GET
def district_continuum(request):
    actor = request.actor
    _require_reader(actor)
    supports = school_selectors.district_supports()
    tiers = school_selectors.school_support_tiers(request.district, actor=actor)
    schools = list(school_selectors_of_schools.visible_schools(actor=actor).order_by("name"))
    context = {
        "rows": school_selectors.district_catalogue(supports),
        "count": len(supports),
        "schools": [(school, tiers.get(school.pk)) for school in schools],
        "can_keep": permissions.can_keep_district_supports(actor),
        "can_assign": permissions.can_assign_school_supports(actor),
    }
    return render(request, "continuum/district.html", context)


@require_http_methods(["GET", "POST"])
def district_support_form(request, districtsupport_pk: int | None = None):
    actor = request.actor
    permissions.require(permissions.can_keep_district_supports(actor))
    support = None
    initial = {}
    if districtsupport_pk is not None:
        support = selectors.get_district_support(actor=actor, support_pk=districtsupport_pk)
        initial = {name: getattr(support, name) for name in school_services.DISTRICT_SUPPORT_FIELDS}
        initial["providers"] = [p.user_id for p in support.providers.all()]
    form = DistrictSupportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if support is None:
                support = school_services.district_support_create(actor=actor, **form.cleaned_data)
            else:
                school_services.district_support_update(
                    actor=actor, support=support, **form.cleaned_data
                )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"{support.name} is saved.")
            return redirect(_page_url(request, "district"))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "support": support}
    return render(request, "continuum/district_support_form.html", context, status=status)


def _school_page(request, school, *, tier_form=None, assign_form=None, status=200):
    actor = request.actor
    status_now = school_selectors.school_support_tiers(request.district, actor=actor)[school.pk]
    context = {
        "school": school,
        "status_now": status_now,
        "assignments": school_selectors.school_assignments(school=school),
        "tier_form": tier_form
        or SchoolTierForm(initial={"level": status_now.level, "note": status_now.note}),
        "assign_form": assign_form or AssignForm(initial={"start_date": request.district.today()}),
        "end_form": EndForm(initial={"end_date": request.district.today()}),
        "can_assign": permissions.can_assign_school_supports(actor),
    }
    return render(request, "continuum/district_school.html", context, status=status)


@require_GET
def school_supports(request, school_pk: int):
    _require_reader(request.actor)
    school = school_selectors_of_schools.get_school(actor=request.actor, school_pk=school_pk)
    return _school_page(request, school)


@require_POST
def school_tier_set(request, school_pk: int):
    actor = request.actor
    school = school_selectors_of_schools.get_school(actor=actor, school_pk=school_pk)
    permissions.require(permissions.can_assign_school_supports(actor))
    form = SchoolTierForm(request.POST)
    if form.is_valid():
        try:
            school_services.school_support_tier_set(actor=actor, school=school, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"{school.name}'s tier of district support is saved.")
            return redirect(_page_url(request, "district_school", school_pk=school.pk))
    return _school_page(request, school, tier_form=form, status=400)


@require_POST
def school_support_assign(request, school_pk: int):
    actor = request.actor
    school = school_selectors_of_schools.get_school(actor=actor, school_pk=school_pk)
    permissions.require(permissions.can_assign_school_supports(actor))
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            school_services.assign_school_support(actor=actor, school=school, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"{form.cleaned_data['support'].name} is assigned.")
            return redirect(_page_url(request, "district_school", school_pk=school.pk))
    return _school_page(request, school, assign_form=form, status=400)


@require_POST
def school_support_end(request, schoolsupportassignment_pk: int):
    actor = request.actor
    assignment = selectors.get_school_assignment(
        actor=actor, assignment_pk=schoolsupportassignment_pk
    )
    permissions.require(permissions.can_assign_school_supports(actor))
    form = EndForm(request.POST)
    url = _page_url(request, "district_school", school_pk=assignment.school_id)
    if not form.is_valid():
        messages.error(request, "Give the date it ended.")
        return redirect(url)
    try:
        school_services.school_support_end(
            actor=actor, assignment=assignment, end_date=form.cleaned_data["end_date"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{assignment.support.name} has ended.")
    return redirect(url)
