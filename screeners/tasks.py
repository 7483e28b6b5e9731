from __future__ import annotations

from celery import shared_task
from django.db import OperationalError, transaction

from continuum.tasks import queue_effects
from crsys.imports import progress
from crsys.tenancy.context import district_context
from districts.models import District
from screeners import recompute, selectors, services, signals


def progress_key(window_id: int) -> str:
    return progress.progress_key("recompute", window_id)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
)
def recompute_window_task(*, district_id: int, window_id: int) -> dict:
    """Idempotent: running it twice builds the same snapshot."""

    report = progress.reporter(progress_key(window_id))
    with district_context(district_id):
        counts = recompute.recompute_window(
            district_id=district_id, window_id=window_id, progress=report
        )
        # What is working (continuum) reads this snapshot: rebuilt once it commits; so do
        # the leadership evaluations (through a signal: screeners know nothing of them).
        queue_effects(district_id=district_id, window_id=window_id)
        transaction.on_commit(
            lambda: signals.window_recomputed.send(
                sender=recompute_window_task, district_id=district_id, window_id=window_id
            )
        )
        # The next window's movement was measured against this one: rebuild it too (which in
        # turn rebuilds the one after). The latest window, the usual case, has none.
        following = selectors.following_window(window_id=window_id)
        if following is not None:
            transaction.on_commit(
                lambda: services.queue_recompute(district_id=district_id, window_id=following.pk)
            )
        return counts


@shared_task(acks_late=True)
def close_due_windows() -> int:
    """Periodic (Celery beat): each window whose close date has passed, in its district's own
    time zone, gets its recompute once. Returns how many were queued."""
    queued = 0
    for district in District.objects.all():
        with district_context(district):
            queued += services.windows_close_due(district_id=district.pk, today=district.today())
    return queued


@shared_task(acks_late=True)
def check_result_import(*, district_id: int, import_id: int) -> str:
    with district_context(district_id):
        result_import = selectors.get_result_import(district_id=district_id, import_pk=import_id)
        return services.result_import_check(
            result_import=result_import, today=District.objects.get(pk=district_id).today()
        ).status


@shared_task(acks_late=True)
def commit_result_import(*, district_id: int, import_id: int) -> str:
    with district_context(district_id):
        result_import = selectors.get_result_import(district_id=district_id, import_pk=import_id)
        return services.result_import_commit(
            result_import=result_import, today=District.objects.get(pk=district_id).today()
        ).status
