"""Screening dashboards: a class's, a school's, and the school's as PDF."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crsys.pdf import pdf_response
from schools import selectors as school_selectors
from screeners import selectors


def _today(request):
    return school_selectors.district_today(request.district)


def _dashboard_window(request):
    with_snapshots = selectors.windows_with_snapshots(district_id=request.district.pk)
    chosen = request.GET.get("window")
    window = next((w for w in with_snapshots if str(w.pk) == chosen), None)
    return window or (with_snapshots[0] if with_snapshots else None), with_snapshots


@require_GET
def classroom_dashboard(request, classroom_pk: int):
    classroom = school_selectors.get_classroom(actor=request.actor, classroom_pk=classroom_pk)
    window, with_snapshots = _dashboard_window(request)
    students = list(school_selectors.classroom_students(actor=request.actor, classroom=classroom))
    screener_list, rows = (
        selectors.classroom_snapshot_rows(students=students, window=window) if window else ([], [])
    )
    sort = request.GET.get("sort", "name")
    if sort.isascii() and sort.isdigit():
        index = next((i for i, s in enumerate(screener_list) if str(s.pk) == sort), None)
        if index is not None:
            rows.sort(
                key=lambda r: (
                    r.cells[index][1].band_rank if r.cells[index][1] else 99,
                    r.student.family_name,
                )
            )
    context = {
        "classroom": classroom,
        "window": window,
        "windows": with_snapshots,
        "screeners": screener_list,
        "rows": rows,
        "sort": sort,
    }
    return render(request, "screeners/classroom_dashboard.html", context)


def _school_dashboard_context(request, school_pk: int) -> dict:
    school = school_selectors.get_school(actor=request.actor, school_pk=school_pk)
    if not school_selectors.can_view_whole_school(request.actor, school.pk):
        raise PermissionDenied
    window, with_snapshots = _dashboard_window(request)
    history = sorted(
        (w for w in with_snapshots if window and w.opens_on <= window.opens_on),
        key=lambda w: w.opens_on,
    )
    screener = request.GET.get("screener")
    panels = (
        selectors.school_dashboard(
            school=school,
            window=window,
            history=history,
            screener_ids=[int(screener)]
            if screener and screener.isascii() and screener.isdigit()
            else None,
        )
        if window
        else []
    )
    return {
        "school": school,
        "window": window,
        "windows": with_snapshots,
        "panels": panels,
        "window_open": bool(window and window.is_open_on(_today(request))),
        "screener_filter": screener or "",
        "screeners": selectors.screeners(district_id=request.district.pk),
    }


@require_GET
def school_dashboard(request, school_pk: int):
    context = _school_dashboard_context(request, school_pk)
    return render(request, "screeners/school_dashboard.html", context)


@require_GET
def school_dashboard_pdf(request, school_pk: int):
    context = _school_dashboard_context(request, school_pk)
    return pdf_response(
        request,
        "screeners/school_dashboard_print.html",
        context,
        f"{context['school'].code}-dashboard.pdf",
    )


# Results files --------------------------------------------------------------------------
