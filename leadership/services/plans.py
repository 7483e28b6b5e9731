"""Writes to school action plans: goals, strategies, commitments, evidence, check-ins, and
the district's comments with the principal's answers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from districts.models import DISTRICT_WIDE_ROLES, Membership
from leadership import permissions
from leadership.models import (
    ActionPlan,
    CheckIn,
    Evidence,
    Goal,
    PlanComment,
    PlanCommitment,
    PlanStatus,
    Strategy,
)
from leadership.permissions import AnyActor


def _keep(actor: AnyActor, plan: ActionPlan, *, open_only: bool = True) -> None:
    permissions.require(permissions.can_keep_plan(actor, plan.school_id))
    if open_only and plan.is_closed:
        raise ValidationError("This plan is closed: reopen it to change it.")


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def plan_create(*, actor: AnyActor, school, school_year) -> ActionPlan:
    permissions.require(permissions.can_keep_plan(actor, school.pk))
    plan = ActionPlan(
        district_id=school.district_id, school=school, school_year=school_year,
        created_by_id=getattr(actor, "user_id", None),
    )  # fmt: skip
    try:
        plan.full_clean()
    except ValidationError as error:
        raise ValidationError({"school_year": error.messages}) from None
    plan.save()
    return plan


@transaction.atomic
def plan_set_status(*, actor: AnyActor, plan: ActionPlan, status: str) -> ActionPlan:
    _keep(actor, plan, open_only=False)
    if status not in PlanStatus.values:
        raise ValidationError({"status": "Choose active or closed."})
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    return plan


@transaction.atomic
def goal_create(*, actor: AnyActor, plan: ActionPlan, priority, title: str) -> Goal:
    """A goal tied to a district priority of the plan's own school year."""
    _keep(actor, plan)
    if priority.district_id != plan.district_id:
        raise ValidationError({"priority": "Choose one of the district's priorities."})
    if priority.school_year_id != plan.school_year_id:
        raise ValidationError(
            {"priority": "Choose a priority of the plan's school year: this one is another year's."}
        )
    position = plan.goals.count()
    return _saved(
        Goal(district_id=plan.district_id, plan=plan, priority=priority, title=title,
             position=position)
    )  # fmt: skip


@transaction.atomic
def strategy_add(*, actor: AnyActor, goal: Goal, text: str) -> Strategy:
    _keep(actor, goal.plan)
    return _saved(Strategy(district_id=goal.district_id, goal=goal, text=text))


def has_school_access(user, school_id: int) -> bool:
    """An active membership at the school, or a district-wide role."""
    return Membership.objects.filter(
        Q(school_id=school_id) | Q(role__in=[r.value for r in DISTRICT_WIDE_ROLES]),
        user=user,
        is_active=True,
    ).exists()


@transaction.atomic
def commitment_create(*, actor: AnyActor, goal: Goal, text: str, owner, due_on) -> PlanCommitment:
    """Someone who may open the school commits to something by ``due_on``."""
    _keep(actor, goal.plan)
    if owner is None or not has_school_access(owner, goal.plan.school_id):
        raise ValidationError({"owner": "Choose someone who works at or for this school."})
    return _saved(
        PlanCommitment(district_id=goal.district_id, goal=goal, text=text, owner=owner,
                       due_on=due_on)
    )  # fmt: skip


@transaction.atomic
def commitment_done(
    *, actor: AnyActor, commitment: PlanCommitment, done: bool, today
) -> PlanCommitment:
    _keep(actor, commitment.goal.plan)
    commitment.done_on = today if done else None
    commitment.save(update_fields=["done_on", "updated_at"])
    return commitment


@transaction.atomic
def evidence_add(
    *, actor: AnyActor, goal: Goal, title: str, url: str = "", note: str = ""
) -> Evidence:
    _keep(actor, goal.plan)
    return _saved(
        Evidence(district_id=goal.district_id, goal=goal, title=title, url=url, note=note)
    )


@transaction.atomic
def check_in_add(
    *, actor: AnyActor, goal: Goal, phase: str, status: str, narrative: str
) -> CheckIn:
    """A dated check-in on the plan → act → observe → reflect cycle; refused on a closed
    plan. Check-ins are never edited: the list is the goal's history."""
    plan = goal.plan
    permissions.require(permissions.can_keep_plan(actor, plan.school_id))
    if plan.is_closed:
        raise ValidationError("This plan is closed: a check-in goes on an open plan.")
    return _saved(
        CheckIn(district_id=goal.district_id, goal=goal, phase=phase, status=status,
                narrative=narrative, created_by_id=getattr(actor, "user_id", None))
    )  # fmt: skip


@transaction.atomic
def comment_add(*, actor: AnyActor, goal: Goal, text: str, commitment=None) -> PlanComment:
    """A district leader's question on a goal or one of its commitments."""
    permissions.require(
        permissions.can_comment(actor), "Only district leaders comment on action plans."
    )
    if commitment is not None and commitment.goal_id != goal.pk:
        raise ValidationError({"commitment": "Choose a commitment of this goal."})
    return _saved(
        PlanComment(district_id=goal.district_id, goal=goal, commitment=commitment, text=text,
                    author_id=getattr(actor, "user_id", None))
    )  # fmt: skip


@transaction.atomic
def comment_answer(*, actor: AnyActor, comment: PlanComment, answer: str) -> PlanComment:
    """The school's answer, in place (it may be revised)."""
    permissions.require(permissions.can_keep_plan(actor, comment.goal.plan.school_id))
    if not answer.strip():
        raise ValidationError({"answer": "Write an answer."})
    comment.answer = answer
    comment.answered_by_id = getattr(actor, "user_id", None)
    comment.answered_at = timezone.now()
    comment.full_clean()
    comment.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
    return comment
