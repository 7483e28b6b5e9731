"""The demo district's priorities (in the five assurance areas), their measures (two from the
screeners, a survey and two figures per school), and a year of action plans: every school has
one with a goal and check-ins; the demo principal's has strategies, commitments (one
overdue), evidence, the plan → act → observe → reflect cycle, and a leader's questions, one
answered. Running it again adds nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from crsys.tenancy.context import district_context
from districts.models import District, User
from districts.permissions import SYSTEM, Capability
from districts.selectors import resolve_actor
from leadership import services
from leadership.models import ActionPlan, AssuranceArea, Priority
from schools.models import School
from schools.selectors import current_school_year
from screeners.models import Screener

# (area key, priority, [(measure, kind, source, screener name or None, target)])
PRIORITIES = [
    ("growth", "Every student reads and computes at grade level", [
        ("Reading: % at or above benchmark, fall window", "lag", "screener",
         "Reading Benchmark", 75),
        ("Numeracy: % at or above benchmark, fall window", "lag", "screener",
         "Numeracy Screener", 70),
    ]),
    ("supports", "Every student belongs and attends", [
        ("Students who feel they belong (survey)", "lead", "survey", None, 85),
        ("Students attending 90% of days or more", "lag", "manual", None, 85),
    ]),
    ("teaching", "Collaborative teams meet as planned", [
        ("Collaborative team meetings held as scheduled", "lead", "manual", None, 90),
    ]),
]  # fmt: skip
# A school's figures cycle through these (this year, previous): every evaluation shows up.
FIGURES = [
    (92, 88), (86, 80), (74, 75), (66, 58), (52, 50), (35, 52), (81, 70), (58, 60), (71, 71),
    (62, 61),
]  # fmt: skip
CHECK_INS = [
    ("plan", "on_track", "We chose guided reading for grade 2–3 and set the fall baseline."),
    ("act", "at_risk", "Groups started late: two EAs were reassigned in October."),
    ("observe", "on_track", "Running records show 9 of 14 students up a level."),
]


def seed_leadership(*, district: District, leader_email: str, principal_email: str, today) -> int:
    """Priorities, measures, figures and plans (once); how many plans were made."""
    with district_context(district):
        services.leadership_defaults_ensure(district_id=district.pk)
        year = current_school_year(district=district, today=today)
        if year is None or Priority.objects.filter(school_year=year).exists():
            return 0
        leader = resolve_actor(user=User.objects.find_by_email(leader_email),
                               district_slug=district.slug)[1]  # fmt: skip
        principal_user = User.objects.find_by_email(principal_email)
        principal = resolve_actor(user=principal_user, district_slug=district.slug)[1]
        areas = {a.key: a for a in AssuranceArea.objects.all()}
        screeners = {s.name: s for s in Screener.objects.all()}
        schools = list(School.objects.filter(is_active=True).order_by("name", "pk"))
        priorities = []
        for area, title, measures in PRIORITIES:
            priority = services.priority_save(
                actor=leader, school_year=year, area=areas[area], title=title
            )
            priorities.append(priority)
            for position, (name, kind, source, screener, target) in enumerate(measures):
                measure = services.measure_save(
                    actor=leader, priority=priority, name=name, kind=kind, source=source,
                    screener=screeners.get(screener), season="fall" if screener else "",
                    target=Decimal(target), position=position,
                )  # fmt: skip
                if source != "screener":
                    _figures(leader, measure, schools, shift=position + len(priorities))
        return _plans(principal, principal_user, leader, schools, priorities, year, today)


def _figures(actor, measure, schools, *, shift: int) -> None:
    for i, school in enumerate(schools):
        value, previous = FIGURES[(i + shift) % len(FIGURES)]
        services.figure_set(
            actor=actor, measure=measure, school=school, value=Decimal(value),
            previous=Decimal(previous), refresh=False,
        )  # fmt: skip
    services.evaluations_refresh(district_id=measure.district_id, measures=[measure])


def _plans(principal, principal_user, leader, schools, priorities, year, today) -> int:
    made = 0
    keeps = principal.school_ids(Capability.MANAGE_SCHOOL)
    for i, school in enumerate(schools):
        if ActionPlan.objects.filter(school=school, school_year=year).exists():
            continue
        # The demo principal writes their school's plan; the platform seeds the others.
        actor = principal if school.pk in keeps else SYSTEM
        plan = services.plan_create(actor=actor, school=school, school_year=year)
        goal = services.goal_create(
            actor=actor, plan=plan, priority=priorities[0],
            title="Grade 2–3 readers reach benchmark by spring",
        )  # fmt: skip
        steps = CHECK_INS if actor is principal else CHECK_INS[: 1 + i % 3]
        for phase, status, narrative in steps:
            services.check_in_add(
                actor=actor, goal=goal, phase=phase, status=status, narrative=narrative
            )
        if actor is principal:
            _rich_plan(principal, principal_user, leader, plan, goal, priorities, today)
        made += 1
    return made


def _rich_plan(principal, principal_user, leader, plan, goal, priorities, today) -> None:
    services.strategy_add(actor=principal, goal=goal, text="Guided reading groups, 4 × a week")
    services.strategy_add(actor=principal, goal=goal, text="Fall and winter data at every CTM")
    late = services.commitment_create(
        actor=principal, goal=goal, text="Timetable EA time for reading groups",
        owner=principal_user, due_on=today - datetime.timedelta(days=10),
    )  # fmt: skip
    services.commitment_create(
        actor=principal, goal=goal, text="Share the winter results with staff",
        owner=principal_user, due_on=today + datetime.timedelta(days=30),
    )  # fmt: skip
    services.evidence_add(
        actor=principal, goal=goal, title="Running records, October",
        url="https://example.org/running-records", note="Shared drive",
    )  # fmt: skip
    answered = services.comment_add(
        actor=leader, goal=goal, text="How is that going? What does that look like in practice?"
    )
    services.comment_answer(
        actor=principal, comment=answered,
        answer="Groups run four mornings a week; the coach models one a week.",
    )  # fmt: skip
    services.comment_add(
        actor=leader, goal=goal, commitment=late, text="What support do you need for the EA time?"
    )
    belonging = services.goal_create(
        actor=principal,
        plan=plan,
        priority=priorities[1],
        title="Every student has a trusted adult",
    )
    services.check_in_add(
        actor=principal, goal=belonging, phase="plan", status="off_track",
        narrative="Mapping started; staff changes delayed it.",
    )  # fmt: skip
