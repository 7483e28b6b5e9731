"""Asking for a window's recompute: debounced, decided when the edit commits."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from screeners.models import ScreeningWindow

RECOMPUTE_DEBOUNCE_SECONDS = 30


def request_recompute(window: ScreeningWindow) -> None:
    """Queue one recompute for the window, however many edits arrive within the debounce
    period (the task runs after the period and reads every edit). Decided when the edit's
    transaction commits: a rolled-back edit neither queues nor debounces anything."""
    district_id, window_id = window.district_id, window.pk

    transaction.on_commit(
        lambda: queue_recompute(
            district_id=district_id, window_id=window_id, countdown=RECOMPUTE_DEBOUNCE_SECONDS
        )
    )


def queue_recompute(*, district_id: int, window_id: int, countdown: int = 0) -> bool:
    """Queue the window's recompute unless one is already pending (it will read every
    change when it runs). True when this call queued it."""
    from screeners.tasks import recompute_window_task

    if not cache.add(f"recompute-pending:{window_id}", 1, timeout=RECOMPUTE_DEBOUNCE_SECONDS):
        return False
    recompute_window_task.apply_async(
        kwargs={"district_id": district_id, "window_id": window_id}, countdown=countdown
    )
    return True


def queue_now(*, district_id: int, window_id: int) -> None:
    from screeners.tasks import recompute_window_task

    recompute_window_task.delay(district_id=district_id, window_id=window_id)
