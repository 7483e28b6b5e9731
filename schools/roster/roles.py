"""Who a roster user is to crsys: OneRoster's role vocabularies, 1.1 and 1.2, in one place.

OneRoster 1.1 puts one ``role`` and the user's ``orgSourcedIds`` on users.csv; 1.2 moves roles
to roles.csv, one row per (user, org, role), so a person may teach at one school and lead
another. Both are read into the same list of (role, org) pairs per user.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from schools.roster.problems import Problem
from schools.roster.tables import parse_dates, row_numbers

STUDENT = "student"
#: Spec user roles (lower-cased, 1.1 and 1.2) -> "student", a crsys staff role, or None: the
#: role is read and skipped (guardians, proctors and system accounts are not crsys users).
USER_ROLES: dict[str, str | None] = {
    "student": STUDENT,
    "teacher": "teacher",
    "administrator": "principal",  # 1.1: a school's administrator
    "principal": "principal",  # 1.2
    "siteadministrator": "principal",  # 1.2
    "aide": "support_staff",
    "counselor": "support_staff",  # 1.2
    "districtadministrator": "district_leader",  # 1.2
    "systemadministrator": None,  # 1.2
    "proctor": None,
    "guardian": None,
    "parent": None,
    "relative": None,
}
#: A person holding several roles at one school gets the one with the widest reading rights.
STAFF_RANK = {"district_leader": 4, "principal": 3, "support_staff": 2, "teacher": 1}
#: An administrator of the district itself is district staff: a district leader, who reads
#: every school (never a district admin: an import does not hand out configuration rights).
DISTRICT_STAFF = "district_leader"
#: Enrolment roles of both versions -> what crsys keeps: a class's student, a class's staff
#: role, or None (read and skipped, with a count).
ENROLMENT_ROLES: dict[str, str | None] = {
    "student": STUDENT,
    "teacher": "teacher",
    "aide": "aide",
    "administrator": "principal",
    "proctor": None,
    "guardian": None,
    "parent": None,
    "relative": None,
}


def roles_from_users(users: pd.DataFrame) -> pd.Series:
    """1.1: the user's one role at each of its orgs."""
    role = users["role"].str.strip().str.lower().tolist()
    values = [
        [(r, o.strip(), "primary") for o in ids.split(",") if o.strip()] or [(r, "", "primary")]
        for r, ids in zip(role, users["orgSourcedIds"].tolist(), strict=True)
    ]
    return pd.Series(values, index=users.index, dtype=object)


def roles_from_roles_file(
    users: pd.DataFrame,
    roles: pd.DataFrame,
    *,
    stored_students: dict[str, str],
    stored_also_at: dict[str, list[str]] | None = None,
    today: date | None = None,
) -> tuple[pd.Series, list[Problem], list[str]]:
    """1.2: each user's (role, org, roleType) from roles.csv, the roles held ``today`` (a role
    whose endDate has passed, or whose beginDate has not come, gives nothing). A user of a
    delta users.csv without roles in this bundle keeps what is stored (a student stays at
    their schools: home, and ``stored_also_at`` the others)."""
    name = "roles.csv"
    problems: list[Problem] = []
    warnings: list[str] = []
    live = roles
    if "status" in roles:
        live = roles[~roles["status"].str.strip().str.lower().isin({"tobedeleted", "inactive"})]
    begins, begin_problems = parse_dates(name, live, "beginDate")
    ends, end_problems = parse_dates(name, live, "endDate")
    problems += begin_problems + end_problems
    if today is not None and len(live):
        # endDate is exclusive in OneRoster, as for enrolments (schools.models.current_enrolment)
        held = [(b is None or b <= today) and (e is None or e > today)
                for b, e in zip(begins.tolist(), ends.tolist(), strict=True)]  # fmt: skip
        if not all(held):
            warnings.append(f"{name}: {held.count(False)} roles are not held today (ended, or "
                            "not begun) and give nothing")  # fmt: skip
        live = live[pd.Series(held, index=live.index, dtype=bool)]
    blank = live["userSourcedId"].str.strip() == ""
    problems += [Problem(name, row, "userSourcedId", "is empty; a value is required")
                 for row in row_numbers(live, blank)]  # fmt: skip
    by_user: dict[str, list[tuple[str, str, str]]] = {}
    for user, role, org, kind in zip(
        live["userSourcedId"].str.strip(), live["role"].str.strip().str.lower(),
        live["orgSourcedId"].str.strip(), live["roleType"].str.strip().str.lower(), strict=True,
    ):  # fmt: skip
        by_user.setdefault(user, []).append((role, org, kind))
    sids = users["sourcedId"].str.strip()
    unknown_users = set(by_user) - set(sids)
    if unknown_users:
        sample = ", ".join(sorted(unknown_users)[:5])
        warnings.append(
            f"{name}: {len(unknown_users)} users have roles but are not in users.csv ({sample}); "
            "their roles were not applied"
        )
    values, kept = [], 0
    for sid in sids:
        found = by_user.get(sid)
        if not found and sid in stored_students:
            others = (stored_also_at or {}).get(sid, [])
            found = [(STUDENT, stored_students[sid], "primary")]
            found += [(STUDENT, school, "secondary") for school in others]
            kept += 1
        values.append(found or [])
    if kept:
        warnings.append(
            f"users.csv: {kept} students have no role in this bundle's roles.csv; they keep "
            "their stored schools"
        )
    return pd.Series(values, index=users.index, dtype=object), problems, warnings
