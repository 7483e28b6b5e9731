"""The rules a screener result must pass, whichever way it arrives: the grid's cell, the bulk
API or a results file. One function checks a whole batch in a fixed number of queries, so the
file import (thousands of rows) and the cell (one) are judged alike."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from districts.permissions import Actor, Capability
from schools.models import Enrolment, Student
from screeners.bands import parse_score
from screeners.models import BenchmarkBand, Screener, ScreeningWindow, human_date
from screeners.permissions import result_entry_students

NOT_YOURS = "you cannot enter results for this student"


@dataclass(frozen=True)
class Entry:
    student: Student
    screener: Screener
    raw: str  # blank: remove the result


@dataclass(frozen=True)
class EntryCheck:
    entry: Entry
    score: Decimal | None = None  # None without an error: the result is removed
    band: BenchmarkBand | None = None
    error: str | None = None
    field: str | None = None  # the input the error is about: student, screener or score
    warning: str | None = None

    @property
    def removes(self) -> bool:
        return self.error is None and self.score is None


def window_closed_message(window: ScreeningWindow, today: datetime.date) -> str:
    """Why a teacher cannot enter results in ``window`` today (it is not open)."""
    if today < window.opens_on:
        return f"the {window} window is not open yet: it opens on {human_date(window.opens_on)}"
    return (
        f"the {window} window closed on {human_date(window.closes_on)}; "
        "changes need a district admin"
    )


def check_entries(
    *,
    actor: Actor,
    window: ScreeningWindow,
    entries: Sequence[Entry],
    today: datetime.date,
) -> list[EntryCheck]:
    """Each entry's verdict: who (the class they teach), which screener and grade, enrolment,
    the window's dates, the score and its band. Four queries for any number of entries."""
    student_ids = {e.student.pk for e in entries}
    allowed = set(
        result_entry_students(actor=actor, school_year_id=window.school_year_id)
        .filter(pk__in=student_ids)
        .values_list("pk", flat=True)
    )
    in_window = {s.pk for s in window.screeners.all() if not s.is_archived}
    enrolled = set(
        Enrolment.objects.all()
        .during(first=window.opens_on, last=window.closes_on)
        .filter(student_id__in=student_ids, classroom__school_year_id=window.school_year_id)
        .values_list("student_id", flat=True)
    )
    bands = list(
        BenchmarkBand.objects.filter(
            season=window.season, screener_id__in={e.screener.pk for e in entries}
        )
    )
    is_open = window.is_open_on(today)
    late = None if is_open or not actor.can(Capability.MANAGE_DISTRICT) else window
    checks = []
    for entry in entries:
        problem = _refusal(entry, window, allowed, in_window, enrolled, is_open, late, today)
        if problem:
            field, message = problem
            checks.append(EntryCheck(entry, error=message, field=field))
            continue
        warning = f"entered outside the window ({window.span_text})" if late else None
        checks.append(_scored(entry, window, bands, warning))
    return checks


def _refusal(entry, window, allowed, in_window, enrolled, is_open, late, today):
    student, screener = entry.student, entry.screener
    if student.pk not in allowed:
        return "student", NOT_YOURS
    if screener.pk not in in_window:
        return "screener", f"{screener.name} is not part of the {window} window"
    if screener.grades and student.grade not in screener.grades:
        return "screener", f"{screener.name} is not given in grade {student.grade}"
    if window.grades and student.grade not in window.grades:
        return "student", f"the {window} window does not screen grade {student.grade}"
    if student.pk not in enrolled:
        return "student", f"{student.display_name} is not enrolled in {window.school_year}"
    if not is_open and late is None:
        return "window", window_closed_message(window, today)
    return None


def _scored(entry, window, bands, warning) -> EntryCheck:
    student, screener = entry.student, entry.screener
    if str(entry.raw).strip() == "":
        return EntryCheck(entry, warning=warning)
    score, problem = parse_score(entry.raw, screener=screener)
    if problem:
        return EntryCheck(entry, error=problem, field="score")
    band = next(
        (
            b
            for b in sorted(bands, key=lambda b: b.rank)
            if b.screener_id == screener.pk
            and b.grade == student.grade
            and b.min_score <= score <= b.max_score
        ),
        None,
    )
    if band is None:
        return EntryCheck(
            entry,
            error=f"{screener.name} has no bands for grade {student.grade} in "
            f"{window.get_season_display()}",
            field="score",
        )
    return EntryCheck(entry, score=score, band=band, warning=warning)
