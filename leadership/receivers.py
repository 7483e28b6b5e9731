"""The leadership app listens to the screeners: a window's new snapshot changes the results
of the screener measures, so their evaluations are rebuilt (in Celery, after the commit)."""

from __future__ import annotations

from django.dispatch import receiver

from leadership.tasks import refresh_evaluations_task
from screeners.signals import window_recomputed


@receiver(window_recomputed, dispatch_uid="leadership-evaluations-after-recompute")
def refresh_after_recompute(sender, *, district_id: int, window_id: int, **kwargs) -> None:
    refresh_evaluations_task.delay(district_id=district_id, window_id=window_id)
