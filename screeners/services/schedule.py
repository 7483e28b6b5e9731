"""Writes about the screening schedule: windows, copying a year, closing windows."""

from __future__ import annotations

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from crsys.imports.progress import set_progress
from districts.permissions import Actor, Capability, SystemActor
from districts.permissions import require as _require
from schools.models import SchoolYear
from screeners.models import Screener, ScreenerResult, ScreeningWindow
from screeners.services.recompute_requests import queue_now


@transaction.atomic
def window_save(
    *,
    actor: Actor | SystemActor,
    school_year: SchoolYear,
    season: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    screeners: list[Screener],
    grades: list[str],
    name: str = "",
    window: ScreeningWindow | None = None,
) -> ScreeningWindow:
    """Create or change a window; the model's rules decide (``ScreeningWindow.clean``)."""
    _require(actor, Capability.MANAGE_DISTRICT)
    window = window or ScreeningWindow(district_id=school_year.district_id)
    window.school_year, window.season, window.name = school_year, season, name
    window.opens_on, window.closes_on, window.grades = opens_on, closes_on, grades
    # The one constraint left is the date order, which clean() reports with the dates.
    window.full_clean(validate_constraints=False)
    window.save()
    window.screeners.set(screeners)
    return window


@transaction.atomic
def window_delete(*, actor: Actor | SystemActor, window: ScreeningWindow) -> None:
    """Delete a window nobody has entered results in (its snapshots and checked files go
    with it); one with results is refused, naming how many."""
    _require(actor, Capability.MANAGE_DISTRICT)
    results = ScreenerResult.objects.filter(window=window).count()
    if results:
        raise ValidationError(
            f"{window} has {results} result{'s' if results != 1 else ''} and cannot be deleted; "
            "delete or move them first"
        )
    try:
        with transaction.atomic():
            window.delete()
    except ProtectedError:
        # A result saved since the count above: the same answer, never a 500.
        raise ValidationError(
            f"{window} has results and cannot be deleted; delete or move them first"
        ) from None


@transaction.atomic
def schedule_copy_from_last_year(
    *, actor: Actor | SystemActor, school_year: SchoolYear
) -> list[ScreeningWindow]:
    """Last school year's windows, moved to ``school_year`` (same offsets from its start)."""
    _require(actor, Capability.MANAGE_DISTRICT)
    last = (
        SchoolYear.objects.filter(start_date__lt=school_year.start_date)
        .order_by("-start_date")
        .first()
    )
    if last is None:
        raise ValidationError("there is no earlier school year to copy from")
    shift = school_year.start_date - last.start_date
    created = []
    for old in ScreeningWindow.objects.filter(school_year=last).prefetch_related("screeners"):
        created.append(
            window_save(
                actor=actor,
                school_year=school_year,
                season=old.season,
                opens_on=old.opens_on + shift,
                closes_on=old.closes_on + shift,
                screeners=[s for s in old.screeners.all() if not s.is_archived],
                grades=old.grades,
                name=old.name,
            )
        )
    return created


@transaction.atomic
def windows_close_due(*, district_id: int, today: datetime.date) -> int:
    """Mark each window whose close date has passed as processed, and queue its recompute
    once this transaction commits (a rolled-back mark queues nothing). Returns how many."""
    due = list(
        ScreeningWindow.objects.all()
        .select_for_update(skip_locked=True)
        .filter(Q(closes_on__lt=today), closed_processed_at__isnull=True)
    )
    now = timezone.now()
    for window in due:
        window.closed_processed_at = now
        window.save(update_fields=["closed_processed_at", "updated_at"])
        transaction.on_commit(partial(queue_now, district_id=district_id, window_id=window.pk))
    return len(due)


def window_recompute_request(*, actor: Actor, window: ScreeningWindow) -> None:
    """An administrator's "rebuild now": queued when the request's transaction commits."""
    _require(actor, Capability.MANAGE_DISTRICT)
    from screeners.tasks import progress_key  # tasks import the services: a cycle

    set_progress(progress_key(window.pk), 0, "Queued")
    transaction.on_commit(lambda: queue_now(district_id=window.district_id, window_id=window.pk))
