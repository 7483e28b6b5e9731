"""Plain builders shared by the screener tests (no fixtures, so nothing is shared implicitly).

Bands follow screeners/demo.py: four bands of a 0–100 reading screener, most need first.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from crsys.tenancy.context import district_context
from districts.permissions import SYSTEM
from screeners import services
from screeners.bands import BandSpec
from screeners.models import ScreenerResult, ScreeningWindow
from tests.factories import ScreenerFactory, ScreenerResultFactory

RED, YELLOW, GREEN, BLUE = "#c62828", "#f9a825", "#2e7d32", "#1565c0"

# (name, label, colour, from, to, meets benchmark)
READING = [
    ("Intensive", "Intensive support needed", RED, 0, 34, False),
    ("Strategic", "Strategic support needed", YELLOW, 35, 54, False),
    ("At benchmark", "At or above benchmark", GREEN, 55, 84, True),
    ("Exceeding", "Exceeding benchmark", BLUE, 85, 100, True),
]
# Grade 4's cut points differ from grade 3's; the names (and so the ranks) are the same.
READING_GRADE_4 = [
    ("Intensive", "Intensive support needed", RED, 0, 44, False),
    ("Strategic", "Strategic support needed", YELLOW, 45, 64, False),
    ("At benchmark", "At or above benchmark", GREEN, 65, 89, True),
    ("Exceeding", "Exceeding benchmark", BLUE, 90, 100, True),
]


def specs(rows) -> list[BandSpec]:
    return [
        BandSpec(name, label, colour, Decimal(str(low)), Decimal(str(high)), meets)
        for name, label, colour, low, high, meets in rows
    ]


def band(name, low, high, meets=False, colour=GREEN) -> BandSpec:
    return BandSpec(name, f"{name} label", colour, Decimal(str(low)), Decimal(str(high)), meets)


def make_screener(district, name="Reading Benchmark", *, grades=("03", "04"), **fields):
    return ScreenerFactory(district=district, name=name, grades=list(grades), **fields)


def set_bands(screener, *, grades=("03",), seasons=("fall", "winter", "spring"), rows=READING):
    with district_context(screener.district_id):
        for grade in grades:
            for season in seasons:
                services.bands_replace(
                    actor=SYSTEM, screener=screener, grade=grade, season=season, bands=specs(rows)
                )


def make_window(year, season, opens_on, closes_on, screeners, grades=()) -> ScreeningWindow:
    with district_context(year.district_id):
        return services.window_save(
            actor=SYSTEM,
            school_year=year,
            season=season,
            opens_on=opens_on,
            closes_on=closes_on,
            screeners=list(screeners),
            grades=list(grades),
        )


def add_result(window, screener, student, score) -> ScreenerResult:
    """A raw result row (no band: the recompute places it), as an import would write it."""
    return ScreenerResultFactory(
        window=window, screener=screener, student=student, score=Decimal(str(score))
    )


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
