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
    BenchmarkBand.objects.filter(screener=screener, grade=grade, season=season).delete()
    created = [
        BenchmarkBand(
            district_id=screener.district_id,
            screener=screener,
            grade=grade,
            season=season,
            name=band.name,
            label=band.label,
            colour=band.colour,
            min_score=band.min_score,
            max_score=band.max_score,
            rank=rank,
            meets_benchmark=band.meets_benchmark,
        )
        for rank, band in enumerate(ranked(bands, higher_is_better=screener.higher_is_better))
    ]
    return BenchmarkBand.objects.bulk_create(created)


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
    result, _ = ScreenerResult.objects.update_or_create(
        window=window,
        screener=screener,
        student=student,
        defaults={"score": score, "band": band, "entered_by": user},
    )
    _after_change(window, today)
    return Outcome(result, band, warning=warning)


def _after_change(window: ScreeningWindow, today: datetime.date) -> None:
    if today > window.closes_on or window.closed_processed_at is not None:
        request_recompute(window)


def request_recompute(window: ScreeningWindow) -> bool:
    """Queue one recompute for the window, however many edits arrive within the debounce
    period (it runs after the period and reads every edit). True when this call queued it."""
    from screeners.tasks import recompute_window_task

    key = f"recompute-pending:{window.pk}"
    if not cache.add(key, 1, timeout=RECOMPUTE_DEBOUNCE_SECONDS):
        return False
    district_id, window_id = window.district_id, window.pk
    transaction.on_commit(
        lambda: recompute_window_task.apply_async(
            kwargs={"district_id": district_id, "window_id": window_id},
            countdown=RECOMPUTE_DEBOUNCE_SECONDS,
        )
    )
    return True


def windows_due_to_close(*, district_id: int, today: datetime.date):
    return ScreeningWindow.objects.for_district(district_id).filter(
        Q(closes_on__lt=today), closed_processed_at__isnull=True
    )
