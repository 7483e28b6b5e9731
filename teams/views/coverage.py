"""Every child has a team, visibly: a school's students by team coverage."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.alerts import alerts_among
from schools import selectors as school_selectors
from screeners import selectors as screener_selectors
from teams import coverage, permissions, selectors


@require_GET
def school_coverage(request, school_pk: int):
    """Every child has a team, visibly: who belongs to no team, who no team discussed this
    cycle, and who was discussed; by grade, band and status, a page at a time."""
    school = school_selectors.get_school(actor=request.actor, school_pk=school_pk)
    if not school_selectors.can_view_whole_school(request.actor, school.pk):
        raise PermissionDenied
    windows = screener_selectors.windows_with_snapshots(district_id=request.district.pk)
    window = windows[0] if windows else None
    today = school_selectors.district_today(request.district)
    found = coverage.school_coverage(actor=request.actor, school=school, today=today, window=window)
    form = coverage.CoverageFilterForm(request.GET, coverage=found)
    selected = form.selected(found.rows)
    status = form.chosen_status()
    listed = [row for row in selected if not status or row.status == status]
    context = {
        "school": school,
        "window": window,
        "since": found.since,
        "form": form,
        "figures": coverage.figures(selected),
        "grades": found.grades(),
        "grades_without_team": found.grades_without_team(),
        "screeners": found.screeners,
        "status": status,
        "page": Paginator(listed, coverage.PAGE_SIZE).get_page(request.GET.get("page")),
        "layers": selectors.district_layers(district_id=request.district.pk),
        "teams": found.teams,
        "can_form": permissions.can_form_teams(request.actor, school_id=school.pk),
        "support_alerts": alerts_among(
            actor=request.actor,
            students=school_selectors.visible_students(actor=request.actor).filter(
                school=school, is_active=True
            ),
            today=today,
        ),
    }
    return render(request, "teams/school_coverage.html", context)
