"""The result grid: a teacher enters a class's scores for the open window, cell by cell."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from districts.permissions import Capability
from schools import selectors as school_selectors
from screeners import permissions, selectors, services
from screeners.bands import score_display
from screeners.forms import (
    ResultCellForm,
)


def _today(request):
    return school_selectors.district_today(request.district)


def _grid_context(request, classroom_pk: int, window_pk: int | None):
    classroom = school_selectors.get_classroom(actor=request.actor, classroom_pk=classroom_pk)
    if not permissions.can_enter_for_classroom(request.actor, classroom):
        raise PermissionDenied
    district_id = request.district.pk
    if window_pk:
        window = selectors.get_window(district_id=district_id, window_pk=window_pk)
    else:
        window = selectors.entry_window(district_id=district_id, today=_today(request))
    return classroom, window


def _editable(request, window, today) -> bool:
    """Cells take typing while the window is open; outside it only for an administrator,
    whose entries are marked (the service decides the same for every path)."""
    return window.is_open_on(today) or request.actor.can(Capability.MANAGE_DISTRICT)


@require_GET
def result_grid(request, classroom_pk: int):
    classroom, window = _grid_context(request, classroom_pk, request.GET.get("window"))
    students = list(school_selectors.classroom_students(actor=request.actor, classroom=classroom))
    screener_list = [s for s in window.screeners.all() if not s.is_archived] if window else []
    rows = (
        selectors.classroom_result_rows(
            students=students, window=window, screener_list=screener_list
        )
        if window
        else []
    )
    today = _today(request)
    context = {
        "classroom": classroom,
        "window": window,
        "windows": selectors.windows(district_id=request.district.pk),
        "screeners": screener_list,
        "rows": rows,
        "status": window.status_on(today) if window else None,
        "editable": _editable(request, window, today) if window else False,
    }
    return render(request, "screeners/result_grid.html", context)


@require_POST
def result_cell(request, classroom_pk: int, window_pk: int):
    classroom, window = _grid_context(request, classroom_pk, window_pk)
    student = school_selectors.get_student(
        actor=request.actor, student_pk=request.POST.get("student")
    )
    screener = selectors.get_screener(
        district_id=request.district.pk, screener_pk=request.POST.get("screener")
    )
    form = ResultCellForm(request.POST)
    today = _today(request)
    if form.is_valid():
        raw = form.cleaned_data["score"]
        outcome = services.result_record(
            actor=request.actor,
            window=window,
            screener=screener,
            student=student,
            raw_score=raw,
            today=today,
            user=request.user,
        )
    else:
        raw = request.POST.get("score", "")
        outcome = services.Outcome(None, None, error=form.errors["score"][0])
    context = {
        "classroom": classroom,
        "window": window,
        "screener": screener,
        "student": student,
        "value": raw
        if outcome.error
        else (score_display(outcome.result.score, screener) if outcome.result else ""),
        "band": outcome.band,
        "error": outcome.error,
        "warning": outcome.warning,
        "editable": _editable(request, window, today),
    }
    html = render_to_string("screeners/result_grid.html#cell", context, request=request)
    return HttpResponse(html, status=200)


# Dashboards (snapshots only) --------------------------------------------------------------
