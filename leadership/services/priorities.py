"""Writes to the district's assurance areas, priorities, measures, figures and matrix."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from crsys.tenancy.context import district_context
from leadership import defaults, permissions
from leadership.models import (
    AssuranceArea,
    EvaluationMatrix,
    Measure,
    MeasureFigure,
    MeasureSource,
    Priority,
)
from leadership.permissions import AnyActor
from leadership.services.evaluations import evaluations_refresh

PRIORITY_FIELDS = ("school_year", "area", "title", "description", "position")
MEASURE_FIELDS = (
    "name", "kind", "source", "screener", "grade", "season", "unit", "range_min", "range_max",
    "target", "very_low_below", "low_below", "intermediate_below", "high_below", "improved_by",
    "significant_by", "position",
)  # fmt: skip


def leadership_defaults_ensure(*, district_id: int) -> None:
    """A district's five assurance areas and Alberta's evaluation matrix (those it lacks;
    idempotent). Called by ``districts.services.district_create``; a migration did the same
    for districts made before."""
    with district_context(district_id):
        have = set(AssuranceArea.objects.values_list("key", flat=True))
        AssuranceArea.objects.bulk_create(
            AssuranceArea(district_id=district_id, key=key, name=name, position=i)
            for i, (key, name) in enumerate(defaults.ASSURANCE_AREAS)
            if key not in have
        )
        if not EvaluationMatrix.objects.exists():
            EvaluationMatrix.objects.create(district_id=district_id, matrix=defaults.MATRIX)


def _district_of(actor: AnyActor, obj) -> int:
    return getattr(actor, "district_id", None) or obj.district_id


def _own(actor: AnyActor, district_id: int, **related) -> None:
    for field, value in related.items():
        if value is not None and value.district_id != district_id:
            raise ValidationError({field: "Choose one of the district's."})


@transaction.atomic
def priority_save(*, actor: AnyActor, priority: Priority | None = None, **fields) -> Priority:
    """Add a priority (``priority`` None) or change one."""
    permissions.require(permissions.can_set_priorities(actor))
    unknown = set(fields) - set(PRIORITY_FIELDS)
    if unknown:
        raise TypeError(f"priority_save() got unexpected fields {sorted(unknown)}")
    if priority is None:
        priority = Priority(district_id=actor.district_id)
    for name, value in fields.items():
        setattr(priority, name, value)
    _own(
        actor, priority.district_id, area=fields.get("area"), school_year=fields.get("school_year")
    )
    priority.full_clean()
    priority.save()
    return priority


@transaction.atomic
def measure_save(
    *, actor: AnyActor, priority: Priority | None = None, measure: Measure | None = None, **fields
) -> Measure:
    """Add a measure to ``priority`` or change ``measure``; its evaluations are rebuilt."""
    permissions.require(permissions.can_set_priorities(actor))
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"measure_save() got unexpected fields {sorted(unknown)}")
    if measure is None:
        measure = Measure(district_id=priority.district_id, priority=priority)
    for name, value in fields.items():
        setattr(measure, name, value)
    if measure.source != MeasureSource.SCREENER:
        measure.screener = None
    _own(actor, measure.district_id, screener=measure.screener)
    measure.full_clean()
    measure.save()
    evaluations_refresh(district_id=measure.district_id, measures=[measure])
    return measure


@transaction.atomic
def figure_set(
    *, actor: AnyActor, measure: Measure, school, value, previous=None, refresh: bool = True
) -> MeasureFigure:
    """A survey result or figure for one school (and its previous result); the school's
    evaluation follows (``refresh=False``: a caller entering many calls
    ``evaluations_refresh`` once after them)."""
    permissions.require(permissions.can_set_priorities(actor))
    if measure.source == MeasureSource.SCREENER:
        raise ValidationError({"value": "A screener measure is computed from the screening."})
    _own(actor, measure.district_id, school=school)
    errors = {}
    for field, number in (("value", value), ("previous", previous)):
        if number is not None and not measure.range_min <= number <= measure.range_max:
            low, high = measure.range_min, measure.range_max
            errors[field] = f"Give a figure within the measure's range ({low}–{high})."
    if errors:
        raise ValidationError(errors)
    figure, _ = MeasureFigure.objects.update_or_create(
        measure=measure,
        school=school,
        defaults={"value": value, "previous": previous, "district_id": measure.district_id,
                  "entered_by_id": getattr(actor, "user_id", None)},
    )  # fmt: skip
    if refresh:
        evaluations_refresh(district_id=measure.district_id, measures=[measure])
    return figure


@transaction.atomic
def matrix_update(*, actor: AnyActor, matrix: dict) -> EvaluationMatrix:
    """The district's achievement × improvement → overall table; every evaluation follows."""
    permissions.require(permissions.can_set_priorities(actor))
    row = EvaluationMatrix.objects.first() or EvaluationMatrix(district_id=actor.district_id)
    row.matrix = matrix
    row.full_clean()
    row.save()
    evaluations_refresh(district_id=row.district_id)
    return row
