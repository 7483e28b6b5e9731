"""Reads of school action plans, through the school visibility rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from districts.models import DISTRICT_WIDE_ROLES, Membership, User
from districts.permissions import ALL_SCHOOLS, Actor, Capability
from leadership.models import ActionPlan, CheckIn, Goal, PlanComment, PlanCommitment
from leadership.selectors.priorities import school_evaluations


def _school_ids(actor: Actor):
    return actor.school_ids(Capability.VIEW_SCHOOL)


def visible_plans(*, actor: Actor) -> QuerySet[ActionPlan]:
    """Plans of the schools the actor may open (district roles: every school)."""
    plans = ActionPlan.objects.select_related("school", "school_year")
    ids = _school_ids(actor)
    return plans if ids is ALL_SCHOOLS else plans.filter(school_id__in=ids)


def get_plan(*, actor: Actor, actionplan_pk) -> ActionPlan:
    try:
        return visible_plans(actor=actor).get(pk=actionplan_pk)
    except (ActionPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("No such action plan.") from None


def school_plans(*, actor: Actor, school) -> list[ActionPlan]:
    return list(visible_plans(actor=actor).filter(school=school))


def get_goal(*, plan: ActionPlan, goal_pk) -> Goal:
    try:
        return Goal.objects.select_related("plan", "priority").get(plan=plan, pk=goal_pk)
    except (Goal.DoesNotExist, ValueError, TypeError):
        raise Http404("No such goal.") from None


def get_commitment(*, plan: ActionPlan, plancommitment_pk) -> PlanCommitment:
    try:
        return PlanCommitment.objects.select_related("goal__plan").get(
            goal__plan=plan, pk=plancommitment_pk
        )
    except (PlanCommitment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such commitment.") from None


def get_comment(*, plan: ActionPlan, plancomment_pk) -> PlanComment:
    try:
        return PlanComment.objects.select_related("goal__plan").get(
            goal__plan=plan, pk=plancomment_pk
        )
    except (PlanComment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such comment.") from None


def commitment_owners(*, school) -> QuerySet[User]:
    """Who may own a commitment: active members at the school and the district's staff."""
    members = Membership.objects.filter(is_active=True).filter(
        Q(school=school) | Q(role__in=[r.value for r in DISTRICT_WIDE_ROLES])
    )
    return User.objects.filter(pk__in=members.values("user_id")).order_by("full_name", "email")


@dataclass(frozen=True)
class PlanPage:
    plan: ActionPlan
    goals: list[Goal]
    results: dict  # {measure id: SchoolResult} for the goals' priorities


def plan_detail(*, plan: ActionPlan) -> PlanPage:
    """The plan's goals with everything under them, and the school's evaluations of each
    goal's priority's measures (read from the stored evaluations): a fixed number of
    queries."""
    goals = list(
        Goal.objects.filter(plan=plan)
        .select_related("priority__area")
        .prefetch_related(
            "strategies",
            "evidence",
            Prefetch("commitments", queryset=PlanCommitment.objects.select_related("owner")),
            Prefetch("check_ins", queryset=CheckIn.objects.select_related("created_by")),
            Prefetch(
                "comments",
                queryset=PlanComment.objects.select_related("author", "answered_by", "commitment"),
            ),
        )
    )
    results = {
        r.measure.pk: r for r in school_evaluations(school=plan.school, year=plan.school_year)
    }
    for goal in goals:
        goal.results = [r for r in results.values() if r.measure.priority_id == goal.priority_id]
    return PlanPage(plan, goals, results)
