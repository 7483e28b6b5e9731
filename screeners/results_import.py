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
from schools.models import Enrolment, Student
from schools.roster.problems import Problem, RosterRejected
from schools.roster.spreadsheet import read_table
from schools.roster.tables import check_required_values, row_numbers
from screeners.bands import parse_score
from screeners.models import BenchmarkBand, ScreenerResult, ScreeningWindow

COLUMNS = {
    "student_number": ["studentnumber", "studentno", "student", "number", "identifier"],
    "screener": ["screener", "screenername", "assessment", "test"],
    "score": ["score", "result", "level", "value"],
}
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
    name: str, frame: pd.DataFrame, columns: dict[str, str], *, window: ScreeningWindow, today
) -> Checked:
    """Every problem with the file, or the rows to write (with their bands)."""
    district_id = window.district_id
    h = columns
    problems = check_required_values(name, frame, [h["student_number"], h["screener"], h["score"]])
    numbers = frame[h["student_number"]].str.strip()
    names = frame[h["screener"]].str.strip()
    students = pd.DataFrame.from_records(
        list(
            Student.objects.for_district(district_id)
            .filter(student_number__in=set(numbers))
            .values_list("student_number", "pk", "grade", "school_id")
        ),
        columns=["number", "student_id", "grade", "school_id"],
    )
    student_by_number = dict(zip(students["number"], students["student_id"], strict=True))
    grade_of = dict(zip(students["student_id"], students["grade"], strict=True))
    school_of = dict(zip(students["student_id"], students["school_id"], strict=True))
    screeners = {s.name.strip().lower(): s for s in window.screeners.all()}
    enrolled = set(
        Enrolment.objects.for_district(district_id)
        .filter(
            classroom__school_year_id=window.school_year_id,
            is_active=True,
            student_id__in=students["student_id"].tolist(),
        )
        .values_list("student_id", flat=True)
    )
    bands = list(
        BenchmarkBand.objects.for_district(district_id).filter(
            season=window.season, screener__in=list(screeners.values())
        )
    )
    out = []
    first_seen: dict[tuple, int] = {}
    for row, number, screener_name, raw in zip(
        row_numbers(frame, slice(None)), numbers, names, frame[h["score"]], strict=True
    ):
        if not number or not screener_name or not str(raw).strip():
            continue  # reported as empty above
        student_id = student_by_number.get(number)
        if student_id is None:
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
        key = (student_id, screener.pk)
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
        if student_id not in enrolled:
            problems.append(
                Problem(
                    name,
                    row,
                    h["student_number"],
                    f"student {number} is not enrolled in {window.school_year}",
                )
            )
            continue
        score, message = parse_score(raw, screener=screener)
        if message:
            problems.append(Problem(name, row, h["score"], message))
            continue
        grade = grade_of[student_id]
        band = next(
            (
                b
                for b in bands
                if b.screener_id == screener.pk
                and b.grade == grade
                and b.min_score <= score <= b.max_score
            ),
            None,
        )
        if band is None:
            problems.append(
                Problem(
                    name,
                    row,
                    h["score"],
                    f"{screener.name} has no band for grade {grade} in "
                    f"{window.get_season_display()} covering {raw}",
                )
            )
            continue
        out.append((student_id, screener.pk, score, band.pk, grade, school_of[student_id]))
    if problems:
        raise RosterRejected(problems)
    warnings = []
    if not window.is_open_on(today):
        warnings.append(
            f"the {window} window is not open ({window.opens_on}–{window.closes_on});"
            " results are entered by a district admin"
        )
    columns = ["student_id", "screener_id", "score", "band_id", "grade", "school_id"]
    return Checked(pd.DataFrame(out, columns=columns), warnings)


def apply_results(*, window: ScreeningWindow, checked: Checked, commit: bool) -> dict[str, int]:
    """Counts of new, changed and unchanged results; writes them when ``commit``."""
    stored = pd.DataFrame.from_records(
        list(
            ScreenerResult.objects.for_district(window.district_id)
            .filter(window=window)
            .values_list("pk", "student_id", "screener_id", "score", "band_id")
        ),
        columns=["id", "student_id", "screener_id", "score_db", "band_db"],
    )
    merged = checked.rows.merge(stored, on=["student_id", "screener_id"], how="left")
    new = merged[merged["id"].isna()]
    changed = merged[
        merged["id"].notna()
        & ((merged["score"] != merged["score_db"]) | (merged["band_id"] != merged["band_db"]))
    ]
    counts = {
        "create": len(new),
        "update": len(changed),
        "unchanged": len(merged) - len(new) - len(changed),
    }
    if commit:
        insert_rows(
            ScreenerResult,
            ["student_id", "screener_id", "window_id", "score", "band_id"],
            (
                (int(r.student_id), int(r.screener_id), window.pk, r.score, int(r.band_id))
                for r in new.itertuples()
            ),
            district_id=window.district_id,
        )
        update_rows(
            ScreenerResult,
            ["score", "band_id"],
            ((int(r.id), r.score, int(r.band_id)) for r in changed.itertuples()),
        )
        analyze_after_commit(ScreenerResult)
        window.refresh_from_db()
        if window.last_recomputed_at is not None or window.closes_on < timezone.localdate():
            from screeners.services import request_recompute

            request_recompute(window)
    return counts
