"""What a new district's continuum starts with: Collaborative Response's four tiers, and the
focus areas meetings and screeners already name (a district renames, adds and archives)."""

from __future__ import annotations

FOCUS_AREAS = [
    ("literacy", "Literacy"),
    ("numeracy", "Numeracy"),
    ("well_being", "Well-being"),
    ("attendance", "Attendance"),
    ("behaviour", "Behaviour"),
    ("executive_functioning", "Executive functioning"),
    ("other", "Other"),
]

TIERS = [
    (1, "Universal", "For all students: the classroom's everyday practice."),
    (2, "In the classroom", "For some students, by the classroom teacher."),
    (3, "In the school", "For a few students, by someone other than the classroom teacher."),
    (4, "Beyond the school", "Division or community services, and specialists."),
]
