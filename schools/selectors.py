"""Reads about schools, filtered to what an actor may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from districts.permissions import ALL_SCHOOLS, Actor, Capability
from schools.models import School


def visible_schools(*, actor: Actor) -> QuerySet[School]:
    """Schools in the actor's district they may view, or where they work."""
    schools = School.objects.for_district(actor.district_id)
    ids = actor.school_ids(Capability.VIEW_SCHOOL)
    if ids is ALL_SCHOOLS:
        return schools
    return schools.filter(pk__in=ids | actor.member_school_ids())


def get_school(*, actor: Actor, school_pk) -> School:
    try:
        return visible_schools(actor=actor).get(pk=school_pk)
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404("No such school.") from None
