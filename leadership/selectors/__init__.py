"""Reads of priorities, evaluations and action plans, filtered to what an actor may see."""

from leadership.selectors.dashboard import GRADE_BANDS, Dashboard, grade_band, leadership_dashboard
from leadership.selectors.home import home_sections
from leadership.selectors.plans import (
    commitment_owners,
    get_comment,
    get_commitment,
    get_goal,
    get_plan,
    plan_detail,
    school_plans,
    visible_plans,
)
from leadership.selectors.priorities import (
    areas,
    get_area,
    get_measure,
    get_priority,
    measure_evaluations,
    measures_for_window,
    priorities_of_year,
    school_evaluations,
    school_years,
    selected_year,
    visible_priorities,
)

__all__ = [
    "GRADE_BANDS", "Dashboard", "areas", "commitment_owners", "get_area", "get_comment",
    "get_commitment", "get_goal", "get_measure", "get_plan", "get_priority", "grade_band",
    "home_sections", "leadership_dashboard", "measure_evaluations", "measures_for_window",
    "plan_detail", "priorities_of_year", "school_evaluations", "school_plans", "school_years",
    "selected_year", "visible_plans", "visible_priorities",
]  # fmt: skip
