"""Evaluate a school's result on a measure as Alberta's assurance reports do: achievement
against the measure's fixed standards, improvement against the school's previous result, and
the overall evaluation from the district's matrix. Pure functions: easy to test."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from leadership import defaults


@dataclass(frozen=True)
class Verdict:
    achievement: str  # "" without a result
    improvement: str  # "" without a previous result
    overall: str  # "" without a result


def achievement(value: Decimal, cuts: list[Decimal]) -> str:
    """``cuts``: the very-low, low, intermediate and high standards, ascending: a result
    below the first is very low, at or above the last very high."""
    levels = list(reversed(defaults.ACHIEVEMENT))  # very_low … very_high
    for level, cut in zip(levels, cuts, strict=False):
        if value < cut:
            return level
    return levels[-1]


def improvement(value: Decimal, previous: Decimal, *, step: Decimal, significant: Decimal) -> str:
    change = value - previous
    if change >= significant:
        return "improved_significantly"
    if change >= step:
        return "improved"
    if change <= -significant:
        return "declined_significantly"
    if change <= -step:
        return "declined"
    return "maintained"


def evaluate(
    value: Decimal | None, previous: Decimal | None, *, measure, matrix: dict[str, list[str]]
) -> Verdict:
    """Without a previous result the overall is read from the "maintained" column: a new
    measure still gets a colour, and its improvement says there is nothing to compare."""
    if value is None:
        return Verdict("", "", "")
    level = achievement(value, measure.cuts)
    change = ""
    if previous is not None:
        change = improvement(
            value, previous, step=measure.improved_by, significant=measure.significant_by
        )
    column = defaults.IMPROVEMENT.index(change or "maintained")
    return Verdict(level, change, matrix[level][column])


# Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), each with
# a text colour of at least 4.5:1 contrast and a symbol: the word is always printed beside.
OVERALL_STYLE = {
    "excellent": ("#0072B2", "#ffffff", "★"),
    "good": ("#56B4E9", "#000000", "▲"),
    "acceptable": ("#F0E442", "#000000", "●"),
    "issue": ("#E69F00", "#000000", "▼"),
    "concern": ("#D55E00", "#000000", "✖"),
    "": ("#ffffff", "#000000", "–"),
}
