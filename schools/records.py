"""Writes of single rostering rows (schools, school years, classes, students, enrolments):
the API's create and edit, and the schedule page's new school year, go through here. The
roster import writes the same tables in bulk (``schools.roster``), its own one path.

The model's rules decide (``full_clean``); serializers and forms only shape the input.
"""

from __future__ import annotations

import datetime
from typing import TypeVar

from django.db import transaction

from districts.permissions import Actor, Capability, SystemActor, require
from schools.models import Classroom, Enrolment, School, SchoolYear, Student

Row = TypeVar("Row", School, SchoolYear, Classroom, Student, Enrolment)
WRITABLE = (School, SchoolYear, Classroom, Student, Enrolment)


@transaction.atomic
def record_save(*, actor: Actor | SystemActor, record: Row, values: dict) -> Row:
    """Create (``record`` unsaved, its district set) or edit one rostering row."""
    require(actor, Capability.MANAGE_DISTRICT)
    if not isinstance(record, WRITABLE):
        raise TypeError(f"{type(record).__name__} is not written through schools.records")
    for field, value in values.items():
        setattr(record, field, value)
    record.full_clean()
    if record.pk is None:
        record.save()
    else:
        record.save(update_fields=[*values, "updated_at"])
    return record


def school_year_create(
    *,
    actor: Actor | SystemActor,
    district_id: int,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
) -> SchoolYear:
    """A new school year (the schedule page); the model's rules decide (dates in order, no
    overlap with another year)."""
    return record_save(
        actor=actor,
        record=SchoolYear(district_id=district_id),
        values={"name": name, "start_date": start_date, "end_date": end_date},
    )
