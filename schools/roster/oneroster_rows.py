"""OneRoster rows that become more than a copy: academic sessions into school years,
enrollments into enrolments and staff assignments (and those skipped), and the hints a
problem gets (a file of the other version, an org that is not a school, an unknown user).
Pure: no database; ``oneroster.parse_bundle`` calls them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from crsys.imports.problems import Problem
from schools.roster.roles import (
    ENROLMENT_ROLES,
    STUDENT,
)
from schools.roster.tables import (
    check_required_values,
    parse_dates,
    row_numbers,
)

if TYPE_CHECKING:
    from schools.roster.oneroster import Bundle

WITHDRAWN_STATUSES = {"tobedeleted", "inactive"}


def _active(frame: pd.DataFrame) -> pd.Series:
    if "status" not in frame:
        return pd.Series(True, index=frame.index)
    return ~frame["status"].str.strip().str.lower().isin(WITHDRAWN_STATUSES)


def _version_hint(problem: Problem, bundle: Bundle) -> Problem:
    """A 1.2 users.csv read as 1.1 lacks role and orgSourcedIds: say what to change."""
    if (problem.file, problem.column) in {("users.csv", "role"), ("users.csv", "orgSourcedIds")}:
        hint = (" (OneRoster 1.2 keeps roles in roles.csv: if this is a 1.2 bundle, its "
                "manifest.csv needs oneroster.version,1.2; it says "
                f"'{bundle.manifest.declared or 'nothing'}')")  # fmt: skip
        return Problem(problem.file, problem.row, problem.column, problem.message + hint)
    return problem


def _not_a_school(sid: str, org_types: dict[str, str]) -> str:
    kind = org_types.get(sid)
    if kind:
        return (f"'{sid}' is a {kind} in orgs.csv, not a school: a class belongs to a school "
                "(type school)")  # fmt: skip
    return f"school '{sid}' is not in orgs.csv"


def _skipped_enrolments(enrollments: pd.DataFrame) -> list[str]:
    role = enrollments["role"].str.strip().str.lower()
    skipped = role[role.map(lambda r: r in ENROLMENT_ROLES and ENROLMENT_ROLES[r] is None)]
    if skipped.empty:
        return []
    counts = skipped.value_counts().sort_index()
    return ["enrollments.csv: not imported (crsys keeps students and class staff): "
            + ", ".join(f"{n} with role '{r}'" for r, n in counts.items())]  # fmt: skip


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


def _unknown_user(sid: str, role: str, user_roles: dict[str, list[str]], roles_file: str
                  ) -> str:  # fmt: skip
    """Why an enrollment's user is not one crsys can place, in words that say what to change."""
    if sid not in user_roles:
        return f"user '{sid}' is not in users.csv (nor already in crsys with role {role})"
    held = user_roles[sid]
    if role in held:
        return f"user '{sid}' is not imported (see the problem on its row of users.csv)"
    if not held:
        when = (" today (roles.csv lists none for it, or they have ended or not begun)"
                if roles_file == "roles.csv" else "")  # fmt: skip
        return (f"user '{sid}' holds no role{when}; an enrollment as {role} needs the user to "
                f"hold role {role} in {roles_file}")  # fmt: skip
    return (
        f"user '{sid}' has role {' and '.join(held)} in {roles_file}, but this enrollment is as "
        f"{role}: the two must agree (fix the enrollment's role or the user's)"
    )


def _enrolments(enrollments, *, known_classes, known_students, known_staff,
                user_roles=None, roles_file="users.csv"):  # fmt: skip
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
    kept = role.map(ENROLMENT_ROLES.get)
    is_student = kept == STUDENT
    is_teaching = kept.notna() & ~is_student
    unknown_user = (is_student & ~user_sid.isin(known_students)) | (
        is_teaching & ~user_sid.isin(known_staff)
    )
    problems += [
        Problem(name, row, "userSourcedId", _unknown_user(sid, r, user_roles or {}, roles_file))
        for row, sid, r in zip(row_numbers(enrollments, unknown_user), user_sid[unknown_user],
                               role[unknown_user], strict=True)
    ]  # fmt: skip
    other = ~role.isin(ENROLMENT_ROLES)
    problems += [
        Problem(
            name,
            row,
            "role",
            f"'{value}' is not a OneRoster enrollment role (one of {', '.join(ENROLMENT_ROLES)})",
        )
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
            "role": kept,
            "active": active,
        }
    )[is_teaching]
    return enrolments, teaching, problems
