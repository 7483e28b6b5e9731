"""A background job's progress, for the page that polls it: a percentage and a message in
the cache, under one key per job (a roster import, a window's recompute)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache

PROGRESS_TTL = 6 * 3600
WAITING = {"pct": 0, "message": "Waiting"}


def progress_key(kind: str, job_id: int) -> str:
    return f"{kind}-progress:{job_id}"


def set_progress(key: str, pct: int, message: str) -> None:
    cache.set(key, {"pct": pct, "message": message}, PROGRESS_TTL)


def read_progress(key: str) -> dict | None:
    return cache.get(key)


def reporter(key: str, *, base: int = 0, span: int = 100) -> Callable[[int, str], None]:
    """A ``progress(pct, message)`` callback for one stage of a job: its 0–100 maps onto
    ``base`` … ``base + span`` of the whole."""

    def report(pct: int, message: str) -> None:
        set_progress(key, base + pct * span // 100, message)

    return report
