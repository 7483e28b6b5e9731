"""The demo's history for what is working and for the district's supports to schools: past
support plans between earlier screening windows (so band movement has something to show),
the what-is-working rows rebuilt, and what the district offers its schools, with each
school's tier and district supports. Running it again adds nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from continuum import effects, school_services, services
from continuum.models import OPEN_STATUSES, PlanStatus, Support, SupportPlan
from continuum.school_models import DistrictSupport, SchoolSupportTier
from crsys.tenancy.context import district_context
from districts.models import District, User
from districts.selectors import resolve_actor
from schools.models import School, Student
from screeners import selectors as screener_selectors
from screeners.models import StudentBandSnapshot

#: Past plans per pair of windows, at most: a demo, not a census.
HISTORY_PLANS = 120
OUTCOME = "Completed the cycle; the team reviewed the scores at the next meeting."

# (name, area, level, frequency, provided by the demo's district users)
DISTRICT_SUPPORTS = [
    ("Principal learning network", "leadership", "universal", "Monthly", ("admin", "leader")),
    ("Collaborative response coaching", "leadership", "targeted", "Twice a month", ("leader",)),
    ("Leadership team mentoring", "leadership", "intensive", "Weekly", ("leader",)),
    ("Common screener training", "data", "universal", "Each fall", ("admin",)),
    (
        "Data conversations with the school team",
        "data",
        "targeted",
        "After each window",
        ("admin", "leader"),
    ),  # fmt: skip
    ("Literacy instructional coaching", "instruction", "targeted", "Weekly visits", ("leader",)),
    ("Numeracy instructional coaching", "instruction", "targeted", "Weekly visits", ("leader",)),
    (
        "Embedded literacy specialist",
        "instruction",
        "intensive",
        "Three days a week",
        ("leader",),
    ),  # fmt: skip
    ("Mental health literacy for staff", "well_being", "universal", "Each term", ("admin",)),
    ("School counselling consultation", "well_being", "targeted", "As requested", ("leader",)),
    ("Attendance case conferences", "well_being", "intensive", "Every two weeks", ("leader",)),
    ("Inclusive education consultant", "inclusion", "targeted", "Monthly", ("leader",)),
]
# Schools by name order: (tier, district supports given) for the first few; the rest universal.
SCHOOL_TIERS = [
    ("targeted", ["Literacy instructional coaching", "Data conversations with the school team"]),
    (
        "intensive",
        [
            "Embedded literacy specialist",
            "Leadership team mentoring",
            "Attendance case conferences",
        ],
    ),  # fmt: skip
    ("targeted", ["Numeracy instructional coaching"]),
]


def seed_history(*, district: District, admin_email: str) -> int:
    """Completed plans for students in the lower bands of each earlier window, then the
    what-is-working rows of every processed window. Returns the plans added."""
    with district_context(district):
        if SupportPlan.objects.filter(outcome=OUTCOME).exists():
            return 0
        admin = User.objects.find_by_email(admin_email)
        actor = resolve_actor(user=admin, district_slug=district.slug)[1]
        supports = list(
            Support.objects.filter(school__isnull=True, is_archived=False, tier__number__in=[2, 3])
            .order_by("name")
        )  # fmt: skip
        windows = sorted(
            screener_selectors.windows_with_snapshots(district_id=district.pk),
            key=lambda w: w.opens_on,
        )
        added = 0
        for earlier, later in zip(windows, windows[1:], strict=False):
            lowest = (
                StudentBandSnapshot.objects.filter(window=earlier, band_rank__lte=1)
                .order_by("student_id")
                .values_list("student_id", flat=True)
                .distinct()[: HISTORY_PLANS * 2]
            )
            # Every other student of the lower bands gets a support: the rest are the
            # students like them who did not, the comparison.
            chosen = Student.objects.filter(pk__in=list(lowest)[::2]).order_by("pk")
            start = earlier.closes_on + datetime.timedelta(days=7)
            for n, student in enumerate(chosen):
                support = supports[n % len(supports)]
                if start >= later.opens_on:
                    break
                if SupportPlan.objects.filter(
                    student=student, support=support, status__in=OPEN_STATUSES
                ).exists():
                    continue  # the student has it now (the demo teacher's plans)
                plan = services.plan_create(
                    actor=actor, student=student, support=support,
                    goal="Move up a band by the next screening window", start_date=start,
                    duration_weeks=8, sessions_per_week=3, minutes_per_session=20,
                )  # fmt: skip
                services.plan_update(
                    actor=actor, plan=plan, status=PlanStatus.COMPLETED, outcome=OUTCOME
                )
                added += 1
        for window in windows:
            effects.effects_recompute(
                district_id=district.pk, window_id=window.pk, now=timezone.now()
            )
        return added


def seed_district_supports(*, district: District, slug: str) -> int:
    """What the district offers its schools, who provides each, and the first schools'
    tiers and district supports. Returns the supports added."""
    with district_context(district):
        if DistrictSupport.objects.exists():
            return 0
        leader = User.objects.find_by_email(f"leader@{slug}.example")
        actor = resolve_actor(user=leader, district_slug=district.slug)[1]
        people = {
            local: User.objects.find_by_email(f"{local}@{slug}.example")
            for local in ("admin", "leader")
        }
        offered = {}
        for name, area, level, frequency, providers in DISTRICT_SUPPORTS:
            offered[name] = school_services.district_support_create(
                actor=actor, name=name, area=area, level=level, frequency=frequency,
                providers=[people[p] for p in providers],
            )  # fmt: skip
        start = district.today() - datetime.timedelta(weeks=10)
        schools = School.objects.order_by("name", "pk")[: len(SCHOOL_TIERS)]
        for school, (level, names) in zip(schools, SCHOOL_TIERS, strict=False):
            if SchoolSupportTier.objects.filter(school=school).exists():
                continue
            school_services.school_support_tier_set(
                actor=actor, school=school, level=level, note="Set at the district team meeting"
            )
            for name in names:
                school_services.assign_school_support(
                    actor=actor, school=school, support=offered[name], start_date=start
                )
        return len(offered)
