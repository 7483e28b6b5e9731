"""The demo district's roster, imported through the real OneRoster import path."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

from crsys.tenancy.context import district_context
from districts.permissions import SYSTEM
from schools import services
from schools.models import (
    Classroom,
    RosterImport,
    School,
    StaffAssignment,
    StaffRole,
    Student,
    StudentFlag,
    StudentFlagValue,
)
from schools.roster.generate import generate_bundle

SIZES = {"small": (6, 1_500), "large": (250, 140_000)}
FLAGS = [
    ("ell", "English-language learner", True),
    ("iln", "Identified learning need", True),
    ("new", "New to the school this year", False),
]


def seed_roster(*, district, size: str, today: datetime.date) -> RosterImport:
    schools, students = SIZES[size]
    bundle = _through_summer(
        generate_bundle(slug=district.slug, schools=schools, students=students, today=today)
    )
    with district_context(district):
        roster_import = services.roster_import_upload(
            district=district, actor=SYSTEM, name=f"demo-{size}.zip", data=bundle,
            kind=RosterImport.Kind.ONEROSTER, source="seed_demo", check=False,
        )  # fmt: skip
        roster_import = services.roster_import_check(roster_import=roster_import)
        if roster_import.status == RosterImport.Status.READY:
            roster_import = services.roster_import_commit(roster_import=roster_import)
        if roster_import.status != RosterImport.Status.COMMITTED:
            raise RuntimeError(f"demo roster did not import: {roster_import.problems[:3]}")
        _seed_flags(district)
    return roster_import


def _through_summer(bundle: bytes) -> bytes:
    """The demo's school year runs to 31 August instead of 30 June, so that a screening
    window can be open on any day of the year, summer included (the demo is tried then too)."""
    source, out = zipfile.ZipFile(io.BytesIO(bundle)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "academicSessions.csv":
                rows = list(csv.DictReader(io.StringIO(content.decode())))
                for row in rows:
                    row["endDate"] = row["endDate"].replace("-06-30", "-08-31")
                text = io.StringIO()
                writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
                content = text.getvalue().encode()
            archive.writestr(name, content)
    return out.getvalue()


def _seed_flags(district) -> None:
    flags = [
        StudentFlag.objects.update_or_create(code=code, defaults={"label": label,
                                                                 "sensitive": sensitive})[0]
        for code, label, sensitive in FLAGS
    ]  # fmt: skip
    if StudentFlagValue.objects.exists():
        return
    students = list(Student.objects.order_by("pk").values_list("pk", flat=True))
    values = [
        StudentFlagValue(district=district, student_id=pk, flag=flag)
        for index, flag in enumerate(flags)
        for pk in students[index :: 7 + index * 4]
    ]
    StudentFlagValue.objects.bulk_create(values, batch_size=2_000)


def first_school(district) -> School:
    with district_context(district):
        return School.objects.filter(is_active=True).order_by("pk").first()


def assign_demo_teacher(*, district, user, school: School) -> None:
    """The demo teacher teaches the school's first homeroom (a hand-made assignment, which
    later imports leave alone)."""
    with district_context(district):
        classroom = Classroom.objects.filter(school=school).order_by("pk").first()
        StaffAssignment.objects.get_or_create(
            user=user, classroom=classroom, defaults={"school": school, "role": StaffRole.TEACHER}
        )
