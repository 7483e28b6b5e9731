"""Writes to priorities, evaluations and action plans: every one goes through here."""

from leadership.services.evaluations import evaluations_refresh
from leadership.services.plans import (
    check_in_add,
    comment_add,
    comment_answer,
    commitment_create,
    commitment_done,
    evidence_add,
    goal_create,
    plan_create,
    plan_set_status,
    strategy_add,
)
from leadership.services.priorities import (
    figure_set,
    leadership_defaults_ensure,
    matrix_update,
    measure_save,
    priority_save,
)

__all__ = [
    "check_in_add", "comment_add", "comment_answer", "commitment_create", "commitment_done",
    "evaluations_refresh", "evidence_add", "figure_set", "goal_create",
    "leadership_defaults_ensure", "matrix_update", "measure_save", "plan_create",
    "plan_set_status", "priority_save", "strategy_add",
]  # fmt: skip
