"""Demo screeners, bands, windows and results with plausible growth and a few declines."""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
import pandas as pd

from crsys.bulk import analyze_after_commit, insert_rows
from crsys.tenancy.context import district_context
from schools.grades import GRADE_CODES
from schools.models import Enrolment, SchoolYear, Student
from screeners import recompute, services
from screeners.bands import BandSpec
from screeners.models import Screener, ScreenerResult, ScreeningWindow

RED, YELLOW, GREEN, BLUE = "#c62828", "#f9a825", "#2e7d32", "#1565c0"
GRADES = [g for g in GRADE_CODES if g in {"KG", *[f"{n:02d}" for n in range(1, 13)]}]
# name, domain, score type, min, max, levels, and per season the bands as
# (name, label, colour, lowest score, highest score, meets benchmark)
SCREENERS = [
    (
        "Reading Benchmark",
        "literacy",
        "numeric",
        0,
        100,
        [],
        {
            "fall": [
                ("Intensive", "Intensive support needed", RED, 0, 34, False),
                ("Strategic", "Strategic support needed", YELLOW, 35, 54, False),
                ("At benchmark", "At or above benchmark", GREEN, 55, 84, True),
                ("Exceeding", "Exceeding benchmark", BLUE, 85, 100, True),
            ],
            "winter": [
                ("Intensive", "Intensive support needed", RED, 0, 39, False),
                ("Strategic", "Strategic support needed", YELLOW, 40, 59, False),
                ("At benchmark", "At or above benchmark", GREEN, 60, 87, True),
                ("Exceeding", "Exceeding benchmark", BLUE, 88, 100, True),
            ],
            "spring": [
                ("Intensive", "Intensive support needed", RED, 0, 44, False),
                ("Strategic", "Strategic support needed", YELLOW, 45, 64, False),
                ("At benchmark", "At or above benchmark", GREEN, 65, 89, True),
                ("Exceeding", "Exceeding benchmark", BLUE, 90, 100, True),
            ],
        },
    ),
    (
        "Numeracy Screener",
        "numeracy",
        "numeric",
        0,
        50,
        [],
        {
            season: [
                ("Intensive", "Intensive support needed", RED, 0, 17 + shift, False),
                ("Strategic", "Strategic support needed", YELLOW, 18 + shift, 27 + shift, False),
                ("At benchmark", "At or above benchmark", GREEN, 28 + shift, 50, True),
            ]
            for season, shift in (("fall", 0), ("winter", 2), ("spring", 4))
        },
    ),
    (
        "Well-being Survey",
        "well_being",
        "ordinal",
        1,
        4,
        ["Struggling", "Emerging", "Developing", "Thriving"],
        {
            season: [
                ("Intensive", "Struggling: reach out now", RED, 1, 1, False),
                ("Strategic", "Emerging: check in", YELLOW, 2, 2, False),
                ("At benchmark", "Developing or thriving", GREEN, 3, 4, True),
            ]
            for season in ("fall", "winter", "spring")
        },
    ),
]
WINDOW_DAYS = {"fall": (9, 15, 10, 15), "winter": (1, 15, 2, 15), "spring": (4, 15, 5, 15)}


def _window_dates(year: SchoolYear, season: str) -> tuple[datetime.date, datetime.date]:
    m1, d1, m2, d2 = WINDOW_DAYS[season]
    y = year.start_date.year if m1 >= 8 else year.start_date.year + 1
    return datetime.date(y, m1, d1), datetime.date(y, m2, d2)


def seed_screeners(*, district, today: datetime.date | None = None) -> None:
    """Idempotent: screeners and bands are refreshed; results are made once."""
    today = today or datetime.date.today()
    with district_context(district):
        screeners = [_screener(district, spec) for spec in SCREENERS]
        current = SchoolYear.objects.filter(is_active=True).order_by("-start_date").first()
        previous, _ = SchoolYear.objects.get_or_create(
            name=f"{current.start_date.year - 1}–{current.start_date.year}",
            defaults={
                "start_date": current.start_date.replace(year=current.start_date.year - 1),
                "end_date": current.end_date.replace(year=current.end_date.year - 1),
            },
        )
        windows = []
        for year in (previous, current):
            for season in ("fall", "winter", "spring"):
                opens, closes = _window_dates(year, season)
                window = ScreeningWindow.objects.filter(school_year=year, season=season).first()
                if window is None:
                    window = services.window_save(
                        actor=None,
                        school_year=year,
                        season=season,
                        opens_on=opens,
                        closes_on=closes,
                        screeners=screeners,
                        grades=[],
                    )
                windows.append(window)
        with_results = [w for w in windows if w.opens_on <= today]
        if not ScreenerResult.objects.exists():
            _results(district, screeners, with_results)
            analyze_after_commit(ScreenerResult)
    # Each window in its own transaction, as the Celery task does, oldest first (movement
    # compares with the window before).
    for window in sorted(with_results, key=lambda w: w.opens_on):
        with district_context(district):
            recompute.recompute_window(district_id=district.pk, window_id=window.pk)
            window.refresh_from_db()
            if window.closes_on < today and window.closed_processed_at is None:
                window.closed_processed_at = window.last_recomputed_at
                window.save(update_fields=["closed_processed_at"])


def _screener(district, spec) -> Screener:
    name, domain, score_type, low, high, levels, seasons = spec
    screener, _ = Screener.objects.update_or_create(
        name=name,
        defaults={
            "domain": domain,
            "score_type": score_type,
            "min_score": low,
            "max_score": high,
            "levels": levels,
            "grades": GRADES,
        },
    )
    for season, bands in seasons.items():
        specs = [
            BandSpec(n, label, colour, Decimal(lo), Decimal(hi), meets)
            for n, label, colour, lo, hi, meets in bands
        ]
        for grade in GRADES:
            services.bands_replace(
                actor=None, screener=screener, grade=grade, season=season, bands=specs
            )
    return screener


def _results(district, screeners, windows) -> None:
    """Scores from a latent ability per student that grows over the windows, with noise (so a
    few students decline); written set-based."""
    students = pd.DataFrame.from_records(
        list(
            Student.objects.filter(is_active=True)
            .order_by("pk")
            .values_list("pk", "grade", "school_id")
        ),
        columns=["student_id", "grade", "school_id"],
    )
    enrolled = set(Enrolment.objects.filter(is_active=True).values_list("student_id", flat=True))
    students = students[students["student_id"].isin(enrolled)]
    rng = np.random.default_rng(11)
    ability = rng.normal(0, 1, len(students))
    for step, window in enumerate(windows):
        for screener in screeners:
            noise = rng.normal(0, 0.45, len(students))
            level = ability + 0.3 * step + noise
            low, high = float(screener.min_score), float(screener.max_score)
            if screener.score_type == "ordinal":
                scores = np.clip(np.round(2.9 + level * 0.9), low, high)
            else:
                scores = np.clip(np.round(low + (high - low) * (0.58 + 0.2 * level)), low, high)
            rows = (
                (screener.pk, window.pk, int(student), Decimal(int(score)), grade, int(school))
                for student, score, grade, school in zip(
                    students["student_id"],
                    scores,
                    students["grade"],
                    students["school_id"],
                    strict=True,
                )
            )
            insert_rows(
                ScreenerResult,
                ["screener_id", "window_id", "student_id", "score", "grade", "school_id"],
                rows,
                district_id=district.pk,
            )
