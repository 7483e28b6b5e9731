"""Whether a plan is on track, from its scores: the words a caseload shows beside colour."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from continuum import charts
from continuum.models import ProgressPoint, SupportPlan

ON_TRACK, OFF_TRACK, NEEDS_DATA = "on_track", "not_on_track", "needs_data"
LABELS = {ON_TRACK: "On track", OFF_TRACK: "Not on track", NEEDS_DATA: "Needs data"}


@dataclass(frozen=True)
class PlanProgress:
    plan: SupportPlan
    state: str
    why: str
    last_score_on: datetime.date | None

    @property
    def label(self) -> str:
        return LABELS[self.state]


def plan_progress(
    plan: SupportPlan, points: list[ProgressPoint], *, today: datetime.date
) -> PlanProgress:
    """Needs data: fewer than three scores, or none in the last two monitoring periods.
    Otherwise on track when the trend rises at least as fast as the aim line (or, with no
    aim, when it does not fall)."""
    last = max((p.date for p in points), default=None)
    period = datetime.timedelta(weeks=plan.monitor_every_weeks)
    if len(points) < 3:
        return PlanProgress(plan, NEEDS_DATA, f"{len(points)} of 3 scores", last)
    if last is not None and today - last > 2 * period:
        return PlanProgress(plan, NEEDS_DATA, f"no score since {last:%d %b}", last)
    chart = charts.progress_chart(
        start=plan.start_date,
        end=plan.end_date,
        scores=[(p.date, p.score) for p in points],
        baseline=plan.baseline,
        target=plan.target,
    )
    aim = chart.aim_weekly_gain if chart.aim_weekly_gain is not None else 0.0
    gain = chart.weekly_gain or 0.0
    state = ON_TRACK if gain >= aim else OFF_TRACK
    return PlanProgress(plan, state, f"trend {gain:+.2f} a week, aim {aim:+.2f}", last)
