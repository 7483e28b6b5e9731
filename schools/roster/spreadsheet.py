"""A plain students file (CSV or XLSX) with a column mapping -> roster tables (pure)."""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd

from crsys.imports.problems import InputRejected, Problem
from crsys.imports.uploads import check_upload_size
from schools.grades import normalize_grade
from schools.roster.files import check_expansion, decode_text
from schools.roster.oneroster import RosterTables
from schools.roster.tables import (
    check_required_values,
    check_unique,
    parse_dates,
    read_csv_text,
    row_numbers,
)

TARGETS = {
    "student_number": ("Student number", True),
    "given_name": ("Given name", True),
    "family_name": ("Family name", True),
    "preferred_name": ("Preferred name", False),
    "grade": ("Grade", True),
    "school_code": ("School (code or name)", True),
    "birth_date": ("Birth date", False),
}
_GUESSES = {
    "student_number": ["studentnumber", "studentno", "studentid", "number", "id", "identifier"],
    "given_name": ["givenname", "firstname", "first", "given"],
    "family_name": ["familyname", "lastname", "surname", "last", "family"],
    "preferred_name": ["preferredname", "preferredfirstname", "preferred", "nickname"],
    "grade": ["grade", "gradelevel", "grades"],
    "school_code": ["schoolcode", "school", "schoolid", "schoolnumber", "schoolname"],
    "birth_date": ["birthdate", "dateofbirth", "dob", "birthday"],
}
TRUE_VALUES = {"y", "yes", "1", "true", "x", "t"}


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def is_xlsx(data: bytes) -> bool:
    return data[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(data))


def sheet_names(name: str, data: bytes) -> list[str]:
    if not is_xlsx(data):
        return []
    check_expansion(name, zipfile.ZipFile(io.BytesIO(data)))
    try:
        return list(pd.ExcelFile(io.BytesIO(data), engine="openpyxl").sheet_names)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        problem = Problem(name, None, None, f"is not a readable XLSX: {error}")
        raise InputRejected([problem]) from None


def read_table(name: str, data: bytes, *, sheet: str | None = None) -> pd.DataFrame:
    """A CSV (UTF-8) or one sheet of an XLSX, every cell as text."""
    check_upload_size(name, len(data))
    if not is_xlsx(data):
        return read_csv_text(name, decode_text(name, data))
    sheets = sheet_names(name, data)
    if sheet is None:
        if len(sheets) > 1:
            raise InputRejected(
                [
                    Problem(
                        name,
                        None,
                        None,
                        f"the workbook has {len(sheets)} sheets ({', '.join(sheets)}); "
                        "choose the one with the students",
                    )
                ]  # fmt: skip
            )
        sheet = sheets[0]
    if sheet not in sheets:
        raise InputRejected([Problem(name, None, None, f"there is no sheet named '{sheet}'")])
    frame = pd.read_excel(
        io.BytesIO(data), sheet_name=sheet, dtype=str, keep_default_na=False, engine="openpyxl"
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.map(lambda v: "" if v is None else str(v).strip())


def guess_mapping(headers: list[str], flag_codes: list[str]) -> dict[str, str]:
    """target -> header, for the headers that plainly name a target."""
    by_key = {_key(h): h for h in headers}
    mapping = {}
    for target, keys in _GUESSES.items():
        for key in keys:
            if key in by_key:
                mapping[target] = by_key[key]
                break
    for code in flag_codes:
        if _key(code) in by_key:
            mapping[f"flag:{code}"] = by_key[_key(code)]
    return mapping


def parse_students(
    name: str,
    frame: pd.DataFrame,
    mapping: dict[str, str],
    *,
    school_codes: dict[str, str],
    number_to_sourced_id: dict[str, str],
    full_sync: bool,
    date_order: str = "iso",
) -> RosterTables:
    """``school_codes``: a school's code or name, case-folded -> its sourced id (or a
    stand-in); the mapping names, for each target, the file's column; ``date_order`` is the
    admin's choice of how the file writes dates. Students are matched to stored ones by
    student number."""
    problems: list[Problem] = []
    for target, (label, required) in TARGETS.items():
        if required and not mapping.get(target):
            problems.append(Problem(name, None, None, f"map a column to '{label}'"))
    missing = [h for h in mapping.values() if h and h not in frame.columns]
    problems += [Problem(name, 1, h, "the mapped column is not in the file") for h in missing]
    if problems:
        raise InputRejected(problems)
    column = {t: frame[h].astype(str).str.strip() for t, h in mapping.items() if h}
    renamed = pd.DataFrame(column)
    header_of = {t: h for t, h in mapping.items() if h}
    shown = renamed.rename(columns=header_of)
    required_headers = [header_of[t] for t, (_, req) in TARGETS.items() if req]
    problems += check_required_values(name, shown, required_headers)
    problems += check_unique(name, shown, header_of["student_number"], "student number")
    grades = renamed["grade"].map(lambda g: normalize_grade(g) if g else "")
    bad_grade = grades.isna()
    problems += [
        Problem(name, row, header_of["grade"], f"'{value}' is not a grade")
        for row, value in zip(
            row_numbers(renamed, bad_grade), renamed["grade"][bad_grade], strict=True
        )  # fmt: skip
    ]
    school_sid = renamed["school_code"].str.casefold().map(school_codes)
    bad_school = school_sid.isna() & (renamed["school_code"] != "")
    problems += [
        Problem(name, row, header_of["school_code"], f"no school has the code or name '{value}'")
        for row, value in zip(
            row_numbers(renamed, bad_school), renamed["school_code"][bad_school], strict=True
        )  # fmt: skip
    ]
    if "birth_date" in renamed:
        births, date_problems = parse_dates(name, shown, header_of["birth_date"],
                                            order=date_order)  # fmt: skip
        problems += date_problems
    else:
        births = pd.Series([None] * len(renamed), index=renamed.index, dtype=object)
    if problems:
        raise InputRejected(problems)
    numbers = renamed["student_number"]
    sourced = numbers.map(lambda n: number_to_sourced_id.get(n, f"student:{n}"))
    students = pd.DataFrame(
        {
            "sourced_id": sourced,
            "student_number": numbers,
            "given_name": renamed["given_name"],
            "family_name": renamed["family_name"],
            "preferred_name": renamed.get("preferred_name", pd.Series("", index=renamed.index)),
            "grade": grades,
            "school_sid": school_sid,
            "birth_date": births,
            "active": True,
        }
    )
    flag_rows = []
    for target in header_of:
        if target.startswith("flag:"):
            code = target.removeprefix("flag:")
            on = renamed[target].str.lower().isin(TRUE_VALUES)
            flag_rows += [{"student_sid": sid, "flag": code, "on": bool(v)}
                          for sid, v in zip(sourced, on, strict=True)]  # fmt: skip

    def empty(*columns: str) -> pd.DataFrame:
        names = ("sourced_id", *columns, "active")
        return pd.DataFrame({c: pd.Series(dtype=object) for c in names})

    return RosterTables(
        schools=empty("name", "code", "grades"),
        school_years=empty("name", "start_date", "end_date"),
        classrooms=empty("name", "grades", "school_sid", "year_sid"),
        students=students,
        staff=empty("email", "full_name", "role", "school_sids"),
        enrolments=empty("student_sid", "class_sid", "start_date", "end_date"),
        staff_assignments=empty("user_sid", "class_sid", "role"),
        modes={
            entity: "delta"
            for entity in (
                "schools",
                "school_years",
                "classrooms",
                "staff",
                "enrolments",
                "staff_assignments",
            )
        }
        | {"students": "bulk" if full_sync else "delta"},  # fmt: skip
        flags=pd.DataFrame(flag_rows, columns=["student_sid", "flag", "on"]),
    )
