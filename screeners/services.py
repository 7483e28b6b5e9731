"""Writes about screeners: bands, the schedule, results, and asking for a recompute."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from districts.models import Membership, Role
from districts.permissions import Actor, Capability, Grant, actor_from_memberships
from schools.grades import GRADE_ORDER
from schools.models import SchoolYear, Student
from screeners.bands import BandSpec, check_cut_points, ranked
from screeners.entries import Entry, EntryCheck, check_entries
from screeners.models import BenchmarkBand, Screener, ScreenerResult, ScreeningWindow, Season

RECOMPUTE_DEBOUNCE_SECONDS = 30


def _require(actor: Actor | None, capability: Capability) -> None:
    if actor is not None and not actor.can(capability):
        raise PermissionDenied


@transaction.atomic
def bands_replace(
    *, actor: Actor | None, screener: Screener, grade: str, season: str, bands: list[BandSpec]
) -> list[BenchmarkBand]:
    """Replace a screener's bands for one grade and season, after checking the cut points."""
    _require(actor, Capability.MANAGE_DISTRICT)
    if grade not in GRADE_ORDER or season not in Season.values:
        raise ValidationError(
            f"bands are set for a grade code and a season, not {grade!r}/{season!r}"
        )
    problems = check_cut_points(
        bands, low=screener.min_score, high=screener.max_score, step=screener.score_step
    )
    if problems:
        raise ValidationError(problems)
    # Update in place, rank by rank: deleting and recreating the bands would drop every
    # snapshot that points at them. Then rebuild the windows that used the old cut points.
    existing = {
        band.rank: band
        for band in BenchmarkBand.objects.filter(screener=screener, grade=grade, season=season)
    }
    before = {r: (b.min_score, b.max_score, b.meets_benchmark) for r, b in existing.items()}
    saved = []
    for rank, spec in enumerate(ranked(bands, higher_is_better=screener.higher_is_better)):
        band = existing.pop(rank, None) or BenchmarkBand(
            district_id=screener.district_id,
            screener=screener,
            grade=grade,
            season=season,
            rank=rank,
        )
        band.name, band.label, band.colour = spec.name, spec.label, spec.colour
        band.min_score, band.max_score = spec.min_score, spec.max_score
        band.meets_benchmark = spec.meets_benchmark
        band.save()
        saved.append(band)
    for removed in existing.values():
        removed.delete()
    after = {b.rank: (b.min_score, b.max_score, b.meets_benchmark) for b in saved}
    if after == before:
        return saved  # names, labels or colours only: the snapshots read those live
    for window in ScreeningWindow.objects.filter(
        season=season, last_recomputed_at__isnull=False, screeners=screener
    ):
        request_recompute(window)
    return saved


@transaction.atomic
def bands_copy(
    *,
    actor: Actor | None,
    screener: Screener,
    source: tuple[str, str],
    targets: list[tuple[str, str]],
) -> int:
    """Copy the bands of one (grade, season) to others; returns how many sets were copied."""
    _require(actor, Capability.MANAGE_DISTRICT)
    grade, season = source
    bands = [
        BandSpec(b.name, b.label, b.colour, b.min_score, b.max_score, b.meets_benchmark)
        for b in BenchmarkBand.objects.filter(screener=screener, grade=grade, season=season)
    ]
    if not bands:
        raise ValidationError(f"grade {grade}, {season} has no bands to copy")
    for target_grade, target_season in targets:
        bands_replace(
            actor=actor, screener=screener, grade=target_grade, season=target_season, bands=bands
        )
    return len(targets)


SCALE_FIELDS = ("min_score", "max_score", "score_step")


@transaction.atomic
def screener_save(
    *, actor: Actor | None, district_id: int, values: dict, screener: Screener | None = None
) -> Screener:
    """Create a screener (``screener`` None) or change one, from model field values. The
    model's rules decide (``Screener.clean``), for the page and the API alike; an ordinal
    screener given no scale gets the only one it may have, its levels scored 1…n."""
    _require(actor, Capability.MANAGE_DISTRICT)
    screener = screener or Screener(district_id=district_id)
    for field, value in values.items():
        setattr(screener, field, value)
    ordinal = screener.score_type == Screener.ScoreType.ORDINAL
    if ordinal and isinstance(screener.levels, list) and not set(SCALE_FIELDS) & set(values):
        screener.min_score, screener.max_score = Decimal(1), Decimal(len(screener.levels))
        screener.score_step = Decimal(1)
    screener.full_clean()
    screener.save()
    return screener


@transaction.atomic
def screener_delete(*, actor: Actor | None, screener: Screener) -> None:
    _require(actor, Capability.MANAGE_DISTRICT)
    results = ScreenerResult.objects.filter(screener=screener).count()
    if results:
        raise ValidationError(
            f"{screener.name} has {results} results and cannot be deleted; archive it instead"
        )
    screener.delete()


def screener_archive(*, actor: Actor | None, screener: Screener, archived: bool = True) -> None:
    _require(actor, Capability.MANAGE_DISTRICT)
    screener.is_archived = archived
    screener.save(update_fields=["is_archived", "updated_at"])


@transaction.atomic
def window_save(
    *,
    actor: Actor | None,
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
def window_delete(*, actor: Actor | None, window: ScreeningWindow) -> None:
    """Delete a window nobody has entered results in (its snapshots and checked files go
    with it); one with results is refused, naming how many."""
    _require(actor, Capability.MANAGE_DISTRICT)
    results = ScreenerResult.objects.filter(window=window).count()
    if results:
        raise ValidationError(
            f"{window} has {results} result{'s' if results != 1 else ''} and cannot be deleted; "
            "delete or move them first"
        )
    window.delete()


@transaction.atomic
def schedule_copy_from_last_year(
    *, actor: Actor | None, school_year: SchoolYear
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


@dataclass(frozen=True)
class Outcome:
    result: ScreenerResult | None
    band: BenchmarkBand | None
    error: str | None = None
    warning: str | None = None


@transaction.atomic
def results_record(
    *,
    actor: Actor,
    items: Sequence[tuple[ScreeningWindow, Entry]],
    today: datetime.date,
    user=None,
) -> list[EntryCheck]:
    """Save many results (the grid's cell, the bulk API), all or nothing: every entry is
    checked (screeners/entries.py); if any is refused nothing is written, and the checks,
    in the order given, say why. A blank score removes a result. Each result keeps the
    grade and school the student was screened in (ADR 4), so a promotion does not re-band
    it."""
    by_window: dict[int, tuple[ScreeningWindow, list[int]]] = {}
    for index, (window, _) in enumerate(items):
        by_window.setdefault(window.pk, (window, []))[1].append(index)
    checks: list[EntryCheck | None] = [None] * len(items)
    for window, indexes in by_window.values():
        found = check_entries(
            actor=actor, window=window, entries=[items[i][1] for i in indexes], today=today
        )
        for index, check in zip(indexes, found, strict=True):
            checks[index] = check
    done = [c for c in checks if c is not None]
    if any(c.error for c in done):
        return done
    for window, indexes in by_window.values():
        _write(window, [done[i] for i in indexes], user=user)
        _after_change(window, today)
    return done


def _write(window: ScreeningWindow, checks: list[EntryCheck], *, user) -> None:
    removed = [c.entry for c in checks if c.removes]
    if removed:
        gone = Q()
        for entry in removed:
            gone |= Q(student_id=entry.student.pk, screener_id=entry.screener.pk)
        ScreenerResult.objects.filter(gone, window=window).delete()
    saved = [
        ScreenerResult(
            district_id=window.district_id,
            window=window,
            screener=c.entry.screener,
            student=c.entry.student,
            score=c.score,
            band=c.band,
            entered_by=user,
            grade=c.entry.student.grade,
            school_id=c.entry.student.school_id,
        )
        for c in checks
        if not c.removes
    ]
    if saved:
        ScreenerResult.objects.bulk_create(
            saved,
            update_conflicts=True,
            unique_fields=["window", "screener", "student"],
            update_fields=["score", "band", "entered_by", "grade", "school", "updated_at"],
        )


def result_record(
    *,
    actor: Actor,
    window: ScreeningWindow,
    screener: Screener,
    student: Student,
    raw_score: str,
    today: datetime.date,
    user=None,
) -> Outcome:
    """Save one result (the grid's cell). A blank score removes it."""
    entry = Entry(student=student, screener=screener, raw=raw_score)
    (check,) = results_record(actor=actor, items=[(window, entry)], today=today, user=user)
    if check.error:
        return Outcome(None, None, error=check.error)
    if check.removes:
        return Outcome(None, None, warning=check.warning)
    result = ScreenerResult.objects.get(window=window, screener=screener, student=student)
    return Outcome(result, check.band, warning=check.warning)


def _after_change(window: ScreeningWindow, today: datetime.date) -> None:
    if today > window.closes_on or window.closed_processed_at is not None:
        request_recompute(window)


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


@transaction.atomic
def windows_close_due(*, district_id: int, today: datetime.date) -> int:
    """Mark each window whose close date has passed as processed, and queue its recompute
    once this transaction commits (a rolled-back mark queues nothing). Returns how many."""
    due = list(
        ScreeningWindow.objects.for_district(district_id)
        .select_for_update(skip_locked=True)
        .filter(Q(closes_on__lt=today), closed_processed_at__isnull=True)
    )
    now = timezone.now()
    for window in due:
        window.closed_processed_at = now
        window.save(update_fields=["closed_processed_at", "updated_at"])
        transaction.on_commit(
            lambda window_id=window.pk: _queue_now(district_id=district_id, window_id=window_id)
        )
    return len(due)


def window_recompute_request(*, actor: Actor, window: ScreeningWindow) -> None:
    """An administrator's "rebuild now": queued when the request's transaction commits."""
    _require(actor, Capability.MANAGE_DISTRICT)
    from screeners.tasks import progress_key

    cache.set(progress_key(window.pk), {"pct": 0, "message": "Queued"}, 3600)
    transaction.on_commit(lambda: _queue_now(district_id=window.district_id, window_id=window.pk))


def _queue_now(*, district_id: int, window_id: int) -> None:
    from screeners.tasks import recompute_window_task

    recompute_window_task.delay(district_id=district_id, window_id=window_id)


# Results files (CSV/XLSX): checked in Celery, committed all or nothing ---------------------


def result_import_upload(
    *,
    actor: Actor | None,
    window: ScreeningWindow,
    name: str,
    data: bytes,
    sheet: str = "",
    user=None,
    check: bool = True,
):
    from django.core.files.base import ContentFile

    from schools.roster.files import check_upload_size
    from schools.roster.problems import RosterRejected
    from screeners.models import ResultImport

    _require(actor, Capability.IMPORT_DATA)
    try:
        check_upload_size(name, len(data))
    except RosterRejected as rejected:
        raise ValidationError(str(rejected.problems[0])) from None
    result_import = ResultImport(
        district_id=window.district_id,
        window=window,
        created_by=user,
        original_name=name[:255],
        sheet=sheet,
    )
    result_import.file.save(name, ContentFile(data), save=False)
    result_import.save()
    if check:
        from screeners.tasks import check_result_import

        ids = {"district_id": window.district_id, "import_id": result_import.pk}
        transaction.on_commit(lambda: check_result_import.delay(**ids))
    return result_import


def _run_result_import(result_import, *, commit: bool, today):
    from schools.roster.problems import Problem, RosterRejected
    from screeners.models import ResultImport
    from screeners.results_import import apply_results, check_results, read_results

    with result_import.file.open("rb") as handle:
        data = handle.read()
    try:
        with transaction.atomic():
            frame, columns = read_results(
                result_import.original_name, data, sheet=result_import.sheet or None
            )
            checked = check_results(
                result_import.original_name,
                frame,
                columns,
                window=result_import.window,
                actor=_importer(result_import),
                today=today,
            )
            counts = apply_results(window=result_import.window, checked=checked, commit=commit)
            if not commit:
                transaction.set_rollback(True)
    except RosterRejected as rejected:
        result_import.problems = [p.as_dict() for p in rejected.problems[:10_000]]
        result_import.problem_count = len(rejected.problems)
        result_import.status = ResultImport.Status.INVALID
    except Exception:
        import logging

        logging.getLogger(__name__).exception("results import %s failed", result_import.pk)
        problem = Problem(
            result_import.original_name,
            None,
            None,
            "the import failed unexpectedly and nothing was written",
        )
        result_import.problems, result_import.problem_count = [problem.as_dict()], 1
        result_import.status = ResultImport.Status.FAILED
    else:
        result_import.warnings = checked.warnings
        result_import.problems, result_import.problem_count = [], 0
        if commit:
            from django.utils import timezone

            result_import.counts = counts
            result_import.status = ResultImport.Status.COMMITTED
            result_import.committed_at = timezone.now()
        else:
            result_import.preview = counts
            result_import.status = ResultImport.Status.READY
    result_import.save()
    return result_import


def _importer(result_import) -> Actor:
    """Whose rights a results file is judged by: its uploader's now (a membership ended since
    the upload enters nothing), or, for the command line, which has no uploader, a district
    administrator's."""
    user = result_import.created_by
    if user is None:
        grant = Grant(role=Role.DISTRICT_ADMIN, school_id=None)
        return Actor(user_id=0, district_id=result_import.district_id, grants=(grant,))
    memberships = Membership.objects.for_district(result_import.district_id).filter(user=user)
    return actor_from_memberships(user, result_import.district, memberships)


def result_import_check(*, result_import, today):
    return _run_result_import(result_import, commit=False, today=today)


def result_import_commit(*, result_import, today):
    from screeners.models import ResultImport

    if result_import.status == ResultImport.Status.COMMITTED:
        return result_import
    return _run_result_import(result_import, commit=True, today=today)


@transaction.atomic
def result_import_confirm(*, actor: Actor, result_import):
    from screeners.models import ResultImport
    from screeners.tasks import commit_result_import

    _require(actor, Capability.IMPORT_DATA)
    locked = ResultImport.objects.select_for_update().get(pk=result_import.pk)
    if locked.status != ResultImport.Status.READY:
        raise ValidationError("Only a checked file without errors can be committed.")
    locked.status = ResultImport.Status.COMMITTING
    locked.save(update_fields=["status", "updated_at"])
    ids = {"district_id": locked.district_id, "import_id": locked.pk}
    transaction.on_commit(lambda: commit_result_import.delay(**ids))
    return locked
