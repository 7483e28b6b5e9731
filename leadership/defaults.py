"""What a new district starts with: Alberta's five assurance areas and its evaluation matrix
(achievement × improvement → overall), each of which the district may change."""

from __future__ import annotations

ASSURANCE_AREAS = [
    ("growth", "Student Growth and Achievement"),
    ("teaching", "Teaching and Leading"),
    ("supports", "Learning Supports"),
    ("governance", "Governance"),
    ("context", "Local and Societal Context"),
]

ACHIEVEMENT = ["very_high", "high", "intermediate", "low", "very_low"]
IMPROVEMENT = [
    "improved_significantly",
    "improved",
    "maintained",
    "declined",
    "declined_significantly",
]
OVERALL = ["excellent", "good", "acceptable", "issue", "concern"]

# Alberta Education Assurance Measures: rows achievement, columns improvement (as above).
MATRIX = {
    "very_high": ["excellent", "excellent", "excellent", "good", "acceptable"],
    "high": ["good", "good", "good", "acceptable", "issue"],
    "intermediate": ["good", "good", "acceptable", "issue", "concern"],
    "low": ["good", "acceptable", "issue", "issue", "concern"],
    "very_low": ["acceptable", "issue", "concern", "concern", "concern"],
}
