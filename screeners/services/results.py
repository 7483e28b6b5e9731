"""Writes of screener results: the grid, the bulk API (results files: result_imports)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Q

from districts.permissions import Actor
from schools.models import Student
from screeners.entries import Entry, EntryCheck, check_entries
from screeners.models import BenchmarkBand, Screener, ScreenerResult, ScreeningWindow
from screeners.services.recompute_requests import request_recompute


@dataclass(frozen=True)
class Outcome:
    result: ScreenerResult | None
    band: BenchmarkBand | None
    error: str | None = None
    warning: str | None = None


@transaction.atomic
def results_record(
    *,
    actor: Actor,
    items: Sequence[tuple[ScreeningWindow, Entry]],
    today: datetime.date,
    user=None,
) -> list[EntryCheck]:
    """Save many results (the grid's cell, the bulk API), all or nothing: every entry is
    checked (screeners/entries.py); if any is refused nothing is written, and the checks,
    in the order given, say why. A blank score removes a result. Each result keeps the
    grade and school the student was screened in (ADR 4), so a promotion does not re-band
    it."""
    by_window: dict[int, tuple[ScreeningWindow, list[int]]] = {}
    for index, (window, _) in enumerate(items):
        by_window.setdefault(window.pk, (window, []))[1].append(index)
    checks: list[EntryCheck | None] = [None] * len(items)
    for window, indexes in by_window.values():
        found = check_entries(
            actor=actor, window=window, entries=[items[i][1] for i in indexes], today=today
        )
        for index, check in zip(indexes, found, strict=True):
            checks[index] = check
    done = [c for c in checks if c is not None]
    first_at: dict[tuple[int, int, int], int] = {}
    for index, ((window, entry), check) in enumerate(zip(items, done, strict=True)):
        key = (window.pk, entry.student.pk, entry.screener.pk)
        if key in first_at and check.error is None:
            # One statement cannot write a row twice (PostgreSQL refuses it): name the repeat.
            message = f"a second result for this student and screener (item {first_at[key]})"
            done[index] = replace(check, error=message, field="student")
        first_at.setdefault(key, index)
    if any(c.error for c in done):
        return done
    for window, indexes in by_window.values():
        _write(window, [done[i] for i in indexes], user=user)
        _after_change(window, today)
    return done


def _write(window: ScreeningWindow, checks: list[EntryCheck], *, user) -> None:
    removed = [c.entry for c in checks if c.removes]
    if removed:
        gone = Q()
        for entry in removed:
            gone |= Q(student_id=entry.student.pk, screener_id=entry.screener.pk)
        ScreenerResult.objects.filter(gone, window=window).delete()
    saved = [
        ScreenerResult(
            district_id=window.district_id,
            window=window,
            screener=c.entry.screener,
            student=c.entry.student,
            score=c.score,  # type: ignore[misc]  # a check that keeps a result has its score
            band=c.band,
            entered_by=user,
            grade=c.entry.student.grade,
            school_id=c.entry.student.school_id,
        )
        for c in checks
        if not c.removes
    ]
    if saved:
        ScreenerResult.objects.bulk_create(
            saved,
            update_conflicts=True,
            unique_fields=["window", "screener", "student"],
            update_fields=["score", "band", "entered_by", "grade", "school", "updated_at"],
        )


def result_record(
    *,
    actor: Actor,
    window: ScreeningWindow,
    screener: Screener,
    student: Student,
    raw_score: str,
    today: datetime.date,
    user=None,
) -> Outcome:
    """Save one result (the grid's cell). A blank score removes it."""
    entry = Entry(student=student, screener=screener, raw=raw_score)
    (check,) = results_record(actor=actor, items=[(window, entry)], today=today, user=user)
    if check.error:
        return Outcome(None, None, error=check.error)
    if check.removes:
        return Outcome(None, None, warning=check.warning)
    result = ScreenerResult.objects.get(window=window, screener=screener, student=student)
    return Outcome(result, check.band, warning=check.warning)


def _after_change(window: ScreeningWindow, today: datetime.date) -> None:
    if today > window.closes_on or window.closed_processed_at is not None:
        request_recompute(window)
