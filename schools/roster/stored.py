"""What the district already has, as the roster's tables name it (sourced ids): the ids a
bundle may refer to without listing them (a delta), and the other schools of its students.
``load`` reads them before parsing; ``apply`` compares the file with them."""

from __future__ import annotations

import pandas as pd

from schools.models import (
    Classroom,
    School,
    SchoolYear,
    StaffAssignment,
    Student,
    StudentSchool,
)
from schools.roster.oneroster import ExistingIds


def existing_ids(district_id: int) -> ExistingIds:
    def ids(model, **filters):
        return set(
            model.objects.all()
            .filter(sourced_id__isnull=False, **filters)
            .values_list("sourced_id", flat=True)
        )

    return ExistingIds(
        schools=ids(School),
        school_years=ids(SchoolYear),
        classrooms=ids(Classroom),
        students=ids(Student),
        staff=set(
            StaffAssignment.objects.all()
            .exclude(user_sourced_id="")
            .values_list("user_sourced_id", flat=True)
        ),
        student_schools=dict(
            Student.objects.all()
            .filter(sourced_id__isnull=False, school__sourced_id__isnull=False)
            .values_list("sourced_id", "school__sourced_id")
        ),
        student_also_at=_stored_also_at(district_id),
        classroom_years=dict(
            Classroom.objects.all()
            .filter(sourced_id__isnull=False, school_year__sourced_id__isnull=False)
            .values_list("sourced_id", "school_year__sourced_id")
        ),
    )


def _stored_also_at(district_id: int) -> dict[str, list[str]]:
    also_at: dict[str, list[str]] = {}
    for student, school in (
        StudentSchool.objects
        .filter(is_active=True, student__sourced_id__isnull=False,
                school__sourced_id__isnull=False)
        .values_list("student__sourced_id", "school__sourced_id")
        .order_by("id")
    ):  # fmt: skip
        also_at.setdefault(student, []).append(school)
    return also_at


def other_school_rows(district_id: int, students: pd.DataFrame, school_sids: set[str]
                      ) -> pd.DataFrame:  # fmt: skip
    """(student, school) rows for the other schools of the file's live students;
    ``attrs["dropped"]``: stored rows of students the file lists that it no longer lists at
    that school (a delta users.csv names each listed student's schools in full)."""
    live = students[students["active"].astype(bool)]
    rows = [
        (f"{sid}@{school}", sid, school, True)
        for sid, others in zip(live["sourced_id"], live["also_at_sids"], strict=True)
        for school in others
        if school in school_sids
    ]
    frame = pd.DataFrame(rows, columns=["sourced_id", "student_sid", "school_sid", "active"])
    listed = set(live["sourced_id"])
    stored = StudentSchool.objects.filter(is_active=True, sourced_id__isnull=False)
    frame.attrs["dropped"] = {
        sid
        for sid, student in stored.values_list("sourced_id", "student__sourced_id")
        if student in listed
    } - set(frame["sourced_id"])
    return frame
