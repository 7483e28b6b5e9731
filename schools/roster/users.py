"""users.csv (with its roles) -> students and staff tables (pure: no database)."""

from __future__ import annotations

import pandas as pd

from schools.grades import GRADE_ORDER
from schools.roster.problems import Problem
from schools.roster.roles import DISTRICT_STAFF, STAFF_RANK, STUDENT, USER_ROLES
from schools.roster.staff_emails import staff_emails
from schools.roster.tables import (
    HEADER_ROWS,
    check_required_values,
    check_unique,
    parse_dates,
    row_numbers,
)

STUDENT_NUMBER_MAX = 64  # Student.student_number


def _text(users: pd.DataFrame, *columns: str) -> pd.Series:
    """The first of ``columns`` the file has, stripped (1.1 and 1.2 name some differently)."""
    for column in columns:
        if column in users:
            return users[column].str.strip()
    return pd.Series("", index=users.index)


def _org_words(sid: str, org_types: dict[str, str]) -> str:
    return f"'{sid}' is a {org_types[sid]} in orgs.csv, not a school"


def read_users(
    users: pd.DataFrame,
    roles: pd.Series,
    *,
    demographics: pd.DataFrame | None,
    known_schools: set[str],
    org_types: dict[str, str],
    active: pd.Series,
    grades: pd.Series,
):
    """(students, staff, problems, warnings). ``roles`` holds each user's (role, org,
    roleType) triples; ``grades`` each user's grade codes."""
    name = "users.csv"
    problems: list[Problem] = []
    warnings: list[str] = []

    def crsys_role(role: str, org: str) -> str:
        mapped_role = USER_ROLES.get(role) or ""
        if mapped_role == "principal" and org_types.get(org) == "district":
            return DISTRICT_STAFF  # 1.1's administrator of the district org
        return mapped_role

    mapped_list = [[(crsys_role(r, o), o, k) for r, o, k in t] for t in roles.tolist()]
    mapped = pd.Series(mapped_list, index=users.index, dtype=object)
    # dtype bool: an empty object Series would select columns, not rows.
    is_student = pd.Series([any(r == STUDENT for r, _, _ in t) for t in mapped_list],
                           index=users.index, dtype=bool)  # fmt: skip
    primary_org = _text(users, "primaryOrgSourcedId")

    def student_school(primary: str, triples) -> str | None:
        if primary in known_schools:
            return primary
        # The primary role's school, else the first listed.
        schools = [(k != "primary", n, o) for n, (r, o, k) in enumerate(triples)
                   if r == STUDENT and o in known_schools]  # fmt: skip
        return min(schools)[2] if schools else None

    # Plain lists, not Series lookups per row: this runs once per user of the district.
    school = pd.Series(
        [student_school(p, t) if s else None
         for p, t, s in zip(primary_org.tolist(), mapped_list, is_student.tolist(),
                            strict=True)],
        index=users.index, dtype=object,
    )  # fmt: skip

    students_in = users[is_student]
    problems += check_required_values(name, students_in, ["givenName", "familyName"])
    numbers = _text(users, "identifier")
    blank_number = is_student & (numbers == "")
    if blank_number.any():
        numbers = numbers.where(~blank_number, users["sourcedId"].str.strip())
        rows = row_numbers(users, blank_number)
        more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
        warnings.append(
            f"{name}: {len(rows)} students have no identifier (student number); their sourcedId "
            f"is their student number until the file gives one (rows "
            f"{', '.join(map(str, rows[:10]))}{more})"
        )
    too_long = is_student & (numbers.str.len() > STUDENT_NUMBER_MAX)
    problems += [
        Problem(name, row, "identifier", f"the student number '{value[:20]}…' is longer than "
                f"{STUDENT_NUMBER_MAX} characters")
        for row, value in zip(row_numbers(users, too_long), numbers[too_long], strict=True)
    ]  # fmt: skip
    problems += check_unique(
        name, users[is_student].assign(identifier=numbers[is_student]), "identifier",
        "student number",
    )  # fmt: skip
    # The other schools a student is on the roll of (1.1's orgSourcedIds after the first,
    # 1.2's secondary roles): kept beside the home school, never cut (issue 9 item 11).
    also_at = pd.Series(
        [_other_schools(home, triples, known_schools) if student else []
         for home, triples, student in zip(school.tolist(), mapped_list, is_student.tolist(),
                                           strict=True)],
        index=users.index, dtype=object,
    )  # fmt: skip
    several = is_student & (also_at.map(len) > 0)
    if several.any():
        warnings.append(
            f"{name}: {int(several.sum())} students are listed at several schools; each keeps "
            "their primary school as home school and is also on the roll of the others (rows "
            f"{', '.join(map(str, row_numbers(users, several)[:10]))})"
        )
    grade, grade_warnings = _one_grade(name, users, grades, is_student)
    warnings += grade_warnings
    no_school = is_student & school.isna() & active
    for row, index in zip(row_numbers(users, no_school), users.index[no_school], strict=True):
        orgs = [o for r, o, _ in mapped[index] if r == STUDENT and o]
        typed = [o for o in orgs if o in org_types]
        message = (
            f"{', '.join(_org_words(o, org_types) for o in typed)}: a student needs a school"
            if typed
            else f"'{','.join(orgs)}' names no school in orgs.csv"
        )
        problems.append(Problem(name, row, "orgSourcedIds", message))
    preferred = _text(users, "preferredFirstName", "preferredGivenName")
    birth = pd.Series([None] * len(users), index=users.index, dtype=object)
    if demographics is not None and "birthDate" in demographics and len(demographics):
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
            "grade": grade,
            "school_sid": school,
            "also_at_sids": also_at,
            "birth_date": birth,
            "active": active,
        }
    )[is_student]

    # Staff: per school, the widest of the person's roles there; one row per role held.
    is_staff = ~is_student & pd.Series(
        [any(r in STAFF_RANK for r, _, _ in t) for t in mapped_list], index=users.index,
        dtype=bool,
    )  # fmt: skip
    emails, email_problems, email_warnings = staff_emails(
        name, users, is_staff=is_staff, active=active
    )
    problems += email_problems
    warnings += email_warnings
    full_names = (
        users["givenName"].str.strip() + " " + users["familyName"].str.strip()
    ).str.strip()
    staff_rows = []
    people = users.loc[is_staff, "sourcedId"]
    for index, sid, triples, email, full_name, live in zip(
        people.index, people.tolist(), mapped[is_staff].tolist(), emails[is_staff].tolist(),
        full_names[is_staff].tolist(), active[is_staff].tolist(), strict=True,
    ):  # fmt: skip
        by_school = _staff_roles_by_school(triples)
        held = sorted(set(by_school.values()), key=STAFF_RANK.get, reverse=True)
        held = held or [max((r for r, _, _ in triples if r in STAFF_RANK), key=STAFF_RANK.get)]
        for role in held:
            staff_rows.append({
                "sourced_id": sid, "email": email, "full_name": full_name, "role": role,
                "school_sids": [s for s, r in by_school.items()
                                if r == role and s in known_schools],
                "active": live, "row": index + HEADER_ROWS + 1,
            })  # fmt: skip
    staff = pd.DataFrame(staff_rows, columns=["sourced_id", "email", "full_name", "role",
                                              "school_sids", "active", "row"])  # fmt: skip
    warnings += _skipped_roles(roles, is_student | is_staff)
    return students, staff, problems, warnings


def _other_schools(home: str | None, triples, known_schools: set[str]) -> list[str]:
    """The schools, besides ``home``, where the user is listed as a student, in file order."""
    others = [o for r, o, _ in triples if r == STUDENT and o in known_schools and o != home]
    return list(dict.fromkeys(others))


def _one_grade(name: str, users: pd.DataFrame, grades: pd.Series, is_student: pd.Series):
    """A student has one current grade: of several (``grades`` "03,04"), the lowest, and the
    dry run says whose and which, so the choice is never silent."""
    lowest = grades.map(lambda g: min(g, key=lambda c: GRADE_ORDER.get(c, 99)) if g else "UG")
    several = is_student & (grades.map(lambda g: len(set(g))) > 1)
    if not several.any():
        return lowest, []
    shown = [
        f"row {row} ({given} {family}: {','.join(codes)} -> {kept})"
        for row, given, family, codes, kept in zip(
            row_numbers(users, several)[:10], users.loc[several, "givenName"].str.strip(),
            users.loc[several, "familyName"].str.strip(), grades[several], lowest[several],
            strict=False,
        )
    ]  # fmt: skip
    more = f" and {int(several.sum()) - 10} more" if several.sum() > 10 else ""
    return lowest, [
        f"{name}: {int(several.sum())} students list several grades; crsys keeps one current "
        f"grade per student, the lowest: {'; '.join(shown)}{more}"
    ]


def _staff_roles_by_school(triples) -> dict[str, str]:
    by_school: dict[str, str] = {}
    for role, org, _ in triples:
        if role in STAFF_RANK and STAFF_RANK[role] > STAFF_RANK.get(by_school.get(org, ""), 0):
            by_school[org] = role
    return by_school


def _skipped_roles(roles: pd.Series, imported: pd.Series) -> list[str]:
    """Users crsys does not import (guardians, proctors, unknown roles), counted by role."""
    counts: dict[str, int] = {}
    for triples in roles[~imported]:
        for role in sorted({r for r, _, _ in triples}) or ["(none)"]:
            counts[role] = counts.get(role, 0) + 1
    if not counts:
        return []
    return [
        "users.csv: not imported (crsys keeps students and school staff): "
        + ", ".join(f"{n} with role '{r}'" for r, n in sorted(counts.items()))
    ]
