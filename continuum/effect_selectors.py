"""Reads of what is working: sums of the precomputed ``SupportEffect`` rows over the schools
whose counts the actor may read (``permissions.effect_school_ids``); never one student."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum

from continuum import permissions
from continuum.effect_models import SupportEffect
from continuum.selectors import visible_supports
from districts.permissions import ALL_SCHOOLS, Actor
from screeners.models import ScreeningWindow, Season

#: The focus area a screener measures, as the key of a continuum focus area.
SCREENER_AREA = "screener__focus_area__key"
#: Below this many students who received a support, its figures are a small sample.
SMALL_SAMPLE = 10
COUNTS = ["received", "received_up", "received_same", "received_down",
          "others", "others_up", "others_same", "others_down"]  # fmt: skip


@dataclass(frozen=True)
class Movement:
    students: int
    up: int
    same: int
    down: int

    def _share(self, n: int) -> int | None:
        return round(100 * n / self.students) if self.students else None

    @property
    def up_percent(self) -> int | None:
        return self._share(self.up)

    @property
    def same_percent(self) -> int | None:
        return self._share(self.same)

    @property
    def down_percent(self) -> int | None:
        return self._share(self.down)


@dataclass(frozen=True)
class Effect:
    support_id: int
    screener_name: str
    screener_area: str
    window_id: int
    window_opens_on: datetime.date
    windows: str  # "Fall → Winter 2026"
    received: Movement
    others: Movement

    @property
    def is_small(self) -> bool:
        return self.received.students < SMALL_SAMPLE


def _scoped(actor: Actor):
    ids = permissions.effect_school_ids(actor)
    rows = SupportEffect.objects.all()
    if ids is ALL_SCHOOLS:
        return rows
    return rows.filter(school_id__in=sorted(ids))


def effect_windows(*, actor: Actor) -> list[ScreeningWindow]:
    """The windows (newest first) that have what-is-working rows the actor may read."""
    if not permissions.can_see_effects(actor):
        return []
    ids = _scoped(actor).values("window_id").distinct()
    windows = ScreeningWindow.objects.filter(pk__in=ids).select_related("school_year")
    return list(windows.order_by("-opens_on"))


def support_effects(
    *, actor: Actor, window: ScreeningWindow | None = None, support_ids=None
) -> list[Effect]:
    """Band movement per support, screener and pair of windows, summed over the schools the
    actor may read and the supports they see; ``window``: that pair only. One query."""
    if not permissions.can_see_effects(actor):
        return []
    rows = _scoped(actor).filter(support__in=visible_supports(actor=actor).values("pk"))
    if window is not None:
        rows = rows.filter(window=window)
    if support_ids is not None:
        rows = rows.filter(support_id__in=list(support_ids))
    sums = rows.values(
        "support_id", "screener__name", SCREENER_AREA, "window_id", "window__opens_on",
        "window__name", "window__season", "previous_window__name", "previous_window__season",
    ).annotate(**{f"n_{c}": Sum(c) for c in COUNTS}).order_by()  # fmt: skip
    effects = [
        Effect(
            support_id=r["support_id"],
            screener_name=r["screener__name"],
            screener_area=r[SCREENER_AREA],
            window_id=r["window_id"],
            window_opens_on=r["window__opens_on"],
            windows=f"{_window_name(r, 'previous_window')} → {_window_name(r, 'window')} "
            f"{r['window__opens_on']:%Y}",
            received=Movement(*(r[f"n_received{s}"] for s in ("", "_up", "_same", "_down"))),
            others=Movement(*(r[f"n_others{s}"] for s in ("", "_up", "_same", "_down"))),
        )
        for r in sums
    ]
    return sorted(
        effects,
        key=lambda e: (-e.window_opens_on.toordinal(), -e.received.students, e.screener_name),
    )


def _window_name(row: dict, prefix: str) -> str:
    return row[f"{prefix}__name"] or Season(row[f"{prefix}__season"]).label


def headline_effects(*, actor: Actor, area_of: dict[int, str]) -> dict[int, Effect]:
    """Per support (``area_of``: support id -> its focus area's key), the one figure a grid
    cell shows: the latest pair of windows, on a screener of the support's own focus area
    when there is one, else the screener most of its students took."""
    best: dict[int, Effect] = {}
    for effect in support_effects(actor=actor, support_ids=list(area_of)):
        area = area_of[effect.support_id]
        current = best.get(effect.support_id)
        if current is None or (
            current.window_id == effect.window_id
            and current.screener_area != area
            and effect.screener_area == area
        ):
            best[effect.support_id] = effect  # sorted: latest window, most students first
    return best


def own_area_first(rows: list[tuple], key=lambda support: support.focus_area.key) -> list[tuple]:
    """(support, effect) rows with each support's own focus area's screener first."""
    return sorted(rows, key=lambda row: row[1].screener_area != key(row[0]))
