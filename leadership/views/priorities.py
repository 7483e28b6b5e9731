"""The district's priorities and measures, and the figures entered per school."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadership import permissions, selectors, services
from leadership.evaluation import OVERALL_STYLE
from leadership.forms import FigureForm, MeasureForm, PriorityForm


def _priorities_url(request, year=None) -> str:
    url = reverse("leadership:priorities", kwargs={"district_slug": request.district.slug})
    return f"{url}?year={year.pk}" if year else url


@require_GET
def priorities(request):
    """Every member reads the district's priorities; admins and leaders change them."""
    year = selectors.selected_year(district=request.district, year_pk=request.GET.get("year"))
    return _priorities_page(request, year, PriorityForm(initial={"school_year": year}))


def _priorities_page(request, year, form, status=200):
    context = {
        "year": year,
        "years": selectors.school_years(),
        "priorities": selectors.priorities_of_year(year=year),
        "form": form,
        "can_set": permissions.can_set_priorities(request.actor),
        "can_view_dashboard": permissions.can_view_dashboard(request.actor),
    }
    return render(request, "leadership/priorities.html", context, status=status)


@require_POST
def priority_add(request):
    permissions.require(permissions.can_set_priorities(request.actor))
    form = PriorityForm(request.POST)
    if form.is_valid():
        try:
            priority = services.priority_save(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"{priority.title} is a priority.")
            return redirect(_priorities_url(request, priority.school_year))
    year = selectors.selected_year(district=request.district)
    return _priorities_page(request, year, form, status=400)


@require_http_methods(["GET", "POST"])
def priority_edit(request, priority_pk: int):
    priority = selectors.get_priority(district_id=request.district.pk, priority_pk=priority_pk)
    permissions.require(permissions.can_set_priorities(request.actor))
    initial = {f: getattr(priority, f) for f in ("title", "area", "school_year", "description",
                                                 "position")}  # fmt: skip
    form = PriorityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_save(actor=request.actor, priority=priority, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "Saved.")
            return redirect(_priorities_url(request, priority.school_year))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "leadership/priority_form.html", {"form": form, "priority": priority},
        status=status,
    )  # fmt: skip


def _measure_form_page(request, form, *, priority, measure, status):
    return render(
        request,
        "leadership/measure_form.html",
        {"form": form, "priority": priority, "measure": measure},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def measure_new(request, priority_pk: int):
    priority = selectors.get_priority(district_id=request.district.pk, priority_pk=priority_pk)
    permissions.require(permissions.can_set_priorities(request.actor))
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_save(
                actor=request.actor, priority=priority, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"{measure.name} measures {priority.title}.")
            return redirect(measure.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return _measure_form_page(request, form, priority=priority, measure=None, status=status)


@require_http_methods(["GET", "POST"])
def measure_edit(request, measure_pk: int):
    measure = selectors.get_measure(district_id=request.district.pk, measure_pk=measure_pk)
    permissions.require(permissions.can_set_priorities(request.actor))
    initial = {name: getattr(measure, name) for name in MeasureForm.base_fields}
    form = MeasureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(actor=request.actor, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "Saved; its evaluations are rebuilt.")
            return redirect(measure.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return _measure_form_page(
        request, form, priority=measure.priority, measure=measure, status=status
    )


def _measure_page(request, measure, figure_form, status=200):
    evaluations = selectors.measure_evaluations(measure=measure)
    context = {
        "measure": measure,
        "evaluations": [(e, OVERALL_STYLE[e.overall]) for e in evaluations],
        "figure_form": figure_form,
        "can_set": permissions.can_set_priorities(request.actor),
    }
    return render(request, "leadership/measure.html", context, status=status)


@require_GET
def measure(request, measure_pk: int):
    """A measure and every school's stored evaluation of it (district roles)."""
    permissions.require(permissions.can_view_dashboard(request.actor))
    measure = selectors.get_measure(district_id=request.district.pk, measure_pk=measure_pk)
    return _measure_page(request, measure, FigureForm())


@require_POST
def figure_set(request, measure_pk: int):
    measure = selectors.get_measure(district_id=request.district.pk, measure_pk=measure_pk)
    permissions.require(permissions.can_set_priorities(request.actor))
    form = FigureForm(request.POST)
    if form.is_valid():
        try:
            services.figure_set(actor=request.actor, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"{form.cleaned_data['school'].name}'s result is saved.")
            return redirect(measure.get_absolute_url())
    return _measure_page(request, measure, form, status=400)
