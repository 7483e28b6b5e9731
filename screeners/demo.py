"""Demo screeners, bands, windows and results with plausible growth and a few declines."""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError

from continuum.selectors import focus_area_by_key
from continuum.services import continuum_defaults_ensure
from crsys.bulk import analyze_after_commit, insert_rows
from crsys.tenancy.context import district_context
from districts.permissions import SYSTEM
from schools.grades import GRADE_CODES
from schools.models import Enrolment, SchoolYear, Student
from screeners import recompute, services
from screeners.bands import BandSpec
from screeners.models import Screener, ScreenerResult, ScreeningWindow

RED, YELLOW, GREEN, BLUE = "#c62828", "#f9a825", "#2e7d32", "#1565c0"
GRADES = [g for g in GRADE_CODES if g in {"KG", *[f"{n:02d}" for n in range(1, 13)]}]
# name, focus area key, score type, min, max, levels, and per season the bands as
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
# The usual dates of each season's window (month, day, month, day).
WINDOW_DAYS = {"fall": (9, 15, 10, 15), "winter": (1, 15, 2, 15), "spring": (4, 15, 5, 15)}
SEASONS = ("fall", "winter", "spring")
# The season a day of the school year belongs to: the demo's window for it is open on that day.
SEASON_OF_MONTH = {9: "fall", 10: "fall", 11: "fall", 12: "winter", 1: "winter", 2: "winter",
                   3: "winter", 4: "spring", 5: "spring", 6: "spring", 7: "spring",
                   8: "spring"}  # fmt: skip
OPEN_BEFORE, OPEN_AFTER = datetime.timedelta(days=7), datetime.timedelta(days=14)
#: Growth of the latent ability per window: slow enough that, as benchmarks rise through the
#: year, a school still has a fifth or so of its students below benchmark to talk about.
GROWTH = 0.12
#: Share of the open window's results already entered: the rest are for the demo to enter.
ENTERED_SO_FAR = 0.7


def _usual_dates(start: datetime.date, season: str) -> tuple[datetime.date, datetime.date]:
    m1, d1, m2, d2 = WINDOW_DAYS[season]
    y = start.year if m1 >= 8 else start.year + 1
    return datetime.date(y, m1, d1), datetime.date(y, m2, d2)


def demo_schedule(
    *, start: datetime.date, end: datetime.date, today: datetime.date
) -> dict[str, tuple[datetime.date, datetime.date]]:
    """A school year's three windows. In the year that holds ``today``, the window of the
    season ``today`` belongs to is open (from a week before to two weeks after, inside the
    year); the others keep their usual dates, which never overlap it."""
    schedule = {season: _usual_dates(start, season) for season in SEASONS}
    if start <= today <= end:
        schedule[SEASON_OF_MONTH[today.month]] = (
            max(start, today - OPEN_BEFORE),
            min(end, today + OPEN_AFTER),
        )
    return schedule


def seed_screeners(*, district, today: datetime.date) -> None:
    """Screeners, this school year's and last year's windows, and results for every window
    that has opened (part of them in the open one). Idempotent and kind to edits: screeners
    are made only in a district without any, a window that exists (by school year and season)
    is left as it is, and results are only written into windows that have none. If no window
    is open today, the window of today's season moves to be open now, so the demo always has
    results to enter."""
    with district_context(district):
        screeners = _screeners(district)
        current = _current_year(today)
        previous, _ = SchoolYear.objects.get_or_create(
            name=f"{current.start_date.year - 1}–{current.start_date.year}",
            defaults={
                "start_date": current.start_date.replace(year=current.start_date.year - 1),
                "end_date": current.end_date.replace(year=current.end_date.year - 1),
            },
        )
        windows = []
        for year in (previous, current):
            planned = demo_schedule(start=year.start_date, end=year.end_date, today=today)
            for season in SEASONS:
                window = _window(year, season, planned[season], screeners, today)
                if window is not None:
                    windows.append(window)
        opened = sorted((w for w in windows if w.opens_on <= today), key=lambda w: w.opens_on)
        wrote = False
        for step, window in enumerate(opened):
            if not ScreenerResult.objects.filter(window=window).exists():
                _results(
                    district,
                    screeners,
                    window,
                    step,
                    partial=window.closes_on >= today,
                    today=today,
                )
                wrote = True
        if wrote:
            analyze_after_commit(ScreenerResult)
    # Each window in its own transaction, as the Celery task does, oldest first (movement
    # compares with the window before).
    for window in opened:
        with district_context(district):
            recompute.recompute_window(district_id=district.pk, window_id=window.pk)
            window.refresh_from_db()
            if window.closes_on < today and window.closed_processed_at is None:
                window.closed_processed_at = window.last_recomputed_at
                window.save(update_fields=["closed_processed_at"])


def _current_year(today: datetime.date) -> SchoolYear:
    years = SchoolYear.objects.filter(is_active=True).order_by("-start_date")
    return years.filter(start_date__lte=today, end_date__gte=today).first() or years.first()


def _window(year, season, dates, screeners, today) -> ScreeningWindow | None:
    """The year's window for ``season``: made with the planned dates if missing; moved to
    them if it is the one planned to be open today and nothing is open today. None when the
    district's own windows leave no room for it."""
    opens, closes = dates
    window = ScreeningWindow.objects.filter(school_year=year, season=season).first()
    nothing_open = not ScreeningWindow.objects.filter(
        opens_on__lte=today, closes_on__gte=today
    ).exists()
    if window is not None and not (nothing_open and opens <= today <= closes):
        return window
    try:
        window = services.window_save(
            actor=SYSTEM, school_year=year, season=season, opens_on=opens, closes_on=closes,
            screeners=screeners if window is None else list(window.screeners.all()),
            grades=[] if window is None else window.grades, window=window,
        )  # fmt: skip
    except ValidationError:
        # A window someone made is in the way: theirs stays, the demo does without this one.
        return ScreeningWindow.objects.filter(school_year=year, season=season).first()
    if window.closed_processed_at is not None and window.closes_on >= today:
        window.closed_processed_at = None  # open again: it closes (and is processed) later
        window.save(update_fields=["closed_processed_at"])
    return window


def _screeners(district) -> list[Screener]:
    """The demo's screeners, made (with their bands) only in a district that has none: once
    people have screeners, renamed or not, the demo adds none beside them."""
    if not Screener.objects.exists():
        return [_screener(district, spec) for spec in SCREENERS]
    names = [spec[0] for spec in SCREENERS]
    return sorted(
        Screener.objects.filter(name__in=names, is_archived=False),
        key=lambda s: names.index(s.name),
    )


def _screener(district, spec) -> Screener:
    name, area, score_type, low, high, levels, seasons = spec
    continuum_defaults_ensure(district_id=district.pk)  # a bench's bare district has none
    screener = Screener.objects.create(
        district=district,
        name=name,
        focus_area=focus_area_by_key(key=area),
        score_type=score_type,
        min_score=low,
        max_score=high,
        levels=levels,
        grades=GRADES,
    )
    for season, bands in seasons.items():
        specs = [
            BandSpec(n, label, colour, Decimal(lo), Decimal(hi), meets)
            for n, label, colour, lo, hi, meets in bands
        ]
        for grade in GRADES:
            services.bands_replace(
                actor=SYSTEM, screener=screener, grade=grade, season=season, bands=specs
            )
    return screener


def _results(district, screeners, window, step: int, *, partial: bool, today) -> None:
    """Scores from a latent ability per student that grows window by window (``step``), with
    noise (so a few students decline); written set-based. Each window's scores depend only on
    its step, so a window filled on a later run fits with the others. ``partial``: about
    ``ENTERED_SO_FAR`` of the students have results, the rest are still to enter."""
    students = pd.DataFrame.from_records(
        list(
            Student.objects.filter(is_active=True)
            .order_by("pk")
            .values_list("pk", "grade", "school_id")
        ),
        columns=["student_id", "grade", "school_id"],
    )
    # Today's classes, in every window: the demo's students have a history of results,
    # though the roster gives them only this year's classes.
    enrolled = set(Enrolment.objects.current(on=today).values_list("student_id", flat=True))
    students = students[students["student_id"].isin(enrolled)]
    ability = np.random.default_rng(11).normal(0, 1, len(students))
    if partial:
        entered = np.random.default_rng([11, step]).random(len(students)) < ENTERED_SO_FAR
        students, ability = students[entered], ability[entered]
    given = set(window.screeners.values_list("pk", flat=True))
    for index, screener in enumerate(screeners):
        if screener.pk not in given:
            continue
        noise = np.random.default_rng([11, step, index]).normal(0, 0.45, len(students))
        level = ability + GROWTH * step + noise
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
