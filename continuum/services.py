"""Writes to the continuum: every one goes through here, validated on the model."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum import defaults, permissions
from continuum.models import FocusArea, Support, Tier
from districts.permissions import Actor

SUPPORT_FIELDS = (
    "name",
    "description",
    "focus_area",
    "tier",
    "provider",
    "frequency",
    "duration_weeks",
    "resources",
    "evidence",
)


@transaction.atomic
def continuum_defaults_ensure(*, district_id: int) -> None:
    """A district's starting focus areas and tiers (those it lacks; idempotent). Called when
    the district is created, by a migration for districts made before the continuum."""
    have_areas = set(FocusArea.objects.for_district(district_id).values_list("key", flat=True))
    FocusArea.objects.for_district(district_id).bulk_create(
        FocusArea(district_id=district_id, key=key, name=name, position=i)
        for i, (key, name) in enumerate(defaults.FOCUS_AREAS)
        if key not in have_areas
    )
    have_tiers = set(Tier.objects.for_district(district_id).values_list("number", flat=True))
    Tier.objects.for_district(district_id).bulk_create(
        Tier(district_id=district_id, number=n, name=name, description=text)
        for n, name, text in defaults.TIERS
        if n not in have_tiers
    )


def _check_choices(actor: Actor, support: Support) -> None:
    """The focus area and tier are the district's own, and in use."""
    for field in ("focus_area", "tier"):
        value = getattr(support, field, None)
        if value is not None and value.district_id != actor.district_id:
            raise ValidationError({field: "Choose one of the district's."})
    if support.focus_area_id and support.focus_area.is_archived:
        raise ValidationError({"focus_area": "This focus area is archived."})


def _save(support: Support) -> Support:
    try:
        support.full_clean()
    except ValidationError as error:
        raise _on_name(error) from None
    support.save()
    return support


def _on_name(error: ValidationError) -> ValidationError:
    """A name taken on the same continuum is the name field's error, not the form's."""
    errors = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    taken = [e for e in errors.get("__all__", []) if e.code == "duplicate_name"]
    if taken:
        errors["__all__"] = [e for e in errors["__all__"] if e.code != "duplicate_name"]
        errors.setdefault("name", []).extend(taken)
    return ValidationError({k: v for k, v in errors.items() if v})


@transaction.atomic
def support_create(*, actor: Actor, school_id: int | None, **fields) -> Support:
    """A support on the school's continuum (``school_id``) or the divisional one (None)."""
    permissions.require(permissions.can_keep_supports(actor, school_id))
    unknown = set(fields) - set(SUPPORT_FIELDS)
    if unknown:
        raise TypeError(f"support_create() got unexpected fields {sorted(unknown)}")
    support = Support(district_id=actor.district_id, school_id=school_id, **fields)
    _check_choices(actor, support)
    return _save(support)


@transaction.atomic
def support_update(*, actor: Actor, support: Support, **fields) -> Support:
    permissions.require(permissions.can_keep_supports(actor, support.school_id))
    unknown = set(fields) - set(SUPPORT_FIELDS)
    if unknown:
        raise TypeError(f"support_update() got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(support, name, value)
    _check_choices(actor, support)
    return _save(support)


@transaction.atomic
def support_archive(*, actor: Actor, support: Support, archived: bool = True) -> Support:
    """Archived supports leave the grid and its pickers; their history stays. Supports are
    archived, never deleted: plans and meetings refer to them."""
    permissions.require(permissions.can_keep_supports(actor, support.school_id))
    support.is_archived = archived
    support.save(update_fields=["is_archived", "updated_at"])
    return support


@transaction.atomic
def support_promote(*, actor: Actor, support: Support) -> Support:
    """A school's support joins the divisional continuum: every school's grid shows it."""
    permissions.require(permissions.can_promote(actor))
    if support.school_id is None:
        raise ValidationError("This support is already on the divisional continuum.")
    support.promoted_from_id, support.school_id = support.school_id, None
    support.promoted_at = timezone.now()
    return _save(support)
