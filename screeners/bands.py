"""Benchmark bands: checking cut points, and finding a score's band."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class BandSpec:
    name: str
    label: str
    colour: str
    min_score: Decimal
    max_score: Decimal
    meets_benchmark: bool = False


def check_cut_points(
    bands: list[BandSpec], *, low: Decimal, high: Decimal, step: Decimal
) -> list[str]:
    """Problems with a set of bands: they must cover ``low``…``high`` with no overlap and no
    gap (adjacent bands meet one ``step`` apart). Each message names the offending values."""
    problems: list[str] = []
    if not bands:
        return ["define at least one band"]
    for band in bands:
        if band.min_score > band.max_score:
            problems.append(
                f"{band.name}: from {plain(band.min_score)} is above to {plain(band.max_score)}"
            )
    ordered = sorted(bands, key=lambda b: (b.min_score, b.max_score))
    first, last = ordered[0], ordered[-1]
    if first.min_score > low:
        problems.append(
            f"{first.name} starts at {plain(first.min_score)}; the lowest possible score "
            f"{plain(low)} is in no band"
        )
    elif first.min_score < low:
        problems.append(
            f"{first.name} starts at {plain(first.min_score)}, below the lowest possible score "
            f"{plain(low)}"
        )
    if last.max_score < high:
        problems.append(
            f"{last.name} ends at {plain(last.max_score)}; the highest possible score "
            f"{plain(high)} is in no band"
        )
    elif last.max_score > high:
        problems.append(
            f"{last.name} ends at {plain(last.max_score)}, above the highest possible score "
            f"{plain(high)}"
        )
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.min_score <= before.max_score:
            first = f"{before.name} ({plain(before.min_score)}–{plain(before.max_score)})"
            second = f"{after.name} ({plain(after.min_score)}–{plain(after.max_score)})"
            problems.append(f"{first} and {second} overlap")
        elif after.min_score > before.max_score + step:
            problems.append(
                f"gap between {before.name} (ends at {plain(before.max_score)}) and "
                f"{after.name} (starts at {plain(after.min_score)})"
            )
    return problems


def ranked(bands: list[BandSpec], *, higher_is_better: bool) -> list[BandSpec]:
    """Bands from most need (rank 0) to least."""
    ordered = sorted(bands, key=lambda b: b.min_score)
    return ordered if higher_is_better else list(reversed(ordered))


def parse_score(raw, *, screener) -> tuple[Decimal | None, str | None]:
    """(score, None) or (None, a message saying what is wrong)."""
    text = str(raw).strip()
    if screener.score_type == "ordinal":
        levels = [str(level).strip().lower() for level in screener.levels]
        if text.lower() in levels:
            return Decimal(levels.index(text.lower()) + 1), None
        if text.isascii() and text.isdigit() and 1 <= int(text) <= len(levels):
            return Decimal(int(text)), None
        return None, f"'{text}' is not one of the levels: {', '.join(screener.levels)}"
    try:
        score = Decimal(text.replace(",", "."))
    except (InvalidOperation, ValueError):
        return None, f"'{text}' is not a number"
    if not score.is_finite():
        return None, f"'{text}' is not a number"
    if score < screener.min_score or score > screener.max_score:
        return None, (
            f"{text} is out of range: scores go from {plain(screener.min_score)} "
            f"to {plain(screener.max_score)}"
        )
    if (score - screener.min_score) % screener.score_step != 0:
        return None, f"{text} is not a possible score (steps of {plain(screener.score_step)})"
    return score, None


def plain(number: Decimal) -> str:
    """100.00 -> '100', 2.50 -> '2.5'."""
    return f"{Decimal(number).normalize():f}"


def score_display(score: Decimal, screener) -> str:
    if screener.score_type == "ordinal":
        index = int(score) - 1
        return screener.levels[index] if 0 <= index < len(screener.levels) else plain(score)
    return plain(score)
