"""A school's action plan: one page with every goal and its parts; each form posts to its own
address and, when refused, the page comes back with that form's errors (400)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from leadership import permissions, selectors, services
from leadership.forms import (
    AnswerForm,
    CheckInForm,
    CommentForm,
    CommitmentDoneForm,
    CommitmentForm,
    EvidenceForm,
    GoalForm,
    NewPlanForm,
    PlanStatusForm,
    StrategyForm,
)
from schools import selectors as school_selectors

GOAL_FORMS = {
    "strategy": StrategyForm,
    "commitment": CommitmentForm,
    "evidence": EvidenceForm,
    "checkin": CheckInForm,
    "comment": CommentForm,
}


def _goal_form(kind: str, goal, data=None, owners=None):
    kwargs = {"prefix": f"g{goal.pk}-{kind}"}
    if kind == "commitment":
        kwargs["owners"] = owners
    if kind == "comment":
        kwargs["goal"] = goal
    return GOAL_FORMS[kind](data, **kwargs)


def _plan_page(request, plan, *, failed=None, status=200):
    """``failed``: (kind, object pk, bound form) of a refused form, shown in its place."""
    actor = request.actor
    page = selectors.plan_detail(plan=plan)
    can_keep = permissions.can_keep_plan(actor, plan.school_id) and not plan.is_closed
    can_comment = permissions.can_comment(actor)
    owners = selectors.commitment_owners(school=plan.school)
    failed_kind, failed_pk, failed_form = failed or (None, None, None)
    for goal in page.goals:
        goal.forms = {}
        kinds = [*(["strategy", "commitment", "evidence", "checkin"] if can_keep else []),
                 *(["comment"] if can_comment else [])]  # fmt: skip
        for kind in kinds:
            if kind == failed_kind and goal.pk == failed_pk:
                goal.forms[kind] = failed_form
            else:
                goal.forms[kind] = _goal_form(kind, goal, owners=owners)
        for comment in goal.comments.all():
            prefix = f"c{comment.pk}"
            comment.form = (
                failed_form
                if failed_kind == "answer" and failed_pk == comment.pk
                else AnswerForm(initial={"answer": comment.answer}, prefix=prefix)
            )
    goal_form = failed_form if failed_kind == "goal" else GoalForm(prefix="goal")
    shown = failed_kind == "goal" or any(
        failed_form is f for goal in page.goals for f in goal.forms.values()
    )
    if failed_form is not None and failed_kind != "answer" and not shown:
        # A form the page no longer offers (a closed plan's): its refusal as a message.
        for error in failed_form.non_field_errors():
            messages.error(request, error)
    context = {
        "plan": plan,
        "goals": page.goals,
        "goal_form": goal_form,
        "can_keep": can_keep,
        "can_answer": permissions.can_keep_plan(actor, plan.school_id),
        "can_comment": can_comment,
        "today": school_selectors.district_today(actor),
    }
    return render(request, "leadership/plan.html", context, status=status)


@require_POST
def plan_new(request, school_pk: int):
    school = school_selectors.get_school(actor=request.actor, school_pk=school_pk)
    permissions.require(permissions.can_keep_plan(request.actor, school.pk))
    form = NewPlanForm(request.POST)
    if form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.actor, school=school, school_year=form.cleaned_data["school_year"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect(plan.get_absolute_url())
    else:
        messages.error(request, "Choose a school year.")
    return redirect("leadership:school", district_slug=request.district.slug, school_pk=school.pk)


@require_GET
def plan(request, actionplan_pk: int):
    plan = selectors.get_plan(actor=request.actor, actionplan_pk=actionplan_pk)
    return _plan_page(request, plan)


@require_POST
def plan_status(request, actionplan_pk: int):
    plan = selectors.get_plan(actor=request.actor, actionplan_pk=actionplan_pk)
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        services.plan_set_status(actor=request.actor, plan=plan, status=form.cleaned_data["status"])
        messages.success(request, f"The plan is {plan.get_status_display().lower()}.")
        return redirect(plan.get_absolute_url())
    permissions.require(permissions.can_keep_plan(request.actor, plan.school_id))
    return _plan_page(request, plan, status=400)


@require_POST
def goal_add(request, actionplan_pk: int):
    plan = selectors.get_plan(actor=request.actor, actionplan_pk=actionplan_pk)
    permissions.require(permissions.can_keep_plan(request.actor, plan.school_id))
    form = GoalForm(request.POST, prefix="goal")
    if form.is_valid():
        try:
            services.goal_create(actor=request.actor, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "The goal is on the plan.")
            return redirect(plan.get_absolute_url())
    return _plan_page(request, plan, failed=("goal", None, form), status=400)


SAVE = {
    "strategy": services.strategy_add,
    "commitment": services.commitment_create,
    "evidence": services.evidence_add,
    "checkin": services.check_in_add,
    "comment": services.comment_add,
}
DONE = {
    "strategy": "The strategy is added.",
    "commitment": "The commitment is added.",
    "evidence": "The evidence is added.",
    "checkin": "Checked in.",
    "comment": "Your comment is posted; the school sees it on its home page.",
}


@require_POST
def goal_part_add(request, actionplan_pk: int, goal_pk: int, kind: str):
    plan = selectors.get_plan(actor=request.actor, actionplan_pk=actionplan_pk)
    goal = selectors.get_goal(plan=plan, goal_pk=goal_pk)
    if kind == "comment":
        permissions.require(permissions.can_comment(request.actor))
    else:
        permissions.require(permissions.can_keep_plan(request.actor, plan.school_id))
    owners = selectors.commitment_owners(school=plan.school) if kind == "commitment" else None
    form = _goal_form(kind, goal, request.POST, owners=owners)
    if form.is_valid():
        try:
            SAVE[kind](actor=request.actor, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, DONE[kind])
            return redirect(f"{plan.get_absolute_url()}#goal-{goal.pk}")
    return _plan_page(request, plan, failed=(kind, goal.pk, form), status=400)


@require_POST
def commitment_done(request, actionplan_pk: int, plancommitment_pk: int):
    plan = selectors.get_plan(actor=request.actor, actionplan_pk=actionplan_pk)
    commitment = selectors.get_commitment(plan=plan, plancommitment_pk=plancommitment_pk)
    form = CommitmentDoneForm(request.POST)
    form.is_valid()
    try:
        services.commitment_done(
            actor=request.actor, commitment=commitment, done=form.cleaned_data.get("done", False),
            today=school_selectors.district_today(request.actor),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{plan.get_absolute_url()}#goal-{commitment.goal_id}")


@require_POST
def comment_answer(request, actionplan_pk: int, plancomment_pk: int):
    plan = selectors.get_plan(actor=request.actor, actionplan_pk=actionplan_pk)
    comment = selectors.get_comment(plan=plan, plancomment_pk=plancomment_pk)
    permissions.require(permissions.can_keep_plan(request.actor, plan.school_id))
    form = AnswerForm(request.POST, prefix=f"c{comment.pk}")
    if form.is_valid():
        try:
            services.comment_answer(actor=request.actor, comment=comment, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "Your answer is saved.")
            return redirect(f"{plan.get_absolute_url()}#goal-{comment.goal_id}")
    return _plan_page(request, plan, failed=("answer", comment.pk, form), status=400)
