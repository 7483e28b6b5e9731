from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from crsys.tenancy.context import district_context
from leadership import selectors, services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def refresh_evaluations_task(*, district_id: int, window_id: int | None = None) -> int:
    """Idempotent: rebuilds the evaluations of the screener measures a window can change (all
    of them when ``window_id`` is None)."""
    with district_context(district_id):
        measures = selectors.measures_for_window(window_id=window_id)
        return services.evaluations_refresh(district_id=district_id, measures=measures)
