"""A results file for one window -> checked rows -> a set-based upsert.

Two layouts, told apart by the header row:
- long: student number, screener (its name), score: one row per result;
- wide, as screening platforms export: one row per student, one column per measure, each
  column named after one of the window's screeners ("Reading" or "Reading score" for the
  screener Reading); other columns (names, grade) are ignored and listed.
The student column may be headed Student Number, Student ID, StudentID, Local ID… A blank
score means "not screened": nothing is entered, and the file is not refused for it. Every
cell is read as text; each problem names its row and column, and nothing is written unless
every row is good.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pandas as pd

from crsys.bulk import analyze_after_commit, insert_rows, update_rows
from crsys.imports.problems import InputRejected, Problem
from districts.permissions import Actor
from schools.models import Student
from schools.roster.spreadsheet import read_table
from schools.roster.tables import check_required_values, row_numbers
from screeners.entries import Entry, check_entries
from screeners.models import ScreenerResult, ScreeningWindow

COLUMNS = {
    "student_number": [
        "studentnumber",
        "studentno",
        "studentid",
        "localid",
        "localstudentid",
        "sisid",
        "student",
        "number",
        "identifier",
    ],  # fmt: skip
    "screener": ["screener", "screenername", "assessment", "test"],
    "score": ["score", "result", "level", "value"],
}
LONG = ("screener", "score")  # with these two columns a file is long; without, wide
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
    # Neither a screener nor a score column: wide. One of them alone is a long file missing
    # the other, and is told so.
    wide = not any(k in by_key for target in LONG for k in COLUMNS[target])
    for target, keys in COLUMNS.items():
        if wide and target in LONG:
            continue
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
        raise InputRejected(problems)
    return frame, found


def _wide_columns(name: str, frame: pd.DataFrame, student_column: str, window, column_map):
    """({measure column: screener}, problems, ignored columns) of a wide file. A column is a
    screener's when its header is the screener's name or holds it (``Reading Score``,
    ``Reading Percentile``). Of a screener's columns the score is the one
    named exactly, else the one with "score" in its name; a header that could be two
    screeners, or a screener with no clear score column, is refused by name, and offered to
    the mapping step, whose answers (``column_map``) come before any guess."""
    screeners = [s for s in window.screeners.all() if not s.is_archived]
    problems, ignored = [], []
    columns_of: dict[int, list[str]] = {}
    mapped = {}
    for column, screener_pk in (column_map or {}).items():
        screener = next((s for s in screeners if s.pk == screener_pk), None)
        if column in frame.columns and screener is not None and screener.pk not in mapped:
            mapped[screener.pk] = column
    for column in frame.columns:
        if column == student_column:
            continue
        if column in (column_map or {}):
            if column not in mapped.values():
                ignored.append(str(column))
            continue
        key = _key(column)
        exact = [s for s in screeners if _key(s.name) == key]
        # Only a header holding a screener's name ("Reading Score"): a short header held in
        # a name ("Grade" in "Grade 3 Reading") would put a grade in as a score. Of nested
        # names the longest wins ("Reading Fluency Score" is Reading Fluency's, not Reading's).
        holds = [s for s in screeners if len(_key(s.name)) >= 3 and _key(s.name) in key]
        near = [s for s in holds if not any(_key(s.name) in _key(o.name) and o != s for o in holds)]
        found = exact or near
        if not found:
            ignored.append(str(column))
        elif len(found) > 1:
            choices = " or ".join(sorted(s.name for s in found))
            problems.append(
                Problem(name, 1, column, f"could be {choices}: rename the column to one of them")
            )
        else:
            columns_of.setdefault(found[0].pk, []).append(column)
    measures = {column: s for s in screeners for pk, column in mapped.items() if pk == s.pk}
    for screener in screeners:
        if screener.pk in mapped:
            ignored += [str(c) for c in columns_of.get(screener.pk, [])]
            continue
        candidates = columns_of.get(screener.pk, [])
        chosen = [c for c in candidates if _key(c) == _key(screener.name)] or [
            c for c in candidates if "score" in _key(c)
        ]
        if len(candidates) == 1:
            chosen = candidates
        if len(chosen) == 1:
            measures[chosen[0]] = screener
            ignored += [str(c) for c in candidates if c != chosen[0]]
        elif candidates:
            listed = ", ".join(f"'{c}'" for c in candidates)
            problems.append(
                Problem(
                    name,
                    1,
                    None,
                    f"{screener.name} has several columns ({listed}) and none is clearly its "
                    f"score: name the score column '{screener.name}'",
                )
            )
    if not measures and not problems:
        names = ", ".join(s.name for s in screeners) or "none"
        problems.append(
            Problem(
                name,
                1,
                None,
                "no column is a screener of the window, and there are no screener and score "
                f"columns; name each score column after its screener ({names})",
            )
        )
    return measures, problems, ignored


def _cells(name, frame, h, window, column_map):
    """(row, student number, screener name, raw score, score column) per result cell, the
    problems of the layout, the ignored columns."""
    numbers = frame[h["student_number"]].str.strip()
    if "screener" in h:
        problems = check_required_values(name, frame, [h["student_number"], h["screener"]])
        cells = zip(
            row_numbers(frame, slice(None)),
            numbers,
            frame[h["screener"]].str.strip(),
            frame[h["score"]],
            [h["score"]] * len(frame),
            strict=True,
        )
        return list(cells), problems, []
    measures, problems, ignored = _wide_columns(
        name, frame, h["student_number"], window, column_map
    )
    problems += check_required_values(name, frame, [h["student_number"]])
    cells = [
        (row, number, screener.name, raw, column)
        for column, screener in measures.items()
        for row, number, raw in zip(
            row_numbers(frame, slice(None)), numbers, frame[column], strict=True
        )
    ]
    return cells, problems, ignored


def check_results(
    name: str,
    frame: pd.DataFrame,
    columns: dict[str, str],
    *,
    window: ScreeningWindow,
    actor: Actor,
    today,
    column_map: dict | None = None,
) -> Checked:
    """Every problem with the file, or the rows to write (with their bands). The file's own
    problems (unknown numbers and screeners, repeated rows) are found here; whether each
    result may be entered is judged by the rules every path shares (screeners/entries.py)."""
    h = columns
    cells, problems, ignored = _cells(name, frame, h, window, column_map)
    students = {
        s.student_number: s
        for s in Student.objects.all()
        .filter(student_number__in={c[1] for c in cells})
        .only(*STUDENT_FIELDS)
    }
    screeners = {s.name.strip().lower(): s for s in window.screeners.all()}
    rows, entries = [], []
    first_seen: dict[tuple, int] = {}
    not_screened = 0
    for row, number, screener_name, raw, score_column in cells:
        if not number or not screener_name:
            continue  # reported as empty above
        if not str(raw).strip():
            not_screened += 1
            continue
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
        rows.append((row, score_column))
        entries.append(Entry(student=student, screener=screener, raw=str(raw)))
    out, late = [], False
    for (row, score_column), check in zip(
        rows, check_entries(actor=actor, window=window, entries=entries, today=today), strict=True
    ):
        if check.error:
            column_of = {
                "student": h["student_number"],
                "screener": h.get("screener", score_column),
                "score": score_column,
            }
            problems.append(Problem(name, row, column_of.get(check.field), check.error))
            continue
        late = late or check.warning is not None
        student = check.entry.student
        out.append(
            (student.pk, check.entry.screener.pk, check.score, check.band.pk)
            + (student.grade, student.school_id)
        )
    if problems:
        raise InputRejected(problems)
    warnings = []
    if late:
        warnings.append(
            f"the {window} window is not open ({window.span_text});"
            " results are entered by a district admin"
        )
    if not_screened:
        warnings.append(
            f"{not_screened} blank score{'s' if not_screened != 1 else ''}: not screened, "
            "nothing entered for them"
        )
    if ignored:
        warnings.append("columns ignored (not a screener of the window): " + ", ".join(ignored))
    columns = ["student_id", "screener_id", "score", "band_id", "grade", "school_id"]
    return Checked(pd.DataFrame(out, columns=columns), warnings)


def apply_results(
    *,
    window: ScreeningWindow,
    checked: Checked,
    commit: bool,
    today: datetime.date,
    entered_by_id: int | None = None,
) -> dict[str, int]:
    """Counts of new, changed and unchanged results; writes them when ``commit``. Like the
    grid, each result keeps the grade and school the student was screened in (ADR 4), and
    names who entered it (the uploader; nobody for the command line)."""
    stored = pd.DataFrame.from_records(
        list(
            ScreenerResult.objects.all()
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
        if window.last_recomputed_at is not None or window.closes_on < today:
            from screeners.services import request_recompute

            request_recompute(window)
    return counts
