from django.urls import path

from leadership.views import dashboard, plans, priorities

app_name = "leadership"

P = "leadership/plans/<int:actionplan_pk>/"
urlpatterns = [
    path("leadership/", dashboard.dashboard, name="dashboard"),
    path("leadership/dashboard.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("leadership/dashboard.pdf", dashboard.dashboard_pdf, name="dashboard_pdf"),
    path("leadership/schools/<int:school_pk>/", dashboard.school, name="school"),
    path("leadership/schools/<int:school_pk>/plans/", plans.plan_new, name="plan_new"),
    path("leadership/priorities/", priorities.priorities, name="priorities"),
    path("leadership/priorities/new/", priorities.priority_add, name="priority_add"),
    path("leadership/priorities/<int:priority_pk>/", priorities.priority_edit, name="priority"),
    path(
        "leadership/priorities/<int:priority_pk>/measures/new/",
        priorities.measure_new,
        name="measure_new",
    ),
    path("leadership/measures/<int:measure_pk>/", priorities.measure, name="measure"),
    path(
        "leadership/measures/<int:measure_pk>/edit/", priorities.measure_edit, name="measure_edit"
    ),
    path("leadership/measures/<int:measure_pk>/figures/", priorities.figure_set, name="figure_set"),
    path(P, plans.plan, name="plan"),
    path(P + "status/", plans.plan_status, name="plan_status"),
    path(P + "goals/", plans.goal_add, name="goal_add"),
    *[
        path(
            P + f"goals/<int:goal_pk>/{kind}/",
            plans.goal_part_add,
            {"kind": kind},
            name=f"{kind}_add",
        )
        for kind in plans.GOAL_FORMS
    ],  # fmt: skip
    path(
        P + "commitments/<int:plancommitment_pk>/done/",
        plans.commitment_done,
        name="commitment_done",
    ),
    path(P + "comments/<int:plancomment_pk>/answer/", plans.comment_answer, name="comment_answer"),
]
