"""Writes about screeners: bands, the schedule, results, and asking for a recompute."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from districts.permissions import Actor, Capability
from schools.models import Enrolment, SchoolYear, Student
from schools.selectors import visible_students
from screeners.bands import BandSpec, check_cut_points, parse_score, ranked
from screeners.models import BenchmarkBand, Screener, ScreenerResult, ScreeningWindow

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
    window: ScreeningWindow | None = None,
) -> ScreeningWindow:
    """Create or change a window: inside its school year, overlapping no other window."""
    _require(actor, Capability.MANAGE_DISTRICT)
    problems = []
    if closes_on < opens_on:
        problems.append(f"closes on {closes_on}, before it opens on {opens_on}")
    if opens_on < school_year.start_date or closes_on > school_year.end_date:
        problems.append(
            f"{opens_on}–{closes_on} is not inside the school year {school_year} "
            f"({school_year.start_date}–{school_year.end_date})"
        )
    others = ScreeningWindow.objects.filter(opens_on__lte=closes_on, closes_on__gte=opens_on)
    if window is not None:
        others = others.exclude(pk=window.pk)
    for other in others:
        problems.append(f"overlaps {other} ({other.opens_on}–{other.closes_on})")
    same_season = ScreeningWindow.objects.filter(school_year=school_year, season=season)
    if window is not None:
        same_season = same_season.exclude(pk=window.pk)
    if same_season.exists():
        problems.append(f"{school_year} already has a {season} window")
    if problems:
        raise ValidationError(problems)
    window = window or ScreeningWindow(district_id=school_year.district_id)
    window.school_year, window.season = school_year, season
    window.opens_on, window.closes_on, window.grades = opens_on, closes_on, grades
    window.save()
    window.screeners.set(screeners)
    return window


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
            )
        )
    return created


@dataclass(frozen=True)
class Outcome:
    result: ScreenerResult | None
    band: BenchmarkBand | None
    error: str | None = None
    warning: str | None = None


def _band_for(screener: Screener, grade: str, season: str, score) -> BenchmarkBand | None:
    return (
        BenchmarkBand.objects.filter(
            screener=screener,
            grade=grade,
            season=season,
            min_score__lte=score,
            max_score__gte=score,
        )
        .order_by("rank")
        .first()
    )


def check_entry(
    *,
    actor: Actor,
    window: ScreeningWindow,
    screener: Screener,
    student: Student,
    today: datetime.date,
) -> tuple[str | None, str | None]:
    """(error, warning) for entering a result: who, when, which student and screener."""
    if not actor.can(Capability.ENTER_SCREENER_RESULTS, school_id=student.school_id) or not (
        visible_students(actor=actor).filter(pk=student.pk).exists()
    ):
        return "you cannot enter results for this student", None
    if screener.is_archived or not window.screeners.filter(pk=screener.pk).exists():
        return f"{screener.name} is not part of the {window} window", None
    if screener.grades and student.grade not in screener.grades:
        return f"{screener.name} is not given in grade {student.grade}", None
    if window.grades and student.grade not in window.grades:
        return f"the {window} window does not screen grade {student.grade}", None
    enrolled = Enrolment.objects.filter(
        student=student, classroom__school_year_id=window.school_year_id, is_active=True
    ).exists()
    if not enrolled:
        return f"{student.display_name} is not enrolled in {window.school_year}", None
    if not window.is_open_on(today):
        if not actor.can(Capability.MANAGE_DISTRICT):
            return (
                f"the {window} window is closed ({window.opens_on}–{window.closes_on}); "
                "ask a district admin"
            ), None
        return None, f"entered outside the window ({window.opens_on}–{window.closes_on})"
    return None, None


@transaction.atomic
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
    """Save one result (the grid's cell, one row of an import). A blank score removes it."""
    error, warning = check_entry(
        actor=actor, window=window, screener=screener, student=student, today=today
    )
    if error:
        return Outcome(None, None, error=error)
    existing = ScreenerResult.objects.filter(window=window, screener=screener, student=student)
    if str(raw_score).strip() == "":
        existing.delete()
        _after_change(window, today)
        return Outcome(None, None, warning=warning)
    score, problem = parse_score(raw_score, screener=screener)
    if problem:
        return Outcome(None, None, error=problem)
    band = _band_for(screener, student.grade, window.season, score)
    if band is None:
        return Outcome(
            None,
            None,
            error=f"{screener.name} has no bands for grade "
            f"{student.grade} in {window.get_season_display()}",
        )
    # The grade and school at screening time: a later promotion must not re-band this result.
    result, _ = ScreenerResult.objects.update_or_create(
        window=window,
        screener=screener,
        student=student,
        defaults={
            "score": score,
            "band": band,
            "entered_by": user,
            "grade": student.grade,
            "school_id": student.school_id,
        },
    )
    _after_change(window, today)
    return Outcome(result, band, warning=warning)


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


def windows_due_to_close(*, district_id: int, today: datetime.date):
    return ScreeningWindow.objects.for_district(district_id).filter(
        Q(closes_on__lt=today), closed_processed_at__isnull=True
    )


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
