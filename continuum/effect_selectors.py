"""Reads of what is working: sums of the precomputed ``SupportEffect`` rows over the schools
whose counts the actor may read (``permissions.effect_school_ids``); never one student."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from continuum import permissions
from continuum.effect_models import SupportEffect
from continuum.selectors import visible_supports
from districts.permissions import ALL_SCHOOLS, Actor
from screeners.models import Screener, ScreeningWindow

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
    screener: Screener
    window: ScreeningWindow
    previous_window: ScreeningWindow
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
    return list(ScreeningWindow.objects.filter(pk__in=ids).order_by("-opens_on"))


def support_effects(
    *, actor: Actor, window: ScreeningWindow | None = None, support_ids=None
) -> list[Effect]:
    """Band movement per support, screener and pair of windows, summed over the schools the
    actor may read and the supports they see; ``window``: that pair only. Three queries."""
    if not permissions.can_see_effects(actor):
        return []
    rows = _scoped(actor).filter(support__in=visible_supports(actor=actor).values("pk"))
    if window is not None:
        rows = rows.filter(window=window)
    if support_ids is not None:
        rows = rows.filter(support_id__in=list(support_ids))
    sums = list(
        rows.values("support_id", "screener_id", "window_id", "previous_window_id")
        .annotate(**{f"n_{c}": Sum(c) for c in COUNTS})
        .order_by()
    )
    screeners = {s.pk: s for s in Screener.objects.filter(pk__in={r["screener_id"] for r in sums})}
    window_ids = {r["window_id"] for r in sums} | {r["previous_window_id"] for r in sums}
    windows = {w.pk: w for w in ScreeningWindow.objects.filter(pk__in=window_ids)}
    effects = [
        Effect(
            support_id=r["support_id"],
            screener=screeners[r["screener_id"]],
            window=windows[r["window_id"]],
            previous_window=windows[r["previous_window_id"]],
            received=Movement(*(r[f"n_received{s}"] for s in ("", "_up", "_same", "_down"))),
            others=Movement(*(r[f"n_others{s}"] for s in ("", "_up", "_same", "_down"))),
        )
        for r in sums
    ]
    return sorted(
        effects,
        key=lambda e: (-e.window.opens_on.toordinal(), -e.received.students, e.screener.name),
    )


def headline_effects(*, actor: Actor, support_ids) -> dict[int, Effect]:
    """Per support, the one figure a grid cell shows: the latest pair of windows, on the
    screener most of its students took."""
    best: dict[int, Effect] = {}
    for effect in support_effects(actor=actor, support_ids=support_ids):
        if effect.support_id not in best:  # sorted: latest window, most students first
            best[effect.support_id] = effect
    return best
