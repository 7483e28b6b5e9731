"""What keeps every child's team honest: students in a screener's lowest band with no open
plan in that focus area, and plans that have gone quiet or run past their end unfinished."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery

from continuum.models import OPEN_STATUSES, ProgressPoint, SupportPlan
from districts.permissions import Actor
from schools.selectors import visible_students
from screeners.models import ScreeningWindow, StudentBandSnapshot

LIMIT = 25


@dataclass(frozen=True)
class Unsupported:
    student_id: int
    name: str
    screener: str
    focus_area_key: str


@dataclass(frozen=True)
class Alerts:
    unsupported: list[Unsupported]
    unsupported_total: int
    quiet: list[SupportPlan]  # open, started, and no score in two monitoring periods
    overdue: list[SupportPlan]  # open past their end date: finish with an outcome

    @property
    def count(self) -> int:
        return self.unsupported_total + len(self.quiet) + len(self.overdue)


def unsupported_students(*, actor: Actor, limit: int = LIMIT) -> tuple[list[Unsupported], int]:
    """Students the actor may see whose band, in the latest recomputed window, is a
    screener's lowest, with no open plan in the screener's focus area."""

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
    rows = (
        StudentBandSnapshot.objects.filter(
            window_id=Subquery(latest), band_rank=0, student__is_active=True
        )
        .filter(student__in=visible_students(actor=actor).values("pk"))
        .exclude(Exists(supported))
        .order_by("student__family_name", "student__given_name", "screener__name")
        .values_list(
            "student_id",
            "student__preferred_name",
            "student__given_name",
            "student__family_name",
            "screener__name",
            "screener__focus_area__key",
        )
    )
    found = [
        Unsupported(pk, f"{preferred or given} {family}", screener, key)
        for pk, preferred, given, family, screener, key in rows[: limit + 1]
    ]
    total = len(found) if len(found) <= limit else rows.count()
    return found[:limit], total


def my_plan_alerts(
    *, actor: Actor, today: datetime.date
) -> tuple[list[SupportPlan], list[SupportPlan]]:
    """(quiet, overdue) among the open plans the actor provides (or made, with no provider)."""
    last_score = (
        ProgressPoint.objects.filter(plan_id=OuterRef("pk")).order_by("-date").values("date")[:1]
    )
    plans = list(
        SupportPlan.objects.filter(status__in=OPEN_STATUSES)
        .filter(
            Q(responsible_id=actor.user_id)
            | Q(responsible__isnull=True, created_by_id=actor.user_id)
        )
        .annotate(last_score_on=Subquery(last_score))
        .select_related("student", "support")
    )
    overdue = [p for p in plans if p.end_date < today]
    quiet = [
        p
        for p in plans
        if p not in overdue
        and p.start_date <= today - datetime.timedelta(weeks=2 * p.monitor_every_weeks)
        and (
            p.last_score_on is None
            or p.last_score_on < today - datetime.timedelta(weeks=2 * p.monitor_every_weeks)
        )
    ]
    return quiet, overdue


def alerts_for(*, actor: Actor, today: datetime.date) -> Alerts:
    unsupported, total = unsupported_students(actor=actor)
    quiet, overdue = my_plan_alerts(actor=actor, today=today)
    return Alerts(unsupported, total, quiet, overdue)
