"""Evaluations are precomputed: each measure's result per school, its previous result and
the three verdicts, rebuilt here in one transaction (ADR 10) after a screener recompute,
a figure's entry or a measure's change. The dashboard only reads the table."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q, Sum

from leadership import defaults
from leadership.evaluation import evaluate
from leadership.models import Evaluation, EvaluationMatrix, Measure, MeasureFigure, MeasureSource
from schools.models import School, SchoolYear
from screeners.models import BandCountSnapshot, ScreeningWindow

TENTH = Decimal("0.1")


def district_matrix() -> dict[str, list[str]]:
    row = EvaluationMatrix.objects.first()
    return row.matrix if row is not None else defaults.MATRIX


def _previous_year(year: SchoolYear) -> SchoolYear | None:
    return SchoolYear.objects.filter(start_date__lt=year.start_date).order_by("-start_date").first()


def screener_results(measure: Measure, year: SchoolYear | None) -> dict[int, tuple[Decimal, int]]:
    """{school id: (% at or above benchmark, students screened)} from the snapshot counts of
    the year's latest window of the measure's season that gave its screener."""
    if year is None:
        return {}
    window = (
        ScreeningWindow.objects.filter(
            school_year=year, season=measure.season, screeners=measure.screener_id
        )
        .order_by("-opens_on", "-pk")
        .first()
    )
    if window is None:
        return {}
    counts = BandCountSnapshot.objects.filter(window=window, screener_id=measure.screener_id)
    if measure.grade:
        counts = counts.filter(scope="grade", grade=measure.grade)
    else:
        counts = counts.filter(scope="school")
    rows = counts.values("school_id").annotate(
        total=Sum("students"), met=Sum("students", filter=Q(meets_benchmark=True))
    )
    return {
        r["school_id"]: (
            (Decimal(r["met"] or 0) * 100 / r["total"]).quantize(TENTH, ROUND_HALF_UP),
            r["total"],
        )
        for r in rows
        if r["total"]
    }


@transaction.atomic
def evaluations_refresh(*, district_id: int, measures: list[Measure] | None = None) -> int:
    """Rebuild the evaluations of ``measures`` (default: every measure of the district) for
    every school; returns how many rows were written. Idempotent; call in the district's
    context (the recompute's task, a service)."""
    if measures is None:
        measures = list(Measure.objects.select_related("priority__school_year"))
    matrix = district_matrix()
    school_ids = set(School.objects.filter(is_active=True).values_list("pk", flat=True))
    figures: dict[int, dict[int, MeasureFigure]] = {}
    for figure in MeasureFigure.objects.filter(measure__in=[m.pk for m in measures]):
        figures.setdefault(figure.measure_id, {})[figure.school_id] = figure
    rows = []
    for measure in measures:
        if measure.source == MeasureSource.SCREENER:
            year = measure.priority.school_year
            now = screener_results(measure, year)
            before = screener_results(measure, _previous_year(year))
            results = {
                school: (value, before.get(school, (None, 0))[0], n)
                for school, (value, n) in now.items()
            }
        else:
            results = {
                school: (f.value, f.previous, None)
                for school, f in figures.get(measure.pk, {}).items()
            }
        for school_id, (value, previous, n) in results.items():
            if school_id not in school_ids:
                continue
            verdict = evaluate(value, previous, measure=measure, matrix=matrix)
            rows.append(
                Evaluation(
                    district_id=district_id, measure=measure, school_id=school_id, value=value,
                    previous=previous, students=n, achievement=verdict.achievement,
                    improvement=verdict.improvement, overall=verdict.overall,
                )
            )  # fmt: skip
    Evaluation.objects.filter(measure__in=[m.pk for m in measures]).delete()
    Evaluation.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
