"""The continuum's background work: what-is-working rows after a window's recompute."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError, transaction
from django.utils import timezone

from continuum import effects
from crsys.tenancy.context import district_context


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def support_effects_task(*, district_id: int, window_id: int) -> int:
    """Idempotent: running it twice writes the same rows."""
    with district_context(district_id):
        return effects.effects_recompute(
            district_id=district_id, window_id=window_id, now=timezone.now()
        )


def queue_effects(*, district_id: int, window_id: int) -> None:
    """Once the caller's transaction commits (a window's snapshot): queue the window's
    what-is-working rows. The public entry point the screeners' recompute task calls."""
    transaction.on_commit(
        lambda: support_effects_task.delay(district_id=district_id, window_id=window_id)
    )
