"""What keeps every child's team honest: students in a screener's lowest band with no open
plan in that focus area, and plans that have gone quiet or run past their end unfinished.

The same three lists are asked for three audiences: a person's home page (the plans they
provide), a school's coverage page and a team's next meeting (the plans of the students
shown there)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Window

from continuum.models import OPEN_STATUSES, ProgressPoint, SupportPlan
from crsys.aggregates import JoinedText, split_text
from districts.permissions import Actor
from schools.models import Student
from schools.selectors import visible_students
from screeners.models import ScreeningWindow, StudentBandSnapshot

LIMIT = 25


@dataclass(frozen=True)
class Unsupported:
    """A student in the lowest band of one or more screeners, with no support in their
    focus areas."""

    student_id: int
    name: str
    screeners: list[str]


@dataclass(frozen=True)
class Alerts:
    unsupported: list[Unsupported]
    unsupported_total: int
    quiet: list[SupportPlan]  # open, started, and no score in two monitoring periods
    overdue: list[SupportPlan]  # open past their end date: finish with an outcome

    @property
    def count(self) -> int:
        return self.unsupported_total + len(self.quiet) + len(self.overdue)


def unsupported_students(
    *, actor: Actor, among: QuerySet[Student] | None = None, limit: int = LIMIT
) -> tuple[list[Unsupported], int]:
    """Students the actor may see (of ``among``, itself read through the visibility rule,
    when given) whose band, in the latest recomputed window, is a screener's lowest, with no
    open plan in the screener's focus area: at most ``limit`` of them by name, each once
    with the screeners concerned, and how many in all; one query."""

    latest = (
        ScreeningWindow.objects.filter(last_recomputed_at__isnull=False)
        .order_by("-opens_on")
        .values("pk")[:1]
    )
    supported = SupportPlan.objects.filter(
        student_id=OuterRef("student_id"),
        status__in=OPEN_STATUSES,
        focus_area_id=OuterRef("screener__focus_area_id"),
    )
    students = among if among is not None else visible_students(actor=actor)
    rows = (
        StudentBandSnapshot.objects.filter(
            window_id=Subquery(latest), band_rank=0, student__is_active=True
        )
        .filter(student__in=students.values("pk"))
        .exclude(Exists(supported))
        .values(
            "student_id",
            "student__preferred_name",
            "student__given_name",
            "student__family_name",
        )
        # One row a student; the window counts the students before the limit.
        .annotate(screeners=JoinedText("screener__name"), total=Window(Count("*")))
        .order_by("student__family_name", "student__given_name", "student_id")
    )[:limit]
    found = [
        Unsupported(
            row["student_id"],
            f"{row['student__preferred_name'] or row['student__given_name']} "
            f"{row['student__family_name']}",
            sorted(split_text(row["screeners"])),
        )
        for row in rows
    ]
    return found, rows[0]["total"] if found else 0


def _quiet_and_overdue(
    plans: QuerySet[SupportPlan], today: datetime.date
) -> tuple[list[SupportPlan], list[SupportPlan]]:
    """(quiet, overdue) among the open ``plans``, in one query: overdue, past the end date
    with no outcome; quiet, started two monitoring periods ago with no score since."""
    last_score = (
        ProgressPoint.objects.filter(plan_id=OuterRef("pk")).order_by("-date").values("date")[:1]
    )
    found = list(
        plans.filter(status__in=OPEN_STATUSES)
        .annotate(last_score_on=Subquery(last_score))
        .select_related("student", "support")
        .order_by("student__family_name", "student__given_name", "pk")
    )
    overdue = [p for p in found if p.end_date < today]
    quiet = []
    for plan in found:
        two_periods_ago = today - datetime.timedelta(weeks=2 * plan.monitor_every_weeks)
        if plan in overdue or plan.start_date > two_periods_ago:
            continue
        if plan.last_score_on is None or plan.last_score_on < two_periods_ago:
            quiet.append(plan)
    return quiet, overdue


def my_plan_alerts(
    *, actor: Actor, today: datetime.date
) -> tuple[list[SupportPlan], list[SupportPlan]]:
    """(quiet, overdue) among the open plans the actor provides (or made, with no provider)."""
    mine = SupportPlan.objects.filter(
        Q(responsible_id=actor.user_id) | Q(responsible__isnull=True, created_by_id=actor.user_id)
    )
    return _quiet_and_overdue(mine, today)


def alerts_for(*, actor: Actor, today: datetime.date) -> Alerts:
    """A person's home page: unsupported students they may see, and their own plans."""
    unsupported, total = unsupported_students(actor=actor)
    quiet, overdue = my_plan_alerts(actor=actor, today=today)
    return Alerts(unsupported, total, quiet, overdue)


def alerts_among(*, actor: Actor, students: QuerySet[Student], today: datetime.date) -> Alerts:
    """A group's alerts (a school's students on its coverage page, a team's at its next
    meeting): ``students`` is read through the visibility rule by the caller. Three
    queries."""
    unsupported, total = unsupported_students(actor=actor, among=students)
    plans = SupportPlan.objects.filter(student__in=students.values("pk"))
    quiet, overdue = _quiet_and_overdue(plans, today)
    return Alerts(unsupported, total, quiet, overdue)
