"""Writes about screeners and their benchmark bands (district admins)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from districts.permissions import Actor, Capability, SystemActor
from districts.permissions import require as _require
from schools.grades import GRADE_ORDER
from screeners.bands import BandSpec, check_cut_points, ranked
from screeners.models import BenchmarkBand, Screener, ScreenerResult, ScreeningWindow, Season
from screeners.services.recompute_requests import request_recompute


@transaction.atomic
def bands_replace(
    *,
    actor: Actor | SystemActor,
    screener: Screener,
    grade: str,
    season: str,
    bands: list[BandSpec],
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
    actor: Actor | SystemActor,
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


def _check_focus_area(area, *, district_id: int, screener: Screener) -> None:
    """One of the district's focus areas (no database constraint ties the two districts),
    in use unless the screener already had it."""
    if area is None:
        return  # the model's full_clean says it is required
    if area.district_id != district_id:
        raise ValidationError({"focus_area": "Choose one of the district's focus areas."})
    if area.is_archived and area.pk != screener.focus_area_id:
        raise ValidationError({"focus_area": "This focus area is archived."})


@transaction.atomic
def screener_save(
    *, actor: Actor | SystemActor, district_id: int, values: dict, screener: Screener | None = None
) -> Screener:
    """Create a screener (``screener`` None) or change one, from model field values. The
    model's rules decide (``Screener.clean``), for the page and the API alike; an ordinal
    screener given no scale gets the only one it may have, its levels scored 1…n."""
    _require(actor, Capability.MANAGE_DISTRICT)
    screener = screener or Screener(district_id=district_id)
    if "focus_area" in values:
        _check_focus_area(values["focus_area"], district_id=district_id, screener=screener)
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
def screener_delete(*, actor: Actor | SystemActor, screener: Screener) -> None:
    _require(actor, Capability.MANAGE_DISTRICT)
    results = ScreenerResult.objects.filter(screener=screener).count()
    if results:
        raise ValidationError(
            f"{screener.name} has {results} results and cannot be deleted; archive it instead"
        )
    screener.delete()


def screener_archive(
    *, actor: Actor | SystemActor, screener: Screener, archived: bool = True
) -> None:
    _require(actor, Capability.MANAGE_DISTRICT)
    screener.is_archived = archived
    screener.save(update_fields=["is_archived", "updated_at"])
