"""Who an import creates, changes and withdraws, by name: the dry run's list of people.

Built from the same plans the commit writes, so the list is what the commit does. Students are
listed with each changed field (before -> after); staff by school placement. Stored as a CSV
file on the import (a first import lists every student of the district).
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from schools.roster.problems import csv_safe

COLUMNS = ["change", "kind", "name", "key", "school", "details", "sourced_id"]
CHANGE_WORDS = {
    "create": "New",
    "update": "Changed",
    "withdraw": "Withdrawn",
    "relink": "Re-linked",
}
STUDENT_FIELDS = {
    "student_number": "student number",
    "given_name": "given name",
    "family_name": "family name",
    "preferred_name": "preferred name",
    "grade": "grade",
    "school_id": "school",
    "birth_date": "birth date",
}


def _shown(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return "(blank)"
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return str(value) if str(value) != "" else "(blank)"


def student_people(plan, incoming: pd.DataFrame, school_names: dict) -> list[dict]:
    """``plan`` is the students' Plan; ``incoming`` the students read (with school_sid)."""
    people = []
    school_of = dict(zip(incoming["sourced_id"], incoming["school_sid"], strict=True))

    def school(school_id, sourced_id=None) -> str:
        if school_id in school_names:
            return school_names[school_id]
        return school_names.get(f"new:{school_of.get(sourced_id)}", "")

    for r in plan.creates.itertuples(index=False):
        people.append({
            "change": "create", "kind": "student", "name": f"{r.given_name} {r.family_name}",
            "key": r.student_number, "school": school(r.school_id, r.sourced_id),
            "details": "", "sourced_id": r.sourced_id,
        })  # fmt: skip
    old = plan.existing.set_index("id") if len(plan.existing) else pd.DataFrame()
    for r in plan.updates.itertuples(index=False):
        before = old.loc[r.id]
        details = []
        if not bool(before["is_active"]):
            details.append("returns (was withdrawn)")
        for field, label in STUDENT_FIELDS.items():
            new, was = getattr(r, field), before[field]
            if field == "school_id":
                new, was = school(new, before["sourced_id"]), school_names.get(was, "")
            if _shown(new) != _shown(was):
                details.append(f"{label}: {_shown(was)} → {_shown(new)}")
        people.append({
            "change": "update", "kind": "student", "name": f"{r.given_name} {r.family_name}",
            "key": r.student_number, "school": school(r.school_id, before["sourced_id"]),
            "details": "; ".join(details), "sourced_id": before["sourced_id"],
        })  # fmt: skip
    for pk in plan.withdraw_ids:
        before = old.loc[pk]
        people.append({
            "change": "withdraw", "kind": "student",
            "name": f"{before['given_name']} {before['family_name']}",
            "key": before["student_number"], "school": school_names.get(before["school_id"], ""),
            "details": "", "sourced_id": before["sourced_id"],
        })  # fmt: skip
    return people


def other_school_people(people: list[dict], plan, rows: pd.DataFrame, students: pd.DataFrame,
                        school_names: dict) -> list[dict]:  # fmt: skip
    """``people`` with each student's other schools named: "also at <school>" when the import
    adds one, "no longer at <school>" when it drops one (on the student's own line when the
    student is created or changed, else on a line of its own). ``plan`` is the other schools'
    Plan, ``rows`` what it was planned from (sourced_id, student_sid, school_sid)."""
    by_pair = dict(zip(rows["sourced_id"], zip(rows["student_sid"], rows["school_sid"],
                                               strict=True), strict=True))  # fmt: skip
    notes: dict[str, list[str]] = {}
    for r in plan.creates.itertuples(index=False):
        student_sid, school_sid = by_pair[r.sourced_id]
        name = school_names.get(r.school_id) or school_names.get(f"new:{school_sid}", "")
        notes.setdefault(student_sid, []).append(f"also at {name}")
    old = plan.existing.set_index("id") if len(plan.existing) else pd.DataFrame()
    withdrawn_students = {p["sourced_id"] for p in people
                          if p["kind"] == "student" and p["change"] == "withdraw"}  # fmt: skip
    for pk in plan.withdraw_ids:
        student_sid = str(old.loc[pk, "sourced_id"]).rsplit("@", 1)[0]
        if student_sid not in withdrawn_students:
            school = school_names.get(old.loc[pk, "school_id"], "")
            notes.setdefault(student_sid, []).append(f"no longer at {school}")
    if not notes:
        return people
    own_line = {"create", "update", "relink"}
    listed = {p["sourced_id"]: p for p in people
              if p["kind"] == "student" and p["change"] in own_line}  # fmt: skip
    by_sid = students.set_index("sourced_id")
    for student_sid, words in notes.items():
        person = listed.get(student_sid)
        if person is None and student_sid in by_sid.index:
            r = by_sid.loc[student_sid]
            person = {
                "change": "update", "kind": "student", "name": f"{r.given_name} {r.family_name}",
                "key": r.student_number, "school": school_names.get(r.school_id)
                or school_names.get(f"new:{r.school_sid}", ""), "details": "",
                "sourced_id": student_sid,
            }  # fmt: skip
            people.append(person)
        if person is not None:
            person["details"] = "; ".join(d for d in (person["details"], *words) if d)
    return people


def staff_people(plan, staff: pd.DataFrame, school_names: dict, names: dict) -> list[dict]:
    """Staff by school placement. ``names`` maps account ids to (name, e-mail) for people the
    file no longer lists."""
    by_sid = {r.sourced_id: (r.full_name, r.email) for r in staff.itertuples()}
    school_of = {f"{r.sourced_id}@{s}": s for r in staff.itertuples() for s in r.school_sids}

    def who(user_sid, user_id):
        return by_sid.get(user_sid) or names.get(user_id, ("", ""))

    def school(school_id, sid) -> str:
        return school_names.get(school_id) or school_names.get(f"new:{school_of.get(sid)}", "")

    people = []
    for r in plan.creates.itertuples(index=False):
        name, email = who(r.user_sourced_id, r.user_id)
        people.append({
            "change": "create", "kind": "staff", "name": name, "key": email,
            "school": school(r.school_id, r.sourced_id), "details": f"placed as {r.role}",
            "sourced_id": r.user_sourced_id,
        })  # fmt: skip
    old = plan.existing.set_index("id") if len(plan.existing) else pd.DataFrame()
    for r in plan.updates.itertuples(index=False):
        before = old.loc[r.id]
        name, email = who(r.user_sourced_id, r.user_id)
        details = [] if before["is_active"] else ["returns (was withdrawn)"]
        if before["role"] != r.role:
            details.append(f"role: {before['role']} → {r.role}")
        people.append({
            "change": "update", "kind": "staff", "name": name, "key": email,
            "school": school(r.school_id, None), "details": "; ".join(details),
            "sourced_id": r.user_sourced_id,
        })  # fmt: skip
    for pk in plan.withdraw_ids:
        before = old.loc[pk]
        name, email = who(before["user_sourced_id"], before["user_id"])
        people.append({
            "change": "withdraw", "kind": "staff", "name": name, "key": email,
            "school": school_names.get(before["school_id"], ""), "details": "leaves this school",
            "sourced_id": before["user_sourced_id"],
        })  # fmt: skip
    return people


def people_csv(people: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for p in people:
        writer.writerow([csv_safe(p[c]) for c in COLUMNS])
    return out.getvalue().encode()


def read_people(data: bytes) -> list[dict]:
    reader = csv.DictReader(io.StringIO(data.decode()))
    return [
        # csv_safe's apostrophe is for spreadsheets; the page shows the value as read.
        {k: (v[1:] if v.startswith("'") and len(v) > 1 and v[1] in "=+-@\t\r" else v)
         for k, v in row.items()}
        for row in reader
    ]  # fmt: skip


def describe_person(p: dict) -> str:
    """'Changed student Grace Hopper-Smith (1002, Aspen Elementary): family name: …'."""
    where = ", ".join(x for x in (p["key"], p["school"]) if x)
    text = f"{CHANGE_WORDS.get(p['change'], p['change'])} {p['kind']} {p['name']}"
    text += f" ({where})" if where else ""
    return text + (f": {p['details']}" if p["details"] else "")
