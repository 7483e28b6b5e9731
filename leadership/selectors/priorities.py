"""Reads of the district's assurance areas, priorities, measures and evaluations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from leadership.evaluation import OVERALL_STYLE
from leadership.models import AssuranceArea, Evaluation, Measure, MeasureSource, Priority
from schools.models import SchoolYear
from schools.selectors import current_school_year, district_today
from screeners.models import WindowScreener


def areas(*, district_id: int) -> list[AssuranceArea]:
    return list(AssuranceArea.objects.all())


def get_area(*, district_id: int, area_pk) -> AssuranceArea:
    try:
        return AssuranceArea.objects.get(pk=area_pk)
    except (AssuranceArea.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assurance area.") from None


def school_years() -> list[SchoolYear]:
    return list(SchoolYear.objects.order_by("-start_date"))


def selected_year(*, district, year_pk=None, years=None) -> SchoolYear | None:
    """The school year named in the address (one of the district's), else the current (the
    one containing the district's today, else the latest). Given the district's ``years``
    (newest first), no query."""
    if years is not None:
        if year_pk:
            found = [y for y in years if str(y.pk) == str(year_pk)]
            if not found:
                raise Http404("No such school year.")
            return found[0]
        today = district_today(district)
        return next((y for y in years if y.start_date <= today <= y.end_date), None) or (
            years[0] if years else None
        )
    if year_pk:
        try:
            return SchoolYear.objects.get(pk=year_pk)
        except (SchoolYear.DoesNotExist, ValueError, TypeError):
            raise Http404("No such school year.") from None
    return current_school_year(district=district)


def visible_priorities() -> QuerySet[Priority]:
    """Every member of the district reads its priorities (they are public to its schools)."""
    return Priority.objects.select_related("area", "school_year")


def priorities_of_year(*, year: SchoolYear | None) -> list[Priority]:
    if year is None:
        return []
    priorities = list(visible_priorities().filter(school_year=year))
    measures: dict[int, list[Measure]] = {}
    for m in Measure.objects.filter(priority__in=[p.pk for p in priorities]).select_related(
        "screener"
    ):
        measures.setdefault(m.priority_id, []).append(m)
    for p in priorities:
        p.measure_list = measures.get(p.pk, [])
    return priorities


def get_priority(*, district_id: int, priority_pk) -> Priority:
    try:
        return visible_priorities().get(pk=priority_pk)
    except (Priority.DoesNotExist, ValueError, TypeError):
        raise Http404("No such priority.") from None


def get_measure(*, district_id: int, measure_pk) -> Measure:
    try:
        return Measure.objects.select_related(
            "priority__area", "priority__school_year", "screener"
        ).get(pk=measure_pk)
    except (Measure.DoesNotExist, ValueError, TypeError):
        raise Http404("No such measure.") from None


def measures_for_window(*, window_id: int | None) -> list[Measure]:
    """The screener measures a window's recompute can change: those of its screeners (as
    this year's result or next year's previous one); every screener measure without one."""
    measures = Measure.objects.filter(source=MeasureSource.SCREENER)
    if window_id is not None:
        screeners = WindowScreener.objects.filter(window_id=window_id).values("screener_id")
        measures = measures.filter(screener_id__in=screeners)
    return list(measures.select_related("priority__school_year"))


@dataclass(frozen=True)
class SchoolResult:
    measure: Measure
    evaluation: Evaluation | None

    @property
    def style(self) -> tuple[str, str, str]:
        return OVERALL_STYLE[self.evaluation.overall if self.evaluation else ""]


def school_evaluations(*, school, year: SchoolYear | None) -> list[SchoolResult]:
    """Each measure of the year's priorities with the school's stored evaluation: two
    queries."""
    if year is None:
        return []
    measures = list(
        Measure.objects.filter(priority__school_year=year).select_related("priority__area")
    )
    stored = {
        e.measure_id: e
        for e in Evaluation.objects.filter(school=school, measure__in=[m.pk for m in measures])
    }
    return [SchoolResult(m, stored.get(m.pk)) for m in measures]


def measure_evaluations(*, measure: Measure) -> list[Evaluation]:
    return list(
        Evaluation.objects.filter(measure=measure).select_related("school").order_by("school__name")
    )
