"""Pages of a student's support plans: a new plan, the plan with its progress chart, its
status, and quick score entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum import charts, selectors, services
from continuum.forms import PlanChangeForm, PlanForm, PlanStatusForm, ProgressPointForm
from schools import selectors as school_selectors


@require_http_methods(["GET", "POST"])
def plan_new(request):
    actor = request.actor
    student = school_selectors.get_student(
        actor=actor, student_pk=request.GET.get("student") or request.POST.get("student")
    )
    discussion = None
    if request.GET.get("discussion"):
        discussion = selectors.discussion_for_plan(
            actor=actor, student=student, discussion_pk=request.GET["discussion"]
        )
    today = school_selectors.district_today(request.district)
    initial = {"start_date": today}
    supports = selectors.plan_supports(actor=actor, student=student)
    if discussion is not None:
        initial["goal"] = (discussion.supports or discussion.notes or "")[:300]
        # The first support the brainstorm picked from the continuum (a line of its own).
        lines = [line.strip() for line in discussion.supports.splitlines()]
        by_name = {s.name: s for s in supports}
        initial["support"] = next((by_name[n] for n in lines if n in by_name), None)
    form = PlanForm(
        request.POST or None,
        initial=initial,
        supports=supports,
        staff=selectors.plan_staff(student=student),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        support = data.pop("support")
        try:
            plan = services.plan_create(
                actor=actor, student=student, support=support, discussion=discussion, **data
            )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"{support.name} is planned for {student.display_name}.")
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "continuum/plan_form.html",
        {"form": form, "student": student, "discussion": discussion},
        status=400 if request.method == "POST" else 200,
    )


def _plan_page(request, plan, *, point_form=None, status_form=None, change_form=None, status=200):
    points = selectors.plan_points(plan=plan)
    changes = selectors.plan_changes(plan=plan)
    chart = charts.progress_chart(
        start=plan.start_date,
        end=plan.end_date,
        scores=[(p.date, p.score) for p in points],
        baseline=plan.baseline,
        target=plan.target,
        changes=[(c.date, c.summary) for c in changes],
    )
    context = {
        "plan": plan,
        "points": points,
        "chart": chart,
        "changes": changes,
        "point_form": point_form
        or ProgressPointForm(initial={"date": school_selectors.district_today(request.district)}),
        "status_form": status_form
        or PlanStatusForm(initial={"status": plan.status, "outcome": plan.outcome}),
        "change_form": change_form
        or PlanChangeForm(
            staff=selectors.plan_staff(student=plan.student),
            initial={name: getattr(plan, name) for name in services.PHASE_FIELDS}
            | {"monitor_every_weeks": plan.monitor_every_weeks},
        ),
    }
    return render(request, "continuum/plan_detail.html", context, status=status)


@require_GET
def plan_detail(request, plan_pk: int):
    plan = selectors.get_plan(actor=request.actor, plan_pk=plan_pk)
    return _plan_page(request, plan)


@require_POST
def plan_status(request, plan_pk: int):
    plan = selectors.get_plan(actor=request.actor, plan_pk=plan_pk)
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        try:
            services.plan_update(actor=request.actor, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"The plan is {plan.get_status_display().lower()}.")
            return redirect(plan.get_absolute_url())
    plan.refresh_from_db()
    return _plan_page(request, plan, status_form=form, status=400)


@require_POST
def plan_change(request, plan_pk: int):
    """Change how the plan is given: a phase line on its chart from today."""
    plan = selectors.get_plan(actor=request.actor, plan_pk=plan_pk)
    form = PlanChangeForm(request.POST, staff=selectors.plan_staff(student=plan.student))
    if form.is_valid():
        try:
            services.plan_update(actor=request.actor, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "The plan is changed.")
            return redirect(plan.get_absolute_url())
    plan.refresh_from_db()
    return _plan_page(request, plan, change_form=form, status=400)


@require_POST
def point_add(request, plan_pk: int):
    plan = selectors.get_plan(actor=request.actor, plan_pk=plan_pk)
    form = ProgressPointForm(request.POST)
    if form.is_valid():
        try:
            services.progress_add(actor=request.actor, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "Score saved.")
            return redirect(plan.get_absolute_url() + "#scores")
    return _plan_page(request, plan, point_form=form, status=400)


@require_POST
def point_remove(request, plan_pk: int, point_pk: int):
    plan = selectors.get_plan(actor=request.actor, plan_pk=plan_pk)
    point = selectors.get_point(plan=plan, point_pk=point_pk)
    services.progress_remove(actor=request.actor, point=point)
    messages.success(request, "Score removed.")
    return redirect(plan.get_absolute_url() + "#scores")
