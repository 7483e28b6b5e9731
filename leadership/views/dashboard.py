"""The leadership dashboard (page, CSV, one landscape PDF page) and a school's page."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from crsys.imports.problems import csv_safe
from crsys.pdf import one_page_pdf_response
from districts.permissions import Capability, capability_required
from leadership import permissions, selectors
from leadership.forms import DashboardFilterForm, NewPlanForm
from leadership.views.matrix_html import row_html
from schools import selectors as school_selectors


def _dashboard(request):
    district = request.district
    years = selectors.school_years()
    year = selectors.selected_year(district=district, year_pk=request.GET.get("year"), years=years)
    areas = selectors.areas(district_id=district.pk)
    today = school_selectors.district_today(request.actor)
    form = DashboardFilterForm(request.GET, areas=areas)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"area": data["area"], "band": data["band"], "query": data["q"],
                   "sort": data["sort"] or "name"}  # fmt: skip
    board = selectors.leadership_dashboard(year=year, today=today, **filters)
    return form, board, years


@require_GET
@capability_required(Capability.VIEW_LEADERSHIP_DASHBOARD)
def dashboard(request):
    form, board, years = _dashboard(request)
    school_url = reverse(
        "leadership:school", kwargs={"district_slug": request.district.slug, "school_pk": 0}
    ).removesuffix("0/")
    context = {
        "form": form,
        "board": board,
        "rows_html": [row_html(row, school_url) for row in board.rows],
        "query": request.GET.urlencode(),
        "years": years,
        "can_set": permissions.can_set_priorities(request.actor),
        "status": 200 if not form.errors else 400,
    }
    return render(request, "leadership/dashboard.html", context, status=context["status"])


@require_GET
@capability_required(Capability.VIEW_LEADERSHIP_DASHBOARD)
def dashboard_csv(request):
    _, board, _ = _dashboard(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="leadership-dashboard.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["School", *(csv_safe(c.name) for c in board.columns), "Plan", "Last check-in",
         "Open commitments", "Overdue commitments"]
    )  # fmt: skip
    for row in board.rows:
        writer.writerow(
            [csv_safe(row.name),
             *(csv_safe(f"{cell[1]} {cell[5]}".strip()) for cell in row.cells),
             row.plan_status, row.last_check_in.replace("_", " "), row.open_commitments,
             row.overdue_commitments]
        )  # fmt: skip
    return response


@require_GET
@capability_required(Capability.VIEW_LEADERSHIP_DASHBOARD)
def dashboard_pdf(request):
    _, board, _ = _dashboard(request)
    guess = max(1.8, min(9.0, 9.0 - len(board.rows) / 12))
    return one_page_pdf_response(
        request,
        "leadership/dashboard_pdf.html",
        {"board": board},
        "leadership-dashboard.pdf",
        sizes=[1.5, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
        guess=guess,
    )


@require_GET
def school(request, school_pk: int):
    """A school's results against the district's priorities and its action plans."""
    actor = request.actor
    school = school_selectors.get_school(actor=actor, school_pk=school_pk)
    permissions.require(permissions.can_view_plan(actor, school.pk))
    year = selectors.selected_year(district=request.district, year_pk=request.GET.get("year"))
    context = {
        "school": school,
        "year": year,
        "results": selectors.school_evaluations(school=school, year=year),
        "plans": selectors.school_plans(actor=actor, school=school),
        "can_keep": permissions.can_keep_plan(actor, school.pk),
        "new_plan": NewPlanForm(initial={"school_year": year}),
        "can_view_dashboard": permissions.can_view_dashboard(actor),
    }
    return render(request, "leadership/school.html", context)
