"""Writes to the district's continuum of supports for schools: what the district offers,
a school's tier of district support, and the district supports assigned to a school. The
district team meeting (being built) calls ``assign_school_support`` and
``school_support_tier_set``; so do the page and the API today."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from continuum import permissions
from continuum.school_models import (
    DistrictSupport,
    DistrictSupportProvider,
    SchoolSupportAssignment,
    SchoolSupportTier,
)
from continuum.school_selectors import district_staff
from continuum.services import _on_field, _on_name
from crsys.tenancy.context import require_district_id
from districts.permissions import Actor, SystemActor

DISTRICT_SUPPORT_FIELDS = ("name", "description", "area", "level", "frequency")


def _check_providers(providers) -> list:
    """Providers are the district's own staff: members without a school."""
    allowed = set(district_staff().values_list("pk", flat=True))
    if any(user.pk not in allowed for user in providers):
        raise ValidationError({"providers": "Choose members of the district's own staff."})
    return list(providers)


def _set_providers(support: DistrictSupport, providers) -> None:
    DistrictSupportProvider.objects.filter(support=support).exclude(
        user__in=[u.pk for u in providers]
    ).delete()
    have = set(
        DistrictSupportProvider.objects.filter(support=support).values_list("user_id", flat=True)
    )
    DistrictSupportProvider.objects.bulk_create(
        DistrictSupportProvider(district_id=support.district_id, support=support, user=user)
        for user in providers
        if user.pk not in have
    )


def _save(support: DistrictSupport) -> DistrictSupport:
    try:
        support.full_clean()
    except ValidationError as error:
        raise _on_name(error) from None
    support.save()
    return support


@transaction.atomic
def district_support_create(
    *, actor: Actor | SystemActor, providers=(), **fields
) -> DistrictSupport:
    """A support the district offers its schools, with the district staff who provide it."""
    permissions.require(permissions.can_keep_district_supports(actor))
    unknown = set(fields) - set(DISTRICT_SUPPORT_FIELDS)
    if unknown:
        raise TypeError(f"district_support_create() got unexpected fields {sorted(unknown)}")
    providers = _check_providers(providers)
    support = _save(DistrictSupport(district_id=require_district_id(), **fields))
    _set_providers(support, providers)
    return support


@transaction.atomic
def district_support_update(
    *, actor: Actor | SystemActor, support: DistrictSupport, providers=None, **fields
) -> DistrictSupport:
    permissions.require(permissions.can_keep_district_supports(actor))
    unknown = set(fields) - set(DISTRICT_SUPPORT_FIELDS) - {"is_archived"}
    if unknown:
        raise TypeError(f"district_support_update() got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(support, name, value)
    _save(support)
    if providers is not None:
        _set_providers(support, _check_providers(providers))
    return support


@transaction.atomic
def school_support_tier_set(
    *, actor: Actor | SystemActor, school, level: str, note: str = ""
) -> SchoolSupportTier:
    """A school's current tier of district support (universal, targeted or intensive)."""
    permissions.require(permissions.can_assign_school_supports(actor))
    tier = SchoolSupportTier.objects.filter(school=school).first() or SchoolSupportTier(
        district_id=school.district_id, school=school
    )
    tier.level, tier.note = level, note
    tier.set_by_id = getattr(actor, "user_id", None)
    tier.full_clean()
    tier.save()
    return tier


@transaction.atomic
def assign_school_support(
    *,
    actor: Actor | SystemActor,
    school,
    support: DistrictSupport,
    start_date: datetime.date,
    note: str = "",
) -> SchoolSupportAssignment:
    """Give ``school`` a district support from ``start_date``: one open assignment per
    school and support; archived supports are no longer given."""
    permissions.require(permissions.can_assign_school_supports(actor))
    if support.district_id != school.district_id:
        raise ValidationError({"support": "Choose one of the district's supports."})
    if support.is_archived:
        raise ValidationError({"support": "This support is archived."})
    assignment = SchoolSupportAssignment(
        district_id=school.district_id, school=school, support=support, start_date=start_date,
        note=note, assigned_by_id=getattr(actor, "user_id", None),
    )  # fmt: skip
    try:
        assignment.full_clean()
    except ValidationError as error:
        raise _on_field(error, code="duplicate_assignment", field="support") from None
    assignment.save()
    return assignment


@transaction.atomic
def school_support_end(
    *, actor: Actor | SystemActor, assignment: SchoolSupportAssignment, end_date: datetime.date
) -> SchoolSupportAssignment:
    permissions.require(permissions.can_assign_school_supports(actor))
    if not assignment.is_open:
        raise ValidationError({"end_date": "This support has already ended."})
    if end_date < assignment.start_date:
        raise ValidationError({"end_date": "The end cannot come before the start."})
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date", "updated_at"])
    return assignment
