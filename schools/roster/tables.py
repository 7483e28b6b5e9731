"""Reading one CSV/XLSX table into text columns, and vectorised checks that name rows."""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd

from crsys.imports.problems import InputRejected, Problem

HEADER_ROWS = 1  # a person counts the header as row 1, so data row i is row i + 2


def read_csv_text(name: str, text: str) -> pd.DataFrame:
    """Every cell as text, nothing guessed: '007' stays '007', '=SUM()' stays text."""
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, engine="c"
        )
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except pd.errors.ParserError as error:
        problem = Problem(name, None, None, f"is not a readable CSV: {error}")
        raise InputRejected([problem]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def row_numbers(frame: pd.DataFrame, mask) -> Iterable[int]:
    return (frame.index[mask] + HEADER_ROWS + 1).tolist()


def check_columns(
    name: str, frame: pd.DataFrame, *, required: list[str], known: list[str]
) -> tuple[list[Problem], list[str]]:
    """(problems for missing required columns, unknown columns that will be ignored)."""
    present = list(frame.columns)
    missing = [c for c in required if c not in present]
    problems = [
        Problem(name, 1, column, "required column is missing (check the header row)")
        for column in missing
    ]
    unknown = [c for c in present if c not in known]
    return problems, unknown


def check_required_values(name: str, frame: pd.DataFrame, columns: list[str]) -> list[Problem]:
    problems = []
    for column in columns:
        if column not in frame:
            continue
        blank = frame[column].str.strip() == ""
        problems += [
            Problem(name, row, column, "is empty; a value is required")
            for row in row_numbers(frame, blank)
        ]
    return problems


def check_unique(name: str, frame: pd.DataFrame, column: str, what: str) -> list[Problem]:
    if column not in frame:
        return []
    values = frame[column]
    dupes = values.duplicated(keep=False) & (values != "")
    problems = []
    if dupes.any():
        first_rows: dict[str, int] = {}
        for value, row in zip(values[dupes], row_numbers(frame, dupes), strict=True):
            if value in first_rows:
                problems.append(
                    Problem(
                        name,
                        row,
                        column,
                        f"{what} '{value}' appears again (first on row {first_rows[value]})",
                    )
                )
            else:
                first_rows[value] = row
    return problems


#: Date orders an admin may choose for a spreadsheet (OneRoster is always ISO).
DATE_FORMATS = {
    "iso": ("%Y-%m-%d", "YYYY-MM-DD"),
    "us": ("%m/%d/%Y", "MM/DD/YYYY"),
    "day_first": ("%d/%m/%Y", "DD/MM/YYYY"),
}


def parse_dates(
    name: str, frame: pd.DataFrame, column: str, *, required: bool = False, order: str = "iso"
) -> tuple[pd.Series, list[Problem]]:
    """Dates in the chosen order (ISO unless the admin said otherwise); a malformed one is a
    problem naming the row and the format expected."""
    if column not in frame:
        return pd.Series([pd.NaT] * len(frame), index=frame.index), []
    raw = frame[column].str.strip()
    fmt, words = DATE_FORMATS[order]
    if order == "iso":
        # Tolerate a time part (some SIS write 2026-09-01T00:00:00Z) but nothing else.
        dates = pd.to_datetime(raw.str.slice(0, 10), format=fmt, errors="coerce")
    else:
        # Spreadsheets write 9/1/2026 as often as 09/01/2026; a time part is cut off.
        dates = pd.to_datetime(raw.str.split(" ").str[0], format=fmt, errors="coerce")
    bad = dates.isna() & (raw != "")
    problems = [
        Problem(name, row, column, f"'{value}' is not a date as {words}")
        for row, value in zip(row_numbers(frame, bad), raw[bad], strict=True)
    ]
    if required:
        problems += [
            Problem(name, row, column, "is empty; a date is required")
            for row in row_numbers(frame, raw == "")
        ]
    values = [d.date() if not pd.isna(d) else None for d in dates]
    return pd.Series(values, index=frame.index, dtype=object), problems
