"""A results file for one window -> checked rows -> a set-based upsert.

Columns: student number, screener (its name), score. Every cell is read as text; each
problem names its row and column, and nothing is written unless every row is good.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from django.utils import timezone

from crsys.bulk import analyze_after_commit, insert_rows, update_rows
from districts.permissions import Actor
from schools.models import Student
from schools.roster.problems import Problem, RosterRejected
from schools.roster.spreadsheet import read_table
from schools.roster.tables import check_required_values, row_numbers
from screeners.entries import Entry, check_entries
from screeners.models import ScreenerResult, ScreeningWindow

COLUMNS = {
    "student_number": ["studentnumber", "studentno", "student", "number", "identifier"],
    "screener": ["screener", "screenername", "assessment", "test"],
    "score": ["score", "result", "level", "value"],
}
STUDENT_FIELDS = [
    "student_number",
    "grade",
    "school",
    "given_name",
    "preferred_name",
    "family_name",
]
LABELS = {"student_number": "student number", "screener": "screener", "score": "score"}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


@dataclass
class Checked:
    rows: pd.DataFrame  # student_id, screener_id, score, band_id
    warnings: list[str]


def read_results(
    name: str, data: bytes, *, sheet: str | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    frame = read_table(name, data, sheet=sheet)
    by_key = {_key(c): c for c in frame.columns}
    found, problems = {}, []
    for target, keys in COLUMNS.items():
        header = next((by_key[k] for k in keys if k in by_key), None)
        if header is None:
            problems.append(
                Problem(
                    name,
                    1,
                    LABELS[target],
                    f"no '{LABELS[target]}' column (the header row needs one)",
                )
            )
        else:
            found[target] = header
    if problems:
        raise RosterRejected(problems)
    return frame, found


def check_results(
    name: str,
    frame: pd.DataFrame,
    columns: dict[str, str],
    *,
    window: ScreeningWindow,
    actor: Actor,
    today,
) -> Checked:
    """Every problem with the file, or the rows to write (with their bands). The file's own
    problems (unknown numbers and screeners, repeated rows) are found here; whether each
    result may be entered is judged by the rules every path shares (screeners/entries.py)."""
    h = columns
    problems = check_required_values(name, frame, [h["student_number"], h["screener"], h["score"]])
    numbers = frame[h["student_number"]].str.strip()
    names = frame[h["screener"]].str.strip()
    students = {
        s.student_number: s
        for s in Student.objects.for_district(window.district_id)
        .filter(student_number__in=set(numbers))
        .only(*STUDENT_FIELDS)
    }
    screeners = {s.name.strip().lower(): s for s in window.screeners.all()}
    rows, entries = [], []
    first_seen: dict[tuple, int] = {}
    for row, number, screener_name, raw in zip(
        row_numbers(frame, slice(None)), numbers, names, frame[h["score"]], strict=True
    ):
        if not number or not screener_name or not str(raw).strip():
            continue  # reported as empty above
        student = students.get(number)
        if student is None:
            problems.append(
                Problem(name, row, h["student_number"], f"no student has the number '{number}'")
            )
            continue
        screener = screeners.get(screener_name.lower())
        if screener is None:
            problems.append(
                Problem(
                    name,
                    row,
                    h["screener"],
                    f"'{screener_name}' is not a screener of the {window} window",
                )
            )
            continue
        key = (student.pk, screener.pk)
        if key in first_seen:
            problems.append(
                Problem(
                    name,
                    row,
                    h["student_number"],
                    f"{number} has a second {screener.name} result "
                    f"(first on row {first_seen[key]})",
                )
            )
            continue
        first_seen[key] = row
        rows.append(row)
        entries.append(Entry(student=student, screener=screener, raw=str(raw)))
    column_of = {"student": h["student_number"], "screener": h["screener"], "score": h["score"]}
    out, late = [], False
    for row, check in zip(
        rows, check_entries(actor=actor, window=window, entries=entries, today=today), strict=True
    ):
        if check.error:
            problems.append(Problem(name, row, column_of.get(check.field), check.error))
            continue
        late = late or check.warning is not None
        student = check.entry.student
        out.append(
            (student.pk, check.entry.screener.pk, check.score, check.band.pk)
            + (student.grade, student.school_id)
        )
    if problems:
        raise RosterRejected(problems)
    warnings = []
    if late:
        warnings.append(
            f"the {window} window is not open ({window.span_text});"
            " results are entered by a district admin"
        )
    columns = ["student_id", "screener_id", "score", "band_id", "grade", "school_id"]
    return Checked(pd.DataFrame(out, columns=columns), warnings)


def apply_results(
    *, window: ScreeningWindow, checked: Checked, commit: bool, entered_by_id: int | None = None
) -> dict[str, int]:
    """Counts of new, changed and unchanged results; writes them when ``commit``. Like the
    grid, each result keeps the grade and school the student was screened in (ADR 4), and
    names who entered it (the uploader; nobody for the command line)."""
    stored = pd.DataFrame.from_records(
        list(
            ScreenerResult.objects.for_district(window.district_id)
            .filter(window=window)
            .values_list(
                "pk", "student_id", "screener_id", "score", "band_id", "grade", "school_id"
            )
        ),
        columns=["id", "student_id", "screener_id", "score_db", "band_db", "grade_db", "school_db"],
    )
    merged = checked.rows.merge(stored, on=["student_id", "screener_id"], how="left")
    new = merged[merged["id"].isna()]
    changed = merged[
        merged["id"].notna()
        & (
            (merged["score"] != merged["score_db"])
            | (merged["band_id"] != merged["band_db"])
            | (merged["grade"] != merged["grade_db"])
            | (merged["school_id"] != merged["school_db"])
        )
    ]
    counts = {
        "create": len(new),
        "update": len(changed),
        "unchanged": len(merged) - len(new) - len(changed),
    }
    if commit:
        insert_rows(
            ScreenerResult,
            [
                "student_id",
                "screener_id",
                "window_id",
                "score",
                "band_id",
                "grade",
                "school_id",
                "entered_by_id",
            ],
            (
                (
                    int(r.student_id),
                    int(r.screener_id),
                    window.pk,
                    r.score,
                    int(r.band_id),
                    r.grade,
                    int(r.school_id),
                    entered_by_id,
                )
                for r in new.itertuples()
            ),
            district_id=window.district_id,
        )
        update_rows(
            ScreenerResult,
            ["score", "band_id", "grade", "school_id", "entered_by_id"],
            (
                (int(r.id), r.score, int(r.band_id), r.grade, int(r.school_id), entered_by_id)
                for r in changed.itertuples()
            ),
        )
        analyze_after_commit(ScreenerResult)
        window.refresh_from_db()
        if window.last_recomputed_at is not None or window.closes_on < timezone.localdate():
            from screeners.services import request_recompute

            request_recompute(window)
    return counts
