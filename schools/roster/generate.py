"""Plausible OneRoster 1.1 bundles of any size, for the demo district and the benchmark.

Every school has homerooms of about 25 students per grade; students in grades 7–12 also
take three subject classes. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass
from datetime import date

from schools.roster.oneroster import SPEC

GIVEN = ["Aiden", "Amara", "Ava", "Benjamin", "Chloe", "Daniel", "Elijah", "Emma", "Ethan",
         "Fatima", "Gabriel", "Grace", "Hannah", "Isaac", "Jasmine", "Kai", "Layla", "Liam",
         "Lucas", "Maya", "Mia", "Mohammed", "Noah", "Nora", "Oliver", "Olivia", "Priya",
         "Quinn", "Rowan", "Sofia", "Theo", "Zara", "Wei", "Yusuf", "Ximena", "Arjun", "Chen",
         "Dakota", "Emeka", "Ines"]  # fmt: skip
FAMILY = ["Anderson", "Bear", "Brown", "Campbell", "Chen", "Cardinal", "Dubois", "Fraser",
          "Gill", "Grey", "Hassan", "Johnson", "Khan", "Lee", "Lefebvre", "MacDonald", "Martin",
          "Mohamed", "Nguyen", "Okafor", "Patel", "Roy", "Singh", "Smith", "Tremblay", "Wilson",
          "Wong", "Young", "Yellowhorn", "Zhang"]  # fmt: skip
SCHOOL_WORDS = ["Aspen", "Birchwood", "Cedar", "Dogwood", "Elm", "Fir", "Glenora", "Hawthorn",
                "Ironwood", "Juniper", "Kingsway", "Larch", "Maple", "Northgate", "Oakridge",
                "Prairie", "Queensdale", "Riverbend", "Spruce", "Tamarack", "Upland", "Valley",
                "Willow", "Yarrow"]  # fmt: skip
SUBJECTS = ["English Language Arts", "Mathematics", "Science"]
ELEMENTARY = ["KG", "01", "02", "03", "04", "05", "06"]
SECONDARY = ["07", "08", "09", "10", "11", "12"]
CLASS_SIZE = 25


@dataclass(frozen=True)
class BundleSize:
    schools: int
    students: int


def _csv(columns: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode()


def school_year_bounds(today: date | None = None, start_month: int = 9) -> tuple[date, date]:
    today = today or date.today()
    start_year = today.year if today.month >= start_month else today.year - 1
    return date(start_year, start_month, 1), date(start_year + 1, 6, 30)


def generate_bundle(*, slug: str, schools: int, students: int, seed: int = 7,
                    today: date | None = None) -> bytes:  # fmt: skip
    """A zipped OneRoster bundle; staff e-mails are <name>.<n>@<slug>.example."""
    rng = random.Random(seed)
    start, end = school_year_bounds(today)
    year_sid = f"year-{end.year}"
    orgs = [["district", "active", "", f"{slug} district", "district", slug.upper(), ""]]
    sessions = [
        [year_sid, "active", "", f"{start.year}–{end.year}", "schoolYear",
         start.isoformat(), end.isoformat(), "", str(end.year)],
        [f"term-{end.year}", "active", "", f"Full year {end.year}", "term",
         start.isoformat(), end.isoformat(), year_sid, str(end.year)],
    ]  # fmt: skip
    classes, users, enrollments, demographics = [], [], [], []
    per_school = [students // schools + (1 if i < students % schools else 0)
                  for i in range(schools)]  # fmt: skip
    student_no, staff_no = 100000, 0

    def staff(school_sid: str, role: str) -> str:
        nonlocal staff_no
        staff_no += 1
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        sid = f"staff-{staff_no}"
        email = f"{given.lower()}.{family.lower()}.{staff_no}@{slug}.example"
        users.append([sid, "active", "", "true", school_sid, role, email, "", given, family,
                      "", f"T{staff_no:06d}", email, "", "", "", "", ""])  # fmt: skip
        return sid

    for index, count in enumerate(per_school):
        word = SCHOOL_WORDS[index % len(SCHOOL_WORDS)]
        kind = "Elementary" if index % 3 != 2 else "High School"
        grades = ELEMENTARY if kind == "Elementary" else SECONDARY
        school_sid = f"school-{index + 1}"
        suffix = f" {index // len(SCHOOL_WORDS) + 1}" if index >= len(SCHOOL_WORDS) else ""
        orgs.append([school_sid, "active", "", f"{word}{suffix} {kind}", "school",
                     f"S{index + 1:04d}", "district"])  # fmt: skip
        staff(school_sid, "administrator")
        per_grade = [count // len(grades) + (1 if g < count % len(grades) else 0)
                     for g in range(len(grades))]  # fmt: skip
        for grade, n_grade in zip(grades, per_grade, strict=True):
            rooms = max(1, -(-n_grade // CLASS_SIZE))
            room_sids = []
            for room in range(rooms):
                sid = f"class-{school_sid}-{grade}-{room + 1}"
                room_sids.append(sid)
                classes.append([sid, "active", "", f"Grade {grade} homeroom {room + 1}", grade,
                                "", "", "homeroom", "", school_sid, f"term-{end.year}", "", "",
                                ""])  # fmt: skip
                teacher = staff(school_sid, "teacher")
                enrollments.append([f"enr-{sid}-t", "active", "", sid, school_sid, teacher,
                                    "teacher", "true", start.isoformat(), ""])  # fmt: skip
            subject_sids = []
            if grade in SECONDARY:
                for subject in SUBJECTS:
                    for room in range(rooms):
                        sid = f"class-{school_sid}-{grade}-{subject[:4].lower()}-{room + 1}"
                        subject_sids.append((subject, room, sid))
                        classes.append([sid, "active", "", f"{subject} {grade}-{room + 1}",
                                        grade, "", "", "scheduled", "", school_sid,
                                        f"term-{end.year}", subject, "", ""])  # fmt: skip
                        teacher = staff(school_sid, "teacher")
                        enrollments.append([f"enr-{sid}-t", "active", "", sid, school_sid,
                                            teacher, "teacher", "true", start.isoformat(),
                                            ""])  # fmt: skip
            for i in range(n_grade):
                student_no += 1
                sid = f"stu-{student_no}"
                given, family = rng.choice(GIVEN), rng.choice(FAMILY)
                users.append([sid, "active", "", "true", school_sid, "student", "", "", given,
                              family, "", str(student_no), "", "", "", "", grade, ""])  # fmt: skip
                age = 5 + (ELEMENTARY + SECONDARY).index(grade)
                birth = date(start.year - age, rng.randint(1, 12), rng.randint(1, 28))
                demographics.append([sid, "active", "", birth.isoformat()])
                room = i % rooms
                enrollments.append([f"enr-{sid}-home", "active", "", room_sids[room], school_sid,
                                    sid, "student", "false", start.isoformat(), ""])  # fmt: skip
                for subject, subject_room, class_sid in subject_sids:
                    if subject_room == room:
                        enrollments.append([f"enr-{sid}-{subject[:4].lower()}", "active", "",
                                            class_sid, school_sid, sid, "student", "false",
                                            start.isoformat(), ""])  # fmt: skip

    files = {
        "manifest.csv": _csv(
            ["propertyName", "value"],
            [
                ["manifest.version", "1.0"],
                ["oneroster.version", "1.1"],
                *[
                    [f"file.{name[:-4]}", "bulk"]
                    for name in (
                        "orgs.csv",
                        "academicSessions.csv",
                        "classes.csv",
                        "users.csv",
                        "enrollments.csv",
                        "demographics.csv",
                    )
                ],
                ["file.courses", "absent"],
            ],
        ),  # fmt: skip
        "orgs.csv": _csv(SPEC["orgs.csv"][1], orgs),
        "academicSessions.csv": _csv(SPEC["academicSessions.csv"][1], sessions),
        "classes.csv": _csv(SPEC["classes.csv"][1], classes),
        "users.csv": _csv(SPEC["users.csv"][1][:18], users),
        "enrollments.csv": _csv(SPEC["enrollments.csv"][1], enrollments),
        "demographics.csv": _csv(
            ["sourcedId", "status", "dateLastModified", "birthDate"], demographics
        ),  # fmt: skip
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()
