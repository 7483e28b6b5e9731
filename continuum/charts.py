"""A progress-monitoring chart as plain numbers for an SVG the server draws (it prints, and
needs no script): scores over time, the baseline, the aim line from the baseline at the start
to the target at the end, and the least-squares trend once there are three scores."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # "12 Oct: 34"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Phase:
    """A phase line: where the plan changed, numbered as the list below the chart is."""

    x: float
    number: int
    label: str  # "12 Nov: schedule 3 × 20 min a week → 4 × 30 min a week"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    path: str  # the scores joined, "x,y x,y …"
    baseline: Line | None
    aim: Line | None
    trend: Line | None
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    weekly_gain: float | None  # the trend's rate of improvement, per week
    aim_weekly_gain: float | None
    phases: list[Phase]


def _fit(days: list[float], scores: list[float]) -> tuple[float, float]:
    """Least-squares slope and intercept of score on day."""
    n = len(days)
    mean_x, mean_y = sum(days) / n, sum(scores) / n
    spread = sum((x - mean_x) ** 2 for x in days)
    slope = (
        0.0
        if spread == 0
        else sum((x - mean_x) * (y - mean_y) for x, y in zip(days, scores, strict=True)) / spread
    )
    return slope, mean_y - slope * mean_x


def progress_chart(
    *,
    start: datetime.date,
    end: datetime.date,
    scores: list[tuple[datetime.date, Decimal]],
    baseline: Decimal | None,
    target: Decimal | None,
    changes: list[tuple[datetime.date, str]] = (),
) -> Chart:
    """``changes``: (date, what changed) of each change to how the plan is given, drawn as
    phase lines."""
    last = max([end, *(d for d, _ in scores), *(d for d, _ in changes)])
    span_days = max((last - start).days, 1)
    values = [float(v) for _, v in scores] + [float(v) for v in (baseline, target) if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high == low:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day: float) -> float:
        return round(LEFT + plot_w * day / span_days, 1)

    def y_of(value: float) -> float:
        return round(TOP + plot_h * (high - value) / (high - low), 1)

    days = [(d - start).days for d, _ in scores]
    points = [
        Point(x_of(day), y_of(float(v)), f"{d:%d %b}: {v.normalize():f}")
        for day, (d, v) in zip(days, scores, strict=True)
    ]
    baseline_line = (
        Line(x_of(0), y_of(float(baseline)), x_of(span_days), y_of(float(baseline)))
        if baseline is not None
        else None
    )
    aim = aim_gain = None
    if baseline is not None and target is not None:
        end_day = (end - start).days
        aim = Line(x_of(0), y_of(float(baseline)), x_of(end_day), y_of(float(target)))
        aim_gain = float(target - baseline) / max(end_day / 7, 1 / 7)
    trend = gain = None
    if len(scores) >= 3:
        slope, intercept = _fit([float(d) for d in days], [float(v) for _, v in scores])
        first, final = min(days), max(days)
        trend = Line(
            x_of(first),
            y_of(intercept + slope * first),
            x_of(final),
            y_of(intercept + slope * final),
        )
        gain = slope * 7
    step = (high - low) / 4
    y_ticks = [(y_of(low + step * i), f"{low + step * i:.4g}") for i in range(5)]
    x_ticks = [
        (x_of((day - start).days), f"{day:%d %b}")
        for day in (start + datetime.timedelta(days=round(span_days * i / 4)) for i in range(5))
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        path=" ".join(f"{p.x},{p.y}" for p in points),
        baseline=baseline_line,
        aim=aim,
        trend=trend,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        weekly_gain=gain,
        aim_weekly_gain=aim_gain,
        phases=[
            Phase(x_of((day - start).days), number, f"{day:%d %b}: {what}")
            for number, (day, what) in enumerate(changes, start=1)
        ],
    )
