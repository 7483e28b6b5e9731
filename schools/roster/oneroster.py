"""OneRoster 1.1 CSV bundles -> plain tables (pure: no database).

The files: manifest, orgs, academicSessions, classes, users, enrollments (required);
courses, demographics (read when present). Rows with status 'tobedeleted' are withdrawals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from schools.grades import normalize_grade
from schools.roster.files import decode_text, read_zip
from schools.roster.problems import Problem, RosterRejected
from schools.roster.staff_emails import staff_emails
from schools.roster.tables import (
    HEADER_ROWS,
    check_columns,
    check_required_values,
    check_unique,
    parse_dates,
    read_csv_text,
    row_numbers,
)

SPEC = {
    "manifest.csv": (["propertyName", "value"], ["propertyName", "value"]),
    "orgs.csv": (
        ["sourcedId", "name", "type"],
        ["sourcedId", "status", "dateLastModified", "name", "type", "identifier",
         "parentSourcedId"],
    ),
    "academicSessions.csv": (
        ["sourcedId", "title", "type", "startDate", "endDate", "schoolYear"],
        ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
         "parentSourcedId", "schoolYear"],
    ),
    "classes.csv": (
        ["sourcedId", "title", "schoolSourcedId", "termSourcedIds"],
        ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
         "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects",
         "subjectCodes", "periods"],
    ),
    "users.csv": (
        ["sourcedId", "role", "givenName", "familyName", "orgSourcedIds"],
        ["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role",
         "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email",
         "sms", "phone", "agentSourcedIds", "grades", "password", "preferredFirstName",
         "preferredMiddleName", "preferredLastName"],
    ),
    "enrollments.csv": (
        ["sourcedId", "classSourcedId", "userSourcedId", "role"],
        ["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
         "userSourcedId", "role", "primary", "beginDate", "endDate"],
    ),
    "courses.csv": (
        ["sourcedId", "title"],
        ["sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode",
         "grades", "orgSourcedId", "subjects", "subjectCodes"],
    ),
    "demographics.csv": (
        ["sourcedId"],
        ["sourcedId", "status", "dateLastModified", "birthDate", "sex",
         "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
         "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
         "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation",
         "cityOfBirth", "publicSchoolResidenceStatus"],
    ),
}  # fmt: skip
REQUIRED_FILES = [
    "manifest.csv",
    "orgs.csv",
    "academicSessions.csv",
    "classes.csv",
    "users.csv",
    "enrollments.csv",
]
STAFF_ROLES = {"teacher": "teacher", "administrator": "principal", "aide": "support_staff"}
TEACHING_ROLES = {"teacher": "teacher", "aide": "aide", "administrator": "principal"}
ENTITY_FILES = {
    "schools": "orgs.csv",
    "school_years": "academicSessions.csv",
    "classrooms": "classes.csv",
    "students": "users.csv",
    "staff": "users.csv",
    "enrolments": "enrollments.csv",
    "staff_assignments": "enrollments.csv",
}


@dataclass
class ExistingIds:
    """Sourced ids already in the district, so a delta file may refer to them."""

    schools: set[str] = field(default_factory=set)
    school_years: set[str] = field(default_factory=set)
    classrooms: set[str] = field(default_factory=set)
    students: set[str] = field(default_factory=set)
    staff: set[str] = field(default_factory=set)


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


def _split_ids(series: pd.Series) -> pd.Series:
    return series.str.split(",").map(lambda ids: [i.strip() for i in ids if i.strip()])


def _active(frame: pd.DataFrame) -> pd.Series:
    if "status" not in frame:
        return pd.Series(True, index=frame.index)
    return frame["status"].str.strip().str.lower() != "tobedeleted"


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


def read_bundle(name: str, data: bytes) -> dict[str, pd.DataFrame]:
    """The bundle's CSVs as text-only frames; refuses missing files and unreadable ones."""
    allowed = {f.lower() for f in SPEC}
    raw = read_zip(name, data, allowed=allowed)
    by_spec_name = {f.lower(): f for f in SPEC}
    problems = [
        Problem(f, None, None, "is missing from the zip (a OneRoster bundle needs it)")
        for f in REQUIRED_FILES
        if f.lower() not in raw
    ]
    if problems:
        raise RosterRejected(problems)
    frames = {}
    for lower, content in raw.items():
        spec_name = by_spec_name[lower]
        frames[spec_name] = read_csv_text(spec_name, decode_text(spec_name, content))
    return frames


def parse_bundle(
    frames: dict[str, pd.DataFrame], existing: ExistingIds | None = None
) -> RosterTables:
    existing = existing or ExistingIds()
    problems: list[Problem] = []
    warnings: list[str] = []
    for file_name, frame in frames.items():
        required, known = SPEC[file_name]
        missing, unknown = check_columns(file_name, frame, required=required, known=known)
        problems += missing
        if unknown:
            warnings.append(f"{file_name}: ignored unknown columns {', '.join(unknown)}")
    if problems:
        raise RosterRejected(problems)
    for file_name, frame in frames.items():
        if file_name != "manifest.csv":
            problems += check_unique(file_name, frame, "sourcedId", "sourcedId")
            problems += check_required_values(file_name, frame, ["sourcedId"])

    modes = _modes(frames["manifest.csv"])
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
        Problem("classes.csv", row, "schoolSourcedId", f"school '{sid}' is not in orgs.csv")
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
    no_year = year_sid.isna()
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
    demographics = frames.get("demographics.csv")
    students, staff, user_problems, user_warnings = _users(
        users, demographics, known_schools, org_types
    )
    problems += user_problems
    warnings += user_warnings
    deleted["students"] = set(students.loc[~students["active"], "sourced_id"])
    deleted["staff"] = set(staff.loc[~staff["active"], "sourced_id"])

    enrolments, teaching, enrol_problems = _enrolments(
        frames["enrollments.csv"],
        known_classes=known_classes,
        known_students=set(students["sourced_id"]) | existing.students,
        known_staff=set(staff["sourced_id"]) | existing.staff,
    )
    problems += enrol_problems
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
        raise RosterRejected(problems)
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
    )


def _modes(manifest: pd.DataFrame) -> dict[str, str]:
    modes = {}
    for prop, value in zip(manifest["propertyName"], manifest["value"], strict=True):
        prop = prop.strip()
        if prop.startswith("file."):
            file_name = prop.removeprefix("file.") + ".csv"
            for spec_name in SPEC:
                if spec_name.lower() == file_name.lower():
                    modes[spec_name] = value.strip().lower() or "bulk"
    return modes


def _school_years(sessions: pd.DataFrame):
    """School years, and for every session (term, semester…) the school year it falls in."""
    name = "academicSessions.csv"
    problems = check_required_values(name, sessions, ["title", "type", "schoolYear"])
    starts, start_problems = parse_dates(name, sessions, "startDate", required=True)
    ends, end_problems = parse_dates(name, sessions, "endDate", required=True)
    problems += start_problems + end_problems
    frame = sessions.assign(start_parsed=starts, end_parsed=ends, is_live=_active(sessions))
    is_year = frame["type"].str.strip().str.lower() == "schoolyear"
    years = frame[is_year]
    years_by_id = set(years["sourcedId"])
    session_year: dict[str, str] = {sid: sid for sid in years_by_id}
    by_number = {num.strip(): sid for sid, num in zip(years["sourcedId"], years["schoolYear"],
                                                     strict=True)}  # fmt: skip
    year_rows = [
        {
            "sourced_id": r.sourcedId,
            "name": r.title.strip(),
            "start_date": r.start_parsed,
            "end_date": r.end_parsed,
            "active": r.is_live,
        }
        for r in years.itertuples()
    ]
    # Terms whose year has no schoolYear row: a year is made from the schoolYear column.
    for number, group in frame[~is_year].groupby(frame["schoolYear"].str.strip()):
        if number in by_number or not number:
            continue
        sid = f"schoolYear-{number}"
        by_number[number] = sid
        year_rows.append(
            {
                "sourced_id": sid,
                "name": f"{int(number) - 1}–{number}" if number.isdigit() else number,
                "start_date": group["start_parsed"].dropna().min(),
                "end_date": group["end_parsed"].dropna().max(),
                "active": True,
            }
        )
    for r in frame[~is_year].itertuples():
        parent = str(getattr(r, "parentSourcedId", "") or "").strip()
        session_year[r.sourcedId] = (
            parent if parent in years_by_id else by_number.get(str(r.schoolYear).strip())
        )
    for r in year_rows:
        if r["start_date"] and r["end_date"] and r["end_date"] <= r["start_date"]:
            row = sessions.index[sessions["sourcedId"] == r["sourced_id"]]
            problems.append(
                Problem(
                    name,
                    int(row[0]) + 2 if len(row) else None,
                    "endDate",
                    "the school year ends before it starts",
                )
            )
    columns = ["sourced_id", "name", "start_date", "end_date", "active"]
    return pd.DataFrame(year_rows, columns=columns), session_year, problems


def _users(users, demographics, known_schools, org_types):
    name = "users.csv"
    problems: list[Problem] = []
    warnings: list[str] = []
    role = users["role"].str.strip().str.lower()
    orgs = _split_ids(users["orgSourcedIds"])
    first_school = orgs.map(lambda ids: next((i for i in ids if i in known_schools), None))
    active = _active(users)

    is_student = role == "student"
    students_in = users[is_student]
    problems += check_required_values(name, students_in, ["givenName", "familyName"])
    if "identifier" not in users:
        problems.append(Problem(name, 1, "identifier", "required column for student numbers"))
        numbers = pd.Series("", index=users.index)
    else:
        numbers = users["identifier"].str.strip()
    blank_number = is_student & (numbers == "")
    problems += [
        Problem(name, row, "identifier", "a student needs a student number (identifier)")
        for row in row_numbers(users, blank_number)
    ]
    problems += check_unique(
        name, users[is_student].assign(identifier=numbers[is_student]), "identifier",
        "student number",
    )  # fmt: skip
    no_school = is_student & first_school.isna() & active
    problems += [
        Problem(name, row, "orgSourcedIds", f"'{raw}' names no school in orgs.csv")
        for row, raw in zip(
            row_numbers(users, no_school), users["orgSourcedIds"][no_school], strict=True
        )  # fmt: skip
    ]
    grades, grade_problems = _grades(name, users, "grades")
    problems += grade_problems
    first_grade = grades.map(lambda g: g[0] if g else "UG")
    preferred = users.get("preferredFirstName", pd.Series("", index=users.index)).str.strip()
    birth = pd.Series([None] * len(users), index=users.index, dtype=object)
    if demographics is not None and "birthDate" in demographics:
        dates, date_problems = parse_dates("demographics.csv", demographics, "birthDate")
        problems += date_problems
        by_id = dict(zip(demographics["sourcedId"], dates, strict=True))
        birth = users["sourcedId"].map(by_id).astype(object)
        birth = birth.where(birth.notna(), None)
    students = pd.DataFrame(
        {
            "sourced_id": users["sourcedId"],
            "student_number": numbers,
            "given_name": users["givenName"].str.strip(),
            "family_name": users["familyName"].str.strip(),
            "preferred_name": preferred,
            "grade": first_grade,
            "school_sid": first_school,
            "birth_date": birth,
            "active": active,
        }
    )[is_student]

    is_staff = role.isin(STAFF_ROLES)
    emails, email_problems, email_warnings = staff_emails(
        name, users, is_staff=is_staff, active=active
    )
    problems += email_problems
    warnings += email_warnings
    staff = pd.DataFrame(
        {
            "sourced_id": users["sourcedId"],
            "email": emails,
            "full_name": (
                users["givenName"].str.strip() + " " + users["familyName"].str.strip()
            ).str.strip(),
            "role": role.map(STAFF_ROLES),
            "school_sids": orgs.map(lambda ids: [i for i in ids if i in known_schools]),
            "active": active,
            "row": users.index + HEADER_ROWS + 1,
        }
    )[is_staff]
    ignored = role[~is_student & ~is_staff]
    if len(ignored):
        counts = ignored.value_counts().to_dict()
        warnings.append(
            "users.csv: ignored "
            + ", ".join(f"{n} with role '{r}'" for r, n in sorted(counts.items()))
        )
    return students, staff, problems, warnings


def _enrolments(enrollments, *, known_classes, known_students, known_staff):
    name = "enrollments.csv"
    problems: list[Problem] = []
    role = enrollments["role"].str.strip().str.lower()
    class_sid = enrollments["classSourcedId"].str.strip()
    user_sid = enrollments["userSourcedId"].str.strip()
    unknown_class = ~class_sid.isin(known_classes)
    problems += [
        Problem(name, row, "classSourcedId", f"class '{sid}' is not in classes.csv")
        for row, sid in zip(
            row_numbers(enrollments, unknown_class), class_sid[unknown_class], strict=True
        )  # fmt: skip
    ]
    is_student = role == "student"
    is_teaching = role.isin(TEACHING_ROLES)
    unknown_user = (is_student & ~user_sid.isin(known_students)) | (
        is_teaching & ~user_sid.isin(known_staff)
    )
    problems += [
        Problem(name, row, "userSourcedId", f"user '{sid}' is not in users.csv with that role")
        for row, sid in zip(
            row_numbers(enrollments, unknown_user), user_sid[unknown_user], strict=True
        )  # fmt: skip
    ]
    other = ~is_student & ~is_teaching
    problems += [
        Problem(name, row, "role", f"'{value}' is not an enrollment role crsys knows")
        for row, value in zip(
            row_numbers(enrollments, other), enrollments["role"][other], strict=True
        )  # fmt: skip
    ]
    starts, p1 = parse_dates(name, enrollments, "beginDate")
    ends, p2 = parse_dates(name, enrollments, "endDate")
    problems += p1 + p2
    active = _active(enrollments)
    enrolments = pd.DataFrame(
        {
            "sourced_id": enrollments["sourcedId"],
            "student_sid": user_sid,
            "class_sid": class_sid,
            "start_date": starts,
            "end_date": ends,
            "active": active,
        }
    )[is_student]
    teaching = pd.DataFrame(
        {
            "sourced_id": enrollments["sourcedId"],
            "user_sid": user_sid,
            "class_sid": class_sid,
            "role": role.map(TEACHING_ROLES),
            "active": active,
        }
    )[is_teaching]
    return enrolments, teaching, problems
