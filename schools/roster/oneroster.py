"""OneRoster 1.1 and 1.2 CSV bundles -> plain tables (pure: no database).

Only manifest.csv is required: it says the version and, per file, bulk, delta or absent
(``manifest.py``). Read: orgs, academicSessions, classes, users, enrollments, and in 1.2 roles
(userProfiles is accepted and not needed); courses and demographics when present. Rows with
status 'tobedeleted' (or 1.0's 'inactive') are withdrawals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from crsys.imports.problems import InputRejected, Problem
from schools.grades import normalize_grade
from schools.roster.files import decode_text, read_zip
from schools.roster.manifest import Manifest, read_manifest
from schools.roster.oneroster_rows import (
    _active,
    _enrolments,
    _not_a_school,
    _school_years,
    _skipped_enrolments,
    _version_hint,
)
from schools.roster.roles import (
    roles_from_roles_file,
    roles_from_users,
)
from schools.roster.spec import ENTITY_FILES, SPEC, SPEC_12, SPECS
from schools.roster.tables import (
    check_columns,
    check_required_values,
    check_unique,
    read_csv_text,
    row_numbers,
)
from schools.roster.users import read_users


@dataclass
class ExistingIds:
    """Sourced ids already in the district, so a delta file may refer to them."""

    schools: set[str] = field(default_factory=set)
    school_years: set[str] = field(default_factory=set)
    classrooms: set[str] = field(default_factory=set)
    students: set[str] = field(default_factory=set)
    staff: set[str] = field(default_factory=set)
    #: stored student sourcedId -> their school's sourcedId (a 1.2 delta may omit roles)
    student_schools: dict[str, str] = field(default_factory=dict)
    #: stored student sourcedId -> the other schools they are on the roll of (``StudentSchool``)
    student_also_at: dict[str, list[str]] = field(default_factory=dict)
    #: stored class sourcedId -> its school year's sourcedId (terms are not stored)
    classroom_years: dict[str, str] = field(default_factory=dict)


@dataclass
class Bundle:
    """A bundle's files as read: frames of the files it carries, and its manifest."""

    frames: dict[str, pd.DataFrame]
    manifest: Manifest
    #: spec file name -> bulk / delta / absent (a file not in the zip is absent)
    modes: dict[str, str]
    warnings: list[str] = field(default_factory=list)


@dataclass
class RosterTables:
    schools: pd.DataFrame
    school_years: pd.DataFrame
    classrooms: pd.DataFrame
    students: pd.DataFrame
    staff: pd.DataFrame
    enrolments: pd.DataFrame
    staff_assignments: pd.DataFrame
    #: "bulk" (the file is complete: what is missing is withdrawn) or "delta", per entity
    modes: dict[str, str] = field(default_factory=dict)
    #: sourced ids marked tobedeleted, per entity
    deleted: dict[str, set[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: student flags from a spreadsheet: student_sid, flag (code), on (bool)
    flags: pd.DataFrame | None = None
    #: what the file says it is, in words ("OneRoster 1.2"); "" for a spreadsheet
    source_version: str = ""


def _split_ids(series: pd.Series) -> pd.Series:
    return series.str.split(",").map(lambda ids: [i.strip() for i in ids if i.strip()])


#: 'tobedeleted' (1.1, 1.2) and 1.0's 'inactive' both mean the record is gone.
def _grades(name: str, frame: pd.DataFrame, column: str) -> tuple[pd.Series, list[Problem]]:
    if column not in frame:
        return pd.Series([[] for _ in range(len(frame))], index=frame.index), []
    problems, values = [], []
    for row, raw in zip(row_numbers(frame, slice(None)), frame[column], strict=True):
        codes = []
        for part in str(raw).split(","):
            if not part.strip():
                continue
            code = normalize_grade(part)
            if code is None:
                problems.append(Problem(name, row, column, f"'{part.strip()}' is not a grade"))
            else:
                codes.append(code)
        values.append(codes)
    return pd.Series(values, index=frame.index, dtype=object), problems


def read_bundle(name: str, data: bytes) -> Bundle:
    """The bundle's CSVs as text-only frames, per its manifest; refuses a file the manifest
    promises and the zip lacks, and unreadable ones. Absent files are not expected."""
    raw = read_zip(name, data, allowed={f.lower() for f in SPEC_12})
    if "manifest.csv" not in raw:
        raise InputRejected([Problem("manifest.csv", None, None, "is missing from the zip "
                                      "(every OneRoster bundle has one)")])  # fmt: skip
    manifest_frame = read_csv_text("manifest.csv", decode_text("manifest.csv", raw["manifest.csv"]))
    problems, _ = check_columns("manifest.csv", manifest_frame, required=SPEC["manifest.csv"][0],
                                known=SPEC["manifest.csv"][1])  # fmt: skip
    manifest = read_manifest(manifest_frame)
    problems += manifest.problems
    spec = SPECS[manifest.version]
    frames = {"manifest.csv": manifest_frame}
    modes: dict[str, str] = {}
    warnings = list(manifest.warnings)
    for spec_name, (_, known) in spec.items():
        lower, mode = spec_name.lower(), manifest.mode(spec_name)
        if spec_name == "manifest.csv":
            continue
        if lower not in raw:
            if mode in {"bulk", "delta"}:
                problems.append(Problem(spec_name, None, None, f"is missing from the zip, but "
                                        f"manifest.csv lists it as {mode}: add the file, or mark "
                                        f"it absent (file.{spec_name[:-4]},absent)"))  # fmt: skip
            modes[spec_name] = "absent"
            continue
        if mode == "absent":
            warnings.append(f"{spec_name}: manifest.csv marks it absent, so it was not read")
            modes[spec_name] = "absent"
            continue
        modes[spec_name] = mode or "bulk"
        if not raw[lower].strip():
            warnings.append(f"{spec_name} is empty (0 bytes): read as a file with no rows")
            frames[spec_name] = pd.DataFrame({c: pd.Series(dtype=str) for c in known})
            continue
        frame = read_csv_text(spec_name, decode_text(spec_name, raw[lower]))
        frame, header_warnings = _spec_header(spec_name, frame, known)
        warnings += header_warnings
        frames[spec_name] = frame
    if manifest.version == "1.1" and "roles.csv" in raw:
        warnings.append("roles.csv is a OneRoster 1.2 file; this bundle's manifest says "
                        f"{manifest.declared or '1.1'}, so it was not read")  # fmt: skip
    if problems:
        raise InputRejected(problems)
    return Bundle(frames=frames, manifest=manifest, modes=modes, warnings=warnings)


#: OneRoster 1.0 names that 1.1 and 1.2 renamed: (file, 1.0 column) -> the later column.
RENAMED_10 = {("demographics.csv", "userSourcedId"): "sourcedId"}


def _spec_header(name: str, frame: pd.DataFrame, known: list[str]):
    """The frame with its header in the spec's spelling, and what was changed: a column that
    differs from a spec column only in letter case (``birthdate``) or has its OneRoster 1.0
    name is read as that column; columns with neither a header nor values are dropped; a
    header with no rows is read as an empty file (its columns cannot matter)."""
    warnings: list[str] = []
    # Trailing commas on the header row (a spreadsheet's empty cells) make columns with no
    # name; with no values either, they say nothing.
    unnamed = [c for c in frame.columns
               if c.startswith("Unnamed: ") and not frame[c].str.strip().any()]  # fmt: skip
    if unnamed:
        frame = frame.drop(columns=unnamed)
        warnings.append(f"{name}: ignored {len(unnamed)} columns with no header and no values")
    by_fold = {c.casefold(): c for c in known}
    renames = {}
    for column in frame.columns:
        spec = RENAMED_10.get((name, column)) or by_fold.get(column.casefold())
        if spec and spec != column and spec not in frame.columns and spec not in renames.values():
            renames[column] = spec
    if renames:
        frame = frame.rename(columns=renames)
        read_as = ", ".join(f"{a} as {b}" for a, b in renames.items())
        warnings.append(f"{name}: read column {read_as} (the OneRoster spelling)")
    if frame.empty:
        missing = [c for c in known if c not in frame.columns]
        frame = frame.assign(**{c: pd.Series(dtype=str) for c in missing})
    return frame, warnings


def _with_absent_files(bundle: Bundle) -> dict[str, pd.DataFrame]:
    """Every file of the version; one the bundle does not carry has no rows (it changes
    nothing: its mode is absent)."""
    spec = SPECS[bundle.manifest.version]
    return {
        name: bundle.frames.get(name, pd.DataFrame({c: pd.Series(dtype=str) for c in known}))
        for name, (_, known) in spec.items()
    }


def parse_bundle(
    bundle: Bundle, existing: ExistingIds | None = None, today: date | None = None
) -> RosterTables:
    """Plain tables from a read bundle; ``today`` (the district's) decides which dated 1.2
    roles are held."""
    existing = existing or ExistingIds()
    problems: list[Problem] = []
    warnings: list[str] = list(bundle.warnings)
    spec = SPECS[bundle.manifest.version]
    for file_name, frame in bundle.frames.items():
        required, known = spec[file_name]
        missing, unknown = check_columns(file_name, frame, required=required, known=known)
        problems += [_version_hint(p, bundle) for p in missing]
        if unknown:
            warnings.append(f"{file_name}: ignored unknown columns {', '.join(unknown)}")
    if problems:
        raise InputRejected(problems)
    frames = _with_absent_files(bundle)
    for file_name, frame in frames.items():
        if file_name != "manifest.csv":
            problems += check_unique(file_name, frame, "sourcedId", "sourcedId")
            problems += check_required_values(file_name, frame, ["sourcedId"])

    modes = bundle.modes
    deleted: dict[str, set[str]] = {}

    # orgs -> schools
    orgs = frames["orgs.csv"]
    org_types = dict(zip(orgs["sourcedId"], orgs["type"].str.strip().str.lower(), strict=True))
    school_rows = orgs[orgs["type"].str.strip().str.lower() == "school"]
    problems += check_required_values("orgs.csv", school_rows, ["name"])
    codes = school_rows.get("identifier", pd.Series("", index=school_rows.index)).str.strip()
    codes = codes.where(codes != "", school_rows["sourcedId"])
    schools = pd.DataFrame(
        {
            "sourced_id": school_rows["sourcedId"],
            "name": school_rows["name"].str.strip(),
            "code": codes,
            "grades": [[] for _ in range(len(school_rows))],
            "active": _active(school_rows),
        }
    )
    school_dupes = check_unique("orgs.csv", school_rows.assign(identifier=codes), "identifier",
                                "school code")  # fmt: skip
    problems += school_dupes
    known_schools = set(schools["sourced_id"]) | existing.schools
    deleted["schools"] = set(schools.loc[~schools["active"], "sourced_id"])

    years, session_year, year_problems = _school_years(frames["academicSessions.csv"])
    problems += year_problems
    known_years = set(years["sourced_id"]) | existing.school_years
    deleted["school_years"] = set(years.loc[~years["active"], "sourced_id"])

    # classes -> classrooms
    classes = frames["classes.csv"]
    problems += check_required_values("classes.csv", classes, ["title", "schoolSourcedId"])
    class_grades, grade_problems = _grades("classes.csv", classes, "grades")
    problems += grade_problems
    school_sid = classes["schoolSourcedId"].str.strip()
    unknown_school = ~school_sid.isin(known_schools) & (school_sid != "")
    problems += [
        Problem("classes.csv", row, "schoolSourcedId", _not_a_school(sid, org_types))
        for row, sid in zip(
            row_numbers(classes, unknown_school), school_sid[unknown_school], strict=True
        )
    ]
    terms = _split_ids(classes["termSourcedIds"])
    year_sid = terms.map(
        lambda ids: next((session_year[t] for t in ids if t in session_year), None)
    )
    existing_term = terms.map(
        lambda ids: next((t for t in ids if t in existing.school_years), None)
    )
    year_sid = year_sid.where(year_sid.notna(), existing_term)
    # A delta classes.csv names terms, which crsys does not store: a class it already has
    # keeps its school year; one marked tobedeleted needs none.
    stored_year = classes["sourcedId"].map(existing.classroom_years)
    year_sid = year_sid.where(year_sid.notna(), stored_year)
    no_year = year_sid.isna() & _active(classes)
    problems += [
        Problem(
            "classes.csv",
            row,
            "termSourcedIds",
            f"'{raw}' names no term or school year in academicSessions.csv",
        )
        for row, raw in zip(
            row_numbers(classes, no_year), classes["termSourcedIds"][no_year], strict=True
        )
    ]
    classrooms = pd.DataFrame(
        {
            "sourced_id": classes["sourcedId"],
            "name": classes["title"].str.strip(),
            "grades": class_grades,
            "school_sid": school_sid,
            "year_sid": year_sid,
            "active": _active(classes),
        }
    )
    known_classes = set(classrooms["sourced_id"]) | existing.classrooms
    deleted["classrooms"] = set(classrooms.loc[~classrooms["active"], "sourced_id"])

    users = frames["users.csv"]
    hybrid = {"role", "orgSourcedIds"} <= set(users.columns) and "roles.csv" not in bundle.frames
    if bundle.manifest.version == "1.2" and hybrid:
        # Some 1.2 exports keep 1.1's role columns and send no roles.csv: read those.
        warnings.append("users.csv: no roles.csv in this 1.2 bundle; roles were read from "
                        "users.csv's role and orgSourcedIds columns")  # fmt: skip
        roles = roles_from_users(users)
    elif bundle.manifest.version == "1.2":
        roles, role_problems, role_warnings = roles_from_roles_file(
            users,
            frames["roles.csv"],
            stored_students=existing.student_schools,
            stored_also_at=existing.student_also_at,
            today=today,
        )
        problems += role_problems
        warnings += role_warnings
    else:
        roles = roles_from_users(users)
    user_grades, grade_problems = _grades("users.csv", users, "grades")
    problems += grade_problems
    students, staff, user_problems, user_warnings = read_users(
        users, roles, demographics=frames.get("demographics.csv"), known_schools=known_schools,
        org_types=org_types, active=_active(users), grades=user_grades,
    )  # fmt: skip
    problems += user_problems
    warnings += user_warnings
    deleted["students"] = set(students.loc[~students["active"], "sourced_id"])
    deleted["staff"] = set(staff.loc[~staff["active"], "sourced_id"])

    roles_file = "roles.csv" if bundle.manifest.version == "1.2" and not hybrid else "users.csv"
    enrolments, teaching, enrol_problems = _enrolments(
        frames["enrollments.csv"],
        known_classes=known_classes,
        known_students=set(students["sourced_id"]) | existing.students,
        known_staff=set(staff["sourced_id"]) | existing.staff,
        user_roles=dict(zip(users["sourcedId"].str.strip(),
                            roles.map(lambda t: sorted({r for r, _, _ in t if r})), strict=True)),
        roles_file=roles_file,
    )  # fmt: skip
    problems += enrol_problems
    warnings += _skipped_enrolments(frames["enrollments.csv"])
    deleted["enrolments"] = set(enrolments.loc[~enrolments["active"], "sourced_id"])
    deleted["staff_assignments"] = set(teaching.loc[~teaching["active"], "sourced_id"])

    bad_years = ~classrooms["year_sid"].isna() & ~classrooms["year_sid"].isin(known_years)
    problems += [
        Problem("classes.csv", row, "termSourcedIds", f"school year '{y}' is unknown")
        for row, y in zip(
            row_numbers(classes, bad_years), classrooms["year_sid"][bad_years], strict=True
        )
    ]
    if problems:
        raise InputRejected(problems)
    return RosterTables(
        schools=schools,
        school_years=years,
        classrooms=classrooms,
        students=students,
        staff=staff,
        enrolments=enrolments,
        staff_assignments=teaching,
        modes={entity: modes.get(file, "bulk") for entity, file in ENTITY_FILES.items()},
        deleted=deleted,
        warnings=warnings,
        source_version=bundle.manifest.label,
    )
