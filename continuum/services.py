"""Writes to the continuum: every one goes through here, validated on the model."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from continuum import defaults, permissions
from continuum.models import (
    FocusArea,
    PlanChange,
    PlanStatus,
    ProgressPoint,
    Support,
    SupportPlan,
    Tier,
)
from continuum.selectors import visible_supports
from crsys.tenancy.context import district_context
from districts.permissions import Actor
from schools.models import Student
from schools.selectors import district_today, student_school_ids, visible_students

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


def continuum_defaults_ensure(*, district_id: int) -> None:
    """A district's starting focus areas and tiers (those it lacks; idempotent). Called when
    the district is created (``districts.services.district_create``, platform work, so it
    enters the district itself); a migration did the same for districts made before."""
    with district_context(district_id):
        have_areas = set(FocusArea.objects.values_list("key", flat=True))
        FocusArea.objects.bulk_create(
            FocusArea(district_id=district_id, key=key, name=name, position=i)
            for i, (key, name) in enumerate(defaults.FOCUS_AREAS)
            if key not in have_areas
        )
        have_tiers = set(Tier.objects.values_list("number", flat=True))
        Tier.objects.bulk_create(
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
    return _on_field(error, code="duplicate_name", field="name")


def _on_field(error: ValidationError, *, code: str, field: str) -> ValidationError:
    """A constraint's error (``code``, which Django files under the form) on ``field``."""
    errors = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    taken = [e for e in errors.get("__all__", []) if e.code == code]
    if taken:
        errors["__all__"] = [e for e in errors["__all__"] if e.code != code]
        errors.setdefault(field, []).extend(taken)
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


PLAN_FIELDS = (
    "goal",
    "measure",
    "baseline",
    "target",
    "responsible",
    "start_date",
    "duration_weeks",
    "sessions_per_week",
    "minutes_per_session",
    "monitor_every_weeks",
    "student_goal",
    "student_helps",
    "family",
)


def _require_student(actor: Actor, student: Student) -> None:
    """Plans are for students the actor may see; one they may not is 'no such student'."""
    if not visible_students(actor=actor).filter(pk=student.pk).exists():
        raise Http404("No such student.")


def _check_support_for(actor: Actor, plan: SupportPlan) -> None:
    support = plan.support
    if support.district_id != actor.district_id or not (
        visible_supports(actor=actor).filter(pk=support.pk).exists()
    ):
        raise ValidationError({"support": "Choose a support of the continuum."})
    if support.is_archived:
        raise ValidationError({"support": "This support is archived."})
    if support.school_id is not None and support.school_id not in student_school_ids(plan.student):
        raise ValidationError({"support": "This support belongs to another school's continuum."})


def _save_plan(plan: SupportPlan) -> SupportPlan:
    try:
        plan.full_clean()
    except ValidationError as error:
        raise _on_field(error, code="duplicate_plan", field="support") from None
    plan.save()
    return plan


@transaction.atomic
def plan_create(
    *, actor: Actor, student: Student, support: Support, discussion=None, **fields
) -> SupportPlan:
    """A support for one student (from a meeting's key issue, or directly). It starts
    planned when its start date is ahead, active otherwise."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"plan_create() got unexpected fields {sorted(unknown)}")
    _require_student(actor, student)
    plan = SupportPlan(
        district_id=actor.district_id,
        student=student,
        support=support,
        focus_area_id=support.focus_area_id,
        tier_id=support.tier_id,
        discussion=discussion,
        created_by_id=actor.user_id,
        **fields,
    )
    _check_support_for(actor, plan)
    today = district_today(actor)
    plan.status = (
        PlanStatus.PLANNED if plan.start_date and plan.start_date > today else PlanStatus.ACTIVE
    )
    return _save_plan(plan)


# A change to one of these, once a plan has started, is a phase line on its chart.
PHASE_FIELDS = (
    "sessions_per_week",
    "minutes_per_session",
    "responsible",
    "duration_weeks",
    "goal",
    "target",
)


@transaction.atomic
def plan_update(*, actor: Actor, plan: SupportPlan, reason: str = "", **fields) -> SupportPlan:
    """Change a plan, or end it with its outcome. A change to how an open, started plan is
    given (``PHASE_FIELDS``) is recorded, with the ``reason`` given, as a phase line."""
    unknown = set(fields) - set(PLAN_FIELDS) - {"status", "outcome"}
    if unknown:
        raise TypeError(f"plan_update() got unexpected fields {sorted(unknown)}")
    _require_student(actor, plan.student)
    before = {name: getattr(plan, name) for name in PHASE_FIELDS}
    for name, value in fields.items():
        setattr(plan, name, value)
    if plan.status in (PlanStatus.COMPLETED, PlanStatus.DISCONTINUED) and not plan.outcome.strip():
        raise ValidationError({"outcome": "Say how it went: a plan ends with its outcome."})
    plan = _save_plan(plan)
    today = district_today(actor)
    summary = _phase_summary(before, plan)
    if summary and plan.is_open and plan.start_date <= today:
        change = PlanChange(
            district_id=actor.district_id,
            plan=plan,
            date=today,
            summary=summary,
            reason=reason,
            changed_by_id=actor.user_id,
        )
        change.full_clean()
        change.save()
    return plan


def _phase_summary(before: dict, plan: SupportPlan) -> str:
    """What changed in how the plan is given, in words ("" for nothing)."""

    def schedule(sessions, minutes) -> str:
        if not sessions and not minutes:
            return "no set schedule"
        return f"{sessions or '?'} × {minutes or '?'} min a week"

    def person(user) -> str:
        return (user.full_name or user.email) if user else "nobody named"

    def number(value) -> str:
        return "none" if value is None else f"{value.normalize():f}"

    parts = []
    old = schedule(before["sessions_per_week"], before["minutes_per_session"])
    new = schedule(plan.sessions_per_week, plan.minutes_per_session)
    if old != new:
        parts.append(f"schedule {old} → {new}")
    if before["responsible"] != plan.responsible:
        parts.append(f"provider {person(before['responsible'])} → {person(plan.responsible)}")
    if before["duration_weeks"] != plan.duration_weeks:
        parts.append(f"length {before['duration_weeks']} → {plan.duration_weeks} weeks")
    if before["target"] != plan.target:
        parts.append(f"aim {number(before['target'])} → {number(plan.target)}")
    if before["goal"] != plan.goal:
        parts.append(f"goal: {plan.goal}")
    summary = "; ".join(parts)
    return summary[:1].upper() + summary[1:]


@transaction.atomic
def progress_add(*, actor: Actor, plan: SupportPlan, date, score, note: str = "") -> ProgressPoint:
    """A progress-monitoring score, dated between the plan's start and today."""
    _require_student(actor, plan.student)
    today = district_today(actor)
    errors = {}
    if date is not None and date < plan.start_date:
        errors["date"] = f"The plan starts on {plan.start_date:%d %b %Y}: date a score after that."
    elif date is not None and date > today:
        errors["date"] = "A score cannot be dated in the future."
    if errors:
        raise ValidationError(errors)
    point = ProgressPoint(
        district_id=actor.district_id,
        plan=plan,
        date=date,
        score=score,
        note=note,
        entered_by_id=actor.user_id,
    )
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def progress_remove(*, actor: Actor, point: ProgressPoint) -> None:
    _require_student(actor, point.plan.student)
    point.delete()


@transaction.atomic
def focus_area_save(*, actor: Actor, focus_area: FocusArea | None = None, **fields) -> FocusArea:
    """Add a focus area (``focus_area`` None) or rename, reorder or archive one."""
    permissions.require(permissions.can_configure(actor))
    unknown = set(fields) - {"key", "name", "position", "is_archived"}
    if unknown:
        raise TypeError(f"focus_area_save() got unexpected fields {sorted(unknown)}")
    if focus_area is None:
        focus_area = FocusArea(district_id=actor.district_id)
    elif "key" in fields and fields["key"] != focus_area.key:
        raise ValidationError({"key": "A focus area's key stays: meetings and screeners use it."})
    for name, value in fields.items():
        setattr(focus_area, name, value)
    try:
        focus_area.full_clean()
    except ValidationError as error:
        error = _on_field(error, code="duplicate_name", field="name")
        raise _on_field(error, code="duplicate_key", field="key") from None
    focus_area.save()
    return focus_area


@transaction.atomic
def tier_save(*, actor: Actor, tier: Tier | None = None, **fields) -> Tier:
    """Add the next tier (``tier`` None) or rename or describe one."""
    permissions.require(permissions.can_configure(actor))
    unknown = set(fields) - {"name", "description"}
    if unknown:
        raise TypeError(f"tier_save() got unexpected fields {sorted(unknown)}")
    if tier is None:
        numbers = Tier.objects.values_list("number", flat=True)
        tier = Tier(district_id=actor.district_id, number=max(numbers, default=0) + 1)
    for name, value in fields.items():
        setattr(tier, name, value)
    tier.full_clean()
    tier.save()
    return tier
