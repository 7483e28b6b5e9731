from leadership.models.plans import (
    ActionPlan,
    CheckIn,
    CheckInStatus,
    Evidence,
    Goal,
    Phase,
    PlanComment,
    PlanCommitment,
    PlanStatus,
    Strategy,
)
from leadership.models.priorities import (
    Achievement,
    AssuranceArea,
    Evaluation,
    EvaluationMatrix,
    Improvement,
    Measure,
    MeasureFigure,
    MeasureKind,
    MeasureSource,
    Overall,
    Priority,
)

__all__ = [
    "Achievement", "ActionPlan", "AssuranceArea", "CheckIn", "CheckInStatus", "Evaluation",
    "EvaluationMatrix", "Evidence", "Goal", "Improvement", "Measure", "MeasureFigure",
    "MeasureKind", "MeasureSource", "Overall", "Phase", "PlanComment", "PlanCommitment",
    "PlanStatus", "Priority", "Strategy",
]  # fmt: skip
