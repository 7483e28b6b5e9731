"""Writes about school years (the schedule's page adds them; screening windows live in one)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from districts.permissions import Actor, Capability
from schools.models import SchoolYear


@transaction.atomic
def school_year_create(
    *, actor: Actor, district_id: int, name: str, start_date: datetime.date, end_date: datetime.date
) -> SchoolYear:
    """A new school year; the model's rules decide (dates in order, a name not yet used)."""
    if not actor.can(Capability.MANAGE_DISTRICT):
        raise PermissionDenied
    year = SchoolYear(district_id=district_id, name=name, start_date=start_date, end_date=end_date)
    year.full_clean()
    year.save()
    return year
