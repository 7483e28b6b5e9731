"""Apply parsed roster tables to a district: diff in pandas against what the district has,
then write only what changed, set-based. The same code answers the dry run (counts only)
and the commit (counts and writes), so the preview is what the commit does."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from crsys.bulk import analyze_after_commit, insert_rows, update_rows
from districts.models import District, Membership, User
from schools.models import (
    Classroom,
    Enrolment,
    School,
    SchoolYear,
    StaffAssignment,
    StaffRole,
    Student,
    StudentFlag,
    StudentFlagValue,
)
from schools.roster.oneroster import ExistingIds, RosterTables
from schools.roster.problems import Problem, RosterRejected
from schools.selectors import district_today

Progress = Callable[[int, str], None]
ENTITIES = [
    "schools",
    "school_years",
    "classrooms",
    "students",
    "staff",
    "enrolments",
    "staff_assignments",
]
STAFF_ROLE_FOR = {"teacher": StaffRole.TEACHER, "principal": StaffRole.PRINCIPAL,
                  "support_staff": StaffRole.SUPPORT}  # fmt: skip


def existing_ids(district_id: int) -> ExistingIds:
    def ids(model, **filters):
        return set(
            model.objects.for_district(district_id)
            .filter(sourced_id__isnull=False, **filters)
            .values_list("sourced_id", flat=True)
        )

    return ExistingIds(
        schools=ids(School),
        school_years=ids(SchoolYear),
        classrooms=ids(Classroom),
        students=ids(Student),
        staff=set(
            StaffAssignment.objects.for_district(district_id)
            .exclude(user_sourced_id="")
            .values_list("user_sourced_id", flat=True)
        ),
    )


def _frame(queryset, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(queryset.values_list(*columns)), columns=columns)


def _canonical(series: pd.Series) -> pd.Series:
    """Values that compare equal when the database would store the same thing."""

    def canon(value):
        if isinstance(value, list):
            return ",".join(map(str, value))
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
            return None
        if isinstance(value, pd.Timestamp):
            return value.date()
        return value

    return series.map(canon)


class Plan:
    """What one entity's import will do: rows to create, rows to update, ids to withdraw."""

    def __init__(self, creates: pd.DataFrame, updates: pd.DataFrame, withdraw_ids: list[int]):
        self.creates, self.updates, self.withdraw_ids = creates, updates, withdraw_ids

    def counts(self) -> dict[str, int]:
        return {
            "create": len(self.creates),
            "update": len(self.updates),
            "withdraw": len(self.withdraw_ids),
        }


def plan(
    incoming: pd.DataFrame,
    existing: pd.DataFrame,
    fields: list[str],
    *,
    bulk: bool,
    deleted: set[str],
) -> Plan:
    """``incoming`` has sourced_id, ``fields`` and active; ``existing`` has id, sourced_id,
    ``fields`` and is_active. Unchanged rows are neither created nor updated."""
    live = incoming.loc[incoming["active"].astype(bool)]
    merged = live.merge(
        existing, on="sourced_id", how="left", suffixes=("", "__db"), indicator=True
    )
    is_new = merged["_merge"] == "left_only"
    changed = pd.Series(False, index=merged.index)
    for field in fields:
        new, old = _canonical(merged[field]), _canonical(merged[f"{field}__db"])
        # pandas treats None != None as True; two missing values are the same value here.
        changed |= ~((new == old) | (new.isna() & old.isna()))
    changed |= merged["is_active"].eq(False)
    updates = merged[~is_new & changed]
    creates = merged[is_new]
    active_existing = existing[existing["is_active"] & existing["sourced_id"].notna()]
    gone = active_existing["sourced_id"].isin(deleted)
    if bulk:
        gone |= ~active_existing["sourced_id"].isin(set(live["sourced_id"]))
    return Plan(
        creates=creates[["sourced_id", *fields]],
        updates=updates.assign(id=updates["id"].astype("int64"))[["id", *fields]],
        withdraw_ids=active_existing.loc[gone, "id"].astype("int64").tolist(),
    )


def _sid_map(model, district_id: int) -> dict[str, int]:
    return dict(
        model.objects.for_district(district_id)
        .filter(sourced_id__isnull=False)
        .values_list("sourced_id", "id")
    )


def _map_ids(series: pd.Series, mapping: dict[str, int]) -> pd.Series:
    # -1 stands for "a row this import will create": it differs from every stored id.
    return series.map(mapping).fillna(-1).astype("int64")


def apply_tables(
    *, district_id: int, tables: RosterTables, commit: bool, progress: Progress | None = None
) -> dict[str, dict[str, int]]:
    """Counts per entity of creates/updates/withdrawals; writes them when ``commit``.

    The caller holds the district context and the transaction."""
    progress = progress or (lambda pct, msg: None)
    counts: dict[str, dict[str, int]] = {}
    today = district_today(District.objects.get(pk=district_id))  # withdrawal end dates

    def run(entity: str, model, incoming: pd.DataFrame, fields: list[str], *,
            withdraw_extra: dict | None = None, scope: dict | None = None,
            pct: int) -> Plan:  # fmt: skip
        progress(pct, f"Comparing {entity.replace('_', ' ')}")
        stored = model.objects.for_district(district_id).filter(
            sourced_id__isnull=False, **(scope or {})
        )
        existing = _frame(stored, ["id", "sourced_id", *fields, "is_active"])
        result = plan(
            incoming,
            existing,
            fields,
            bulk=tables.modes.get(entity, "bulk") == "bulk",
            deleted=tables.deleted.get(entity, set()),
        )
        counts[entity] = result.counts()
        if commit:
            progress(pct + 5, f"Writing {entity.replace('_', ' ')}")
            insert_rows(
                model,
                ["sourced_id", *fields, "is_active"],
                (
                    (*row, True)
                    for row in result.creates[["sourced_id", *fields]].itertuples(
                        index=False, name=None
                    )
                ),
                district_id=district_id,
            )
            update_rows(
                model,
                [*fields, "is_active"],
                ((*row, True) for row in result.updates.itertuples(index=False, name=None)),
            )
            for start in range(0, len(result.withdraw_ids), 10_000):
                stored.filter(pk__in=result.withdraw_ids[start : start + 10_000]).update(
                    is_active=False, updated_at=timezone.now(), **(withdraw_extra or {})
                )
        return result

    run("schools", School, tables.schools, ["name", "code", "grades"], pct=5)
    schools = _sid_map(School, district_id)
    # Spreadsheets name schools by code; they reach here as "pk:<id>".
    schools |= {f"pk:{pk}": pk for pk in School.objects.for_district(district_id).values_list(
        "pk", flat=True)}  # fmt: skip
    run("school_years", SchoolYear, tables.school_years, ["name", "start_date", "end_date"],
        pct=15)  # fmt: skip
    years = _sid_map(SchoolYear, district_id)

    classrooms_in = tables.classrooms.assign(
        school_id=_map_ids(tables.classrooms["school_sid"], schools),
        school_year_id=_map_ids(tables.classrooms["year_sid"], years),
    )
    run("classrooms", Classroom, classrooms_in,
        ["name", "grades", "school_id", "school_year_id"], pct=25)  # fmt: skip
    classrooms = _sid_map(Classroom, district_id)

    students_in = tables.students.assign(school_id=_map_ids(tables.students["school_sid"], schools))
    _check_student_numbers(district_id, students_in)
    student_fields = ["student_number", "given_name", "family_name", "preferred_name", "grade",
                      "school_id", "birth_date"]  # fmt: skip
    run("students", Student, students_in, student_fields, pct=35)
    students = _sid_map(Student, district_id)
    if tables.flags is not None and len(tables.flags):
        counts["flags"] = _apply_flags(district_id, tables.flags, students, commit=commit)

    user_ids = _staff_users(district_id, tables.staff, commit=commit, schools=schools)
    staff_in = _school_assignments(tables.staff, schools, user_ids)
    run("staff", StaffAssignment, staff_in, ["user_id", "school_id", "role", "user_sourced_id"],
        scope={"classroom__isnull": True}, pct=50)  # fmt: skip
    if commit:
        _sync_memberships(district_id, tables.staff, schools, user_ids)
    staff_users = dict(
        StaffAssignment.objects.for_district(district_id)
        .exclude(user_sourced_id="")
        .values_list("user_sourced_id", "user_id")
    )
    staff_users.update(user_ids)

    enrol_in = tables.enrolments.assign(
        student_id=_map_ids(tables.enrolments["student_sid"], students),
        classroom_id=_map_ids(tables.enrolments["class_sid"], classrooms),
    )
    run("enrolments", Enrolment, enrol_in,
        ["student_id", "classroom_id", "start_date", "end_date"],
        withdraw_extra={"end_date": today}, pct=65)  # fmt: skip

    teaching = tables.staff_assignments
    classroom_school = dict(
        Classroom.objects.for_district(district_id).values_list("id", "school_id")
    )
    teaching_in = teaching.assign(
        user_id=_map_ids(teaching["user_sid"], staff_users),
        classroom_id=_map_ids(teaching["class_sid"], classrooms),
        role=teaching["role"].map(
            lambda r: StaffRole(r).value if r in StaffRole.values else StaffRole.TEACHER.value
        ),  # fmt: skip
        user_sourced_id=teaching["user_sid"],
    )
    teaching_in = teaching_in.assign(
        school_id=teaching_in["classroom_id"].map(classroom_school).fillna(-1).astype("int64")
    )
    run("staff_assignments", StaffAssignment, teaching_in,
        ["user_id", "classroom_id", "school_id", "role", "user_sourced_id"],
        scope={"classroom__isnull": False}, pct=80)  # fmt: skip
    progress(95, "Finishing")
    if commit:
        analyze_after_commit(School, SchoolYear, Classroom, Student, Enrolment, StaffAssignment,
                             Membership)  # fmt: skip
    return counts


def _apply_flags(district_id, flags: pd.DataFrame, students, *, commit: bool) -> dict:
    flag_ids = dict(StudentFlag.objects.for_district(district_id).values_list("code", "id"))
    # A student the dry run has not created yet gets a distinct stand-in id per row.
    stand_ins = pd.Series(-1 - pd.RangeIndex(len(flags)), index=flags.index)
    frame = flags.assign(
        student_id=flags["student_sid"].map(students).fillna(stand_ins).astype("int64"),
        flag_id=flags["flag"].map(flag_ids),
    ).dropna(subset=["flag_id"])
    on = {(s, int(f)) for s, f in frame.loc[frame["on"], ["student_id", "flag_id"]].itertuples(
        index=False, name=None)}  # fmt: skip
    off = {(s, int(f)) for s, f in frame.loc[~frame["on"], ["student_id", "flag_id"]].itertuples(
        index=False, name=None)}  # fmt: skip
    values = StudentFlagValue.objects.for_district(district_id)
    stored = set(values.filter(student_id__in={s for s, _ in on | off}).values_list(
        "student_id", "flag_id"))  # fmt: skip
    create, remove = on - stored, off & stored
    if commit:
        values.model.objects.bulk_create(
            [StudentFlagValue(district_id=district_id, student_id=s, flag_id=f)
             for s, f in create],
            batch_size=2_000,
        )  # fmt: skip
        for flag_id in {f for _, f in remove}:
            values.filter(
                flag_id=flag_id, student_id__in=[s for s, f in remove if f == flag_id]
            ).delete()
    return {"create": len(create), "update": 0, "withdraw": len(remove)}


def _check_student_numbers(district_id: int, students_in: pd.DataFrame) -> None:
    """A student number already used by another record cannot move silently."""
    stored = _frame(Student.objects.for_district(district_id), ["student_number", "sourced_id"])
    merged = students_in[students_in["active"]].merge(
        stored, on="student_number", how="inner", suffixes=("", "__db")
    )
    clash = merged[merged["sourced_id"] != merged["sourced_id__db"]]
    if len(clash):
        raise RosterRejected(
            [
                Problem(
                    "users.csv",
                    None,
                    "identifier",
                    f"student number '{r.student_number}' (sourcedId '{r.sourced_id}') already "
                    f"belongs to another student record (sourcedId '{r.sourced_id__db}')",
                )
                for r in clash.itertuples()
            ][:500]
        )


def _staff_users(district_id, staff: pd.DataFrame, *, commit: bool, schools) -> dict[str, int]:
    """user sourcedId -> User id, creating accounts without passwords (invited later)."""
    live = staff[staff["active"]]
    if live.empty:
        return {}
    emails = live["email"].tolist()
    found = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
    missing = live[~live["email"].isin(found)]
    if commit and len(missing):
        unusable = make_password(None)
        User.objects.bulk_create(
            [
                User(email=r.email, full_name=r.full_name, password=unusable)
                for r in missing.itertuples()
            ],
            batch_size=2_000,
        )
        found = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
    return {
        sid: found[email]
        for sid, email in zip(live["sourced_id"], live["email"], strict=True)
        if email in found
    }


def _school_assignments(staff: pd.DataFrame, schools, user_ids) -> pd.DataFrame:
    rows = []
    for r in staff.itertuples():
        for school_sid in r.school_sids:
            rows.append(
                {
                    "sourced_id": f"{r.sourced_id}@{school_sid}",
                    "user_id": user_ids.get(r.sourced_id, -1),
                    "school_id": schools.get(school_sid, -1),
                    "role": STAFF_ROLE_FOR.get(r.role, StaffRole.TEACHER).value,
                    "user_sourced_id": r.sourced_id,
                    "active": r.active,
                }
            )
    columns = ["sourced_id", "user_id", "school_id", "role", "user_sourced_id", "active"]
    return pd.DataFrame(rows, columns=columns)


def _sync_memberships(district_id, staff: pd.DataFrame, schools, user_ids) -> None:
    """Imported staff hold their role at each school the file lists for them. A school role
    the file no longer lists, or a staff member withdrawn from every school, is deactivated;
    accounts stay, and roles given by hand to people the SIS does not list are untouched."""
    managed_roles = set(STAFF_ROLE_FOR)
    wanted = set()
    for r in staff[staff["active"]].itertuples():
        for school_sid in r.school_sids:
            if r.sourced_id in user_ids and school_sid in schools:
                wanted.add((user_ids[r.sourced_id], r.role, schools[school_sid]))
    assignments = (
        StaffAssignment.objects.for_district(district_id)
        .filter(classroom__isnull=True)
        .exclude(user_sourced_id="")
    )
    managed_users = set(assignments.values_list("user_id", flat=True))
    still_placed = set(assignments.filter(is_active=True).values_list("user_id", flat=True))
    memberships = Membership.objects.for_district(district_id).filter(
        school__isnull=False, role__in=managed_roles
    )
    have = {
        (user, role, school): (pk, active)
        for pk, user, role, school, active in memberships.values_list(
            "id", "user_id", "role", "school_id", "is_active"
        )
    }
    Membership.objects.bulk_create(
        [
            Membership(district_id=district_id, user_id=u, role=role, school_id=s)
            for (u, role, s) in wanted
            if (u, role, s) not in have
        ],
        batch_size=2_000,
    )
    reactivate = [have[key][0] for key in wanted if key in have and not have[key][1]]
    listed = {u for (u, _, _) in wanted}
    deactivate = [
        pk
        for key, (pk, active) in have.items()
        if active
        and key not in wanted
        and (key[0] in listed or (key[0] in managed_users and key[0] not in still_placed))
    ]
    if reactivate:
        memberships.filter(pk__in=reactivate).update(is_active=True)
    if deactivate:
        memberships.filter(pk__in=deactivate).update(is_active=False)


def is_empty(counts: dict[str, dict[str, int]]) -> bool:
    return all(not any(c.values()) for c in counts.values())
