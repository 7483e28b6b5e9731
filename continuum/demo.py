"""The demo district's continuum: supports every school has (divisional), and the first
school's own, across four focus areas and four tiers. Running it again adds nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from continuum import services
from continuum.models import FocusArea, Support, SupportPlan, Tier
from crsys.tenancy.context import district_context
from districts.models import District, User
from districts.selectors import resolve_actor
from schools.models import Enrolment, School
from schools.selectors import district_today

# (focus area key, tier, name, provider, frequency, weeks, divisional)
SUPPORTS = [
    (
        "literacy",
        1,
        "Daily read-aloud and shared reading",
        "Classroom teacher",
        "Daily",
        None,
        True,
    ),
    ("literacy", 1, "Word-study block", "Classroom teacher", "4 × 20 min a week", None, True),
    ("literacy", 1, "Classroom library with levelled texts", "Classroom teacher", "", None, True),
    ("literacy", 2, "Guided reading group", "Classroom teacher", "3 × 20 min a week", 6, True),
    ("literacy", 2, "Repeated reading for fluency", "Classroom teacher", "Daily, 10 min", 6, True),
    ("literacy", 2, "Reading buddy", "Classroom teacher", "2 × 15 min a week", 6, False),
    (
        "literacy",
        3,
        "Small-group phonics intervention",
        "Learning coach",
        "4 × 30 min a week",
        8,
        True,
    ),
    (
        "literacy",
        3,
        "Levelled Literacy Intervention",
        "Literacy interventionist",
        "5 × 30 min a week",
        10,
        False,
    ),
    (
        "literacy",
        4,
        "Speech-language pathology assessment",
        "Division SLP",
        "As scheduled",
        None,
        True,
    ),
    ("numeracy", 1, "Number talks", "Classroom teacher", "3 × 10 min a week", None, True),
    ("numeracy", 1, "Manipulatives in every lesson", "Classroom teacher", "Daily", None, True),
    ("numeracy", 2, "Fact-fluency practice", "Classroom teacher", "Daily, 10 min", 6, True),
    ("numeracy", 2, "Math conference with the teacher", "Classroom teacher", "Weekly", 6, False),
    ("numeracy", 3, "Math intervention group", "Learning coach", "3 × 30 min a week", 8, True),
    (
        "numeracy",
        3,
        "Pre-teaching the next unit",
        "Educational assistant",
        "2 × 20 min a week",
        6,
        False,
    ),
    (
        "numeracy",
        4,
        "Division numeracy consultant visit",
        "Division numeracy lead",
        "Monthly",
        None,
        True,
    ),
    ("well_being", 1, "Morning circle", "Classroom teacher", "Daily", None, True),
    ("well_being", 1, "Zones of regulation in class", "Classroom teacher", "Daily", None, True),
    ("well_being", 2, "Check-in / check-out", "Classroom teacher", "Daily", 6, True),
    ("well_being", 2, "Calm corner plan", "Classroom teacher", "As needed", 6, False),
    ("well_being", 3, "Lunch group with the counsellor", "School counsellor", "Weekly", 8, True),
    ("well_being", 3, "Mentor from staff", "School staff mentor", "Weekly", 10, False),
    (
        "well_being",
        4,
        "Mental health therapist referral",
        "Community mental health",
        "Weekly",
        None,
        True,
    ),
    (
        "well_being",
        4,
        "Family wellness worker",
        "Division family wellness",
        "As scheduled",
        None,
        True,
    ),
    ("attendance", 1, "Warm welcome at the door", "All staff", "Daily", None, True),
    (
        "attendance",
        1,
        "Attendance celebrated with the class",
        "Classroom teacher",
        "Weekly",
        None,
        True,
    ),
    ("attendance", 2, "Call home after two absences", "Classroom teacher", "As needed", 4, True),
    (
        "attendance",
        3,
        "Attendance plan with the family",
        "Assistant principal",
        "Every 2 weeks",
        8,
        True,
    ),
    ("attendance", 3, "Morning greeter role", "Educational assistant", "Daily", 6, False),
    (
        "attendance",
        4,
        "Division attendance counsellor",
        "Division attendance team",
        "As scheduled",
        None,
        True,
    ),
    ("behaviour", 2, "Behaviour-specific praise plan", "Classroom teacher", "Daily", 6, True),
    (
        "behaviour",
        3,
        "Functional behaviour assessment",
        "Learning coach",
        "Once, then reviewed",
        6,
        True,
    ),
]


# (support, weekly scores from a baseline of 30 towards an aim of 60; the teacher provides)
PLANS = [
    ("Guided reading group", (31, 36, 40, 46)),  # on track
    ("Fact-fluency practice", (30, 31, 30, 31)),  # not on track
    ("Check-in / check-out", (30,)),  # needs data
]


def seed_plans(*, district: District, teacher_email: str, today) -> int:
    """Three support plans with progress scores for the demo teacher's students (once)."""

    with district_context(district):
        if SupportPlan.objects.exists():
            return 0
        teacher = User.objects.find_by_email(teacher_email)
        actor = resolve_actor(user=teacher, district_slug=district.slug)[1]
        students = [
            e.student
            for e in Enrolment.objects.current(on=today)
            .filter(classroom__staff__user=teacher)
            .select_related("student")
            .order_by("student__family_name", "student__pk")[: len(PLANS)]
        ]
        start = today - datetime.timedelta(weeks=3)
        for student, (name, scores) in zip(students, PLANS, strict=False):
            plan = services.plan_create(
                actor=actor,
                student=student,
                support=Support.objects.get(name=name, school__isnull=True),
                goal="Reach the grade-level benchmark",
                measure="points on the weekly probe",
                baseline=Decimal(30),
                target=Decimal(60),
                start_date=start,
                duration_weeks=8,
                sessions_per_week=3,
                minutes_per_session=20,
                responsible=teacher,
                student_goal="I want to get faster",
            )
            for week, score in enumerate(scores):
                if start + datetime.timedelta(weeks=week) > district_today(district):
                    break  # a demo "as of" a later day: no score from the future
                services.progress_add(
                    actor=actor,
                    plan=plan,
                    date=start + datetime.timedelta(weeks=week),
                    score=Decimal(score),
                )
        return len(students)


def seed_continuum(*, district: District, admin_email: str) -> int:
    """The demo's supports (added by the demo's district admin); how many were added."""
    with district_context(district):
        services.continuum_defaults_ensure(district_id=district.pk)
        admin = User.objects.find_by_email(admin_email)
        actor = resolve_actor(user=admin, district_slug=district.slug)[1]
        school = School.objects.order_by("name", "pk").first()
        areas = {a.key: a for a in FocusArea.objects.all()}
        tiers = {t.number: t for t in Tier.objects.all()}
        have = set(Support.objects.values_list("school_id", "name"))
        added = 0
        for area, tier, name, provider, frequency, weeks, divisional in SUPPORTS:
            school_id = None if divisional else school.pk
            if (school_id, name) in have:
                continue
            services.support_create(
                actor=actor,
                school_id=school_id,
                name=name,
                focus_area=areas[area],
                tier=tiers[tier],
                provider=provider,
                frequency=frequency,
                duration_weeks=weeks,
                description="",
            )
            added += 1
        return added
