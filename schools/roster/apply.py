"""Apply parsed roster tables to a district: diff in pandas against what the district has,
then write only what changed, set-based. The same code answers the dry run (counts, role
changes, warnings) and the commit (the same, and writes), so the preview is what the commit
does."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from django.db.models import Case, F, Value, When
from django.utils import timezone

from crsys.bulk import analyze_after_commit, insert_rows, update_rows
from crsys.imports.problems import InputRejected, Problem
from districts.models import District, Membership, User
from schools.models import (
    Classroom,
    Enrolment,
    School,
    SchoolYear,
    StaffAssignment,
    StaffRole,
    Student,
    StudentSchool,
)
from schools.roster.cascade import withdraw_with_parents
from schools.roster.flags import apply_flags
from schools.roster.guards import mass_withdrawal
from schools.roster.oneroster import ENTITY_FILES, RosterTables
from schools.roster.people import other_school_people, staff_people, student_people
from schools.roster.references import drop_dangling, resolvable
from schools.roster.relink import apply_relinks, relink_people, relink_words, student_relinks
from schools.roster.staff import (
    actor_problems,
    placed_after,
    role_plan,
    school_assignments,
    school_names,
    staff_accounts,
    write_roles,
)
from schools.roster.stored import other_school_rows
from schools.selectors import district_today

Progress = Callable[[int, str], None]
ENTITIES = [
    "schools",
    "school_years",
    "classrooms",
    "students",
    "other_schools",
    "staff",
    "enrolments",
    "staff_assignments",
]


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
        #: the stored rows it was planned against (id, sourced_id, fields, is_active)
        self.existing = pd.DataFrame()

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
        model.objects.all().filter(sourced_id__isnull=False).values_list("sourced_id", "id")
    )


def _map_ids(series: pd.Series, mapping: dict[str, int]) -> pd.Series:
    # -1 stands for "a row this import will create": it differs from every stored id.
    return series.map(mapping).fillna(-1).astype("int64")


@dataclass(frozen=True)
class ImportRun:
    """Who runs an import and what they confirmed: what the tables alone do not say."""

    #: the uploader and the committer: an import never changes their roles
    actor_user_ids: frozenset[int] = frozenset()
    allow_mass_withdrawal: bool = False
    #: the admin confirmed re-linking stored records to the file's sourcedIds (``relink.py``)
    allow_relink: bool = False
    roster_import_id: int | None = None


@dataclass
class Outcome:
    counts: dict[str, dict[str, int]]
    role_changes: list[dict] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    #: the mass-withdrawal warning in words; empty when within the allowed share
    mass_withdrawal: str = ""
    #: the re-link to confirm, in words; empty when the import re-links nobody
    relink: str = ""
    #: who is created, changed (field: before -> after) and withdrawn (``people.py``)
    people: list[dict] = dataclasses.field(default_factory=list)


def apply_tables(
    *,
    district_id: int,
    tables: RosterTables,
    commit: bool,
    progress: Progress | None = None,
    run_as: ImportRun | None = None,
) -> Outcome:
    """Counts per entity of creates/updates/withdrawals, role changes by name and warnings;
    writes them when ``commit``. The dry run computes exactly what the commit writes: every
    reference is resolved against the same sets in both (``_resolvable``).

    The caller holds the district context and the transaction."""
    progress = progress or (lambda pct, msg: None)
    run_as = run_as or ImportRun()
    outcome = Outcome(counts={})
    counts = outcome.counts
    plans: dict[str, Plan] = {}
    today = district_today(District.objects.get(pk=district_id))  # withdrawal end dates

    def run(entity: str, model, incoming: pd.DataFrame, fields: list[str], *,
            withdraw_extra: dict | None = None, scope: dict | None = None,
            parents: dict[str, set[int]] | None = None, pct: int,
            deleted: set[str] = frozenset()) -> Plan:  # fmt: skip
        progress(pct, f"Comparing {entity.replace('_', ' ')}")
        stored = model.objects.filter(sourced_id__isnull=False, **(scope or {}))
        existing = _frame(stored, ["id", "sourced_id", *fields, "is_active"])
        result = plan(
            incoming,
            existing,
            fields,
            bulk=tables.modes.get(entity, "bulk") == "bulk",
            deleted=tables.deleted.get(entity, set()) | deleted,
        )
        result.existing = existing
        withdraw_with_parents(result, parents or {})
        plans[entity] = result
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

    def keep(frame, file: str, what: str, refs: dict[str, set]) -> pd.DataFrame:
        kept, warning = drop_dangling(frame, refs, file=file, what=what)
        if warning:
            outcome.warnings.append(warning)
        return kept

    run("schools", School, tables.schools, ["name", "code", "grades"], pct=5)
    schools = _sid_map(School, district_id)
    # Spreadsheets name schools by code; they reach here as "pk:<id>".
    schools |= {f"pk:{pk}": pk for pk in School.objects.values_list(
        "pk", flat=True)}  # fmt: skip
    school_sids = resolvable(schools, tables.schools)
    run("school_years", SchoolYear, tables.school_years, ["name", "start_date", "end_date"],
        pct=15)  # fmt: skip
    years = _sid_map(SchoolYear, district_id)

    classrooms_in = keep(tables.classrooms, "classes.csv", "classes",
                         {"school_sid": school_sids,
                          "year_sid": resolvable(years, tables.school_years)})  # fmt: skip
    classrooms_in = classrooms_in.assign(
        school_id=_map_ids(classrooms_in["school_sid"], schools),
        school_year_id=_map_ids(classrooms_in["year_sid"], years),
    )
    run("classrooms", Classroom, classrooms_in,
        ["name", "grades", "school_id", "school_year_id"], pct=25)  # fmt: skip
    classrooms = _sid_map(Classroom, district_id)
    classroom_sids = resolvable(classrooms, classrooms_in)

    students_in = keep(tables.students, "users.csv", "students", {"school_sid": school_sids})
    students_in = students_in.assign(school_id=_map_ids(students_in["school_sid"], schools))
    relinks, problems = student_relinks(district_id, students_in)
    if problems:
        raise InputRejected(problems)
    if relinks:
        if commit and not run_as.allow_relink:
            raise InputRejected([Problem("users.csv", None, "identifier",
                                          relink_words(len(relinks)))])  # fmt: skip
        apply_relinks(relinks)  # in the dry run too: its transaction is rolled back
        outcome.relink = relink_words(len(relinks))
        outcome.people += relink_people(
            relinks, school_names(district_id, tables.schools),
            dict(Student.objects.filter(
                pk__in=[r["id"] for r in relinks]).values_list("pk", "school_id")),
        )  # fmt: skip
    student_fields = ["student_number", "given_name", "family_name", "preferred_name", "grade",
                      "school_id", "birth_date"]  # fmt: skip
    names_of_schools = school_names(district_id, tables.schools)
    student_plan = run("students", Student, students_in, student_fields, pct=35)
    outcome.people += student_people(student_plan, students_in, names_of_schools)
    students = _sid_map(Student, district_id)
    student_sids = resolvable(students, students_in)
    if "also_at_sids" in students_in:  # a OneRoster file; a spreadsheet names one school
        other_schools = other_school_rows(district_id, students_in, school_sids)
        other_plan = run(
            "other_schools", StudentSchool,
            other_schools.assign(student_id=_map_ids(other_schools["student_sid"], students),
                                 school_id=_map_ids(other_schools["school_sid"], schools)),
            ["student_id", "school_id"], pct=45,
            parents={"student_id": set(student_plan.withdraw_ids),
                     "school_id": set(plans["schools"].withdraw_ids)},
            deleted=other_schools.attrs["dropped"],
        )  # fmt: skip
        outcome.people = other_school_people(
            outcome.people, other_plan, other_schools, students_in, names_of_schools
        )
    if tables.flags is not None and len(tables.flags):
        counts["flags"] = apply_flags(district_id, tables.flags, students, commit=commit)

    staff_in_file = tables.staff.assign(
        school_sids=tables.staff["school_sids"].map(
            lambda ids: [i for i in ids if i in school_sids]
        )  # fmt: skip
    )
    stored_staff = dict(
        StaffAssignment.objects.all()
        .exclude(user_sourced_id="")
        .values_list("user_sourced_id", "user_id")
    )
    accounts = staff_accounts(district_id, staff_in_file, commit=commit)
    staff_in = school_assignments(staff_in_file, schools, accounts.user_ids)
    staff_plan = run("staff", StaffAssignment, staff_in,
                     ["user_id", "school_id", "role", "user_sourced_id"],
                     scope={"classroom__isnull": True}, pct=50)  # fmt: skip
    roles = role_plan(
        district_id=district_id,
        staff=staff_in_file,
        accounts=accounts,
        school_refs={sid: schools.get(sid, f"new:{sid}") for sid in school_sids},
        school_names=names_of_schools,
        managed_users=set(staff_plan.existing["user_id"].astype("int64")),
        placed_after=placed_after(staff_plan),
        stored_staff=stored_staff,
    )
    outcome.role_changes = roles.changes
    placements = staff_plan.existing
    gone = (set(placements.loc[placements["id"].isin(staff_plan.withdraw_ids), "user_id"])
            if len(placements) else set())  # fmt: skip
    outcome.people += staff_people(staff_plan, staff_in_file, names_of_schools, {
        pk: (name, email) for pk, name, email in User.objects.filter(pk__in=gone).values_list(
            "pk", "full_name", "email")
    })  # fmt: skip
    problems = actor_problems(roles, run_as.actor_user_ids, staff_in_file)
    if problems:
        raise InputRejected(problems)
    if commit:
        write_roles(district_id=district_id, plan=roles, roster_import_id=run_as.roster_import_id)
    staff_users = stored_staff | accounts.user_ids

    enrol_in = keep(tables.enrolments, "enrollments.csv", "student enrolments",
                    {"student_sid": student_sids, "class_sid": classroom_sids})  # fmt: skip
    enrol_in = enrol_in.assign(
        student_id=_map_ids(enrol_in["student_sid"], students),
        classroom_id=_map_ids(enrol_in["class_sid"], classrooms),
    )
    gone_classes = set(plans["classrooms"].withdraw_ids)
    run("enrolments", Enrolment, enrol_in,
        ["student_id", "classroom_id", "start_date", "end_date"],
        withdraw_extra={"end_date": withdrawal_end_date(today)}, pct=65,
        parents={"student_id": set(student_plan.withdraw_ids),
                 "classroom_id": gone_classes})  # fmt: skip

    teaching = keep(tables.staff_assignments, "enrollments.csv", "class staff enrolments",
                    {"user_sid": set(staff_users), "class_sid": classroom_sids})  # fmt: skip
    classroom_school = dict(Classroom.objects.values_list("id", "school_id"))
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
        scope={"classroom__isnull": False}, parents={"classroom_id": gone_classes},
        pct=80)  # fmt: skip
    outcome.mass_withdrawal = mass_withdrawal(plans["students"], plans["staff"])
    if commit and outcome.mass_withdrawal and not run_as.allow_mass_withdrawal:
        raise InputRejected([Problem(ENTITY_FILES["students"], None, None,
                                      outcome.mass_withdrawal)])  # fmt: skip
    progress(95, "Finishing")
    if commit:
        analyze_after_commit(School, SchoolYear, Classroom, Student, Enrolment, StaffAssignment,
                             Membership)  # fmt: skip
    return outcome


def is_empty(counts: dict[str, dict[str, int]]) -> bool:
    return all(not any(c.values()) for c in counts.values())


def withdrawal_end_date(today):
    """The end date a withdrawn enrolment gets: today, unless it had already ended (its history
    stays true) or has not begun (it ends where it begins: an empty span, never end < start)."""
    return Case(
        When(start_date__gt=today, then=F("start_date")),
        When(end_date__lte=today, then=F("end_date")),
        default=Value(today),
    )
