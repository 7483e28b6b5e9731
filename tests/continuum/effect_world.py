"""A school year with two screening windows and a support some students received: the data
the what-is-working tests read. Plain builders, no fixtures."""

from __future__ import annotations

import datetime

from continuum.models import PlanStatus, SupportPlan
from crsys.tenancy.context import district_context
from screeners.tasks import recompute_window_task
from tests.factories import SchoolYearFactory, StudentFactory
from tests.screeners.builders import add_result, make_screener, make_window, set_bands

FALL_OPENS = datetime.date(2025, 9, 15)


def two_windows(district):
    with district_context(district):
        year = SchoolYearFactory(
            district=district,
            start_date=datetime.date(2025, 8, 25),
            end_date=datetime.date(2026, 6, 30),
        )
        screener = make_screener(district, grades=("03",))
    set_bands(screener, grades=("03",), seasons=("fall", "winter"))
    fall = make_window(
        year, "fall", FALL_OPENS, datetime.date(2025, 10, 1), [screener], grades=["03"]
    )
    winter = make_window(
        year, "winter", datetime.date(2026, 1, 12), datetime.date(2026, 1, 30), [screener],
        grades=["03"],
    )  # fmt: skip
    return {"year": year, "screener": screener, "fall": fall, "winter": winter}


def cohort(
    district,
    school,
    support,
    windows,
    *,
    received: list[int],
    others: list[int],
    status=PlanStatus.ACTIVE,
    start=datetime.date(2025, 10, 20),
) -> list:
    """Students who all start in the lowest band; each number is the winter score. The
    first group gets a plan with ``support`` between the windows, the second none."""
    students = []
    with district_context(district):
        for group, scores in ((True, received), (False, others)):
            for winter_score in scores:
                student = StudentFactory(district=district, school=school, grade="03")
                add_result(windows["fall"], windows["screener"], student, 20)
                add_result(windows["winter"], windows["screener"], student, winter_score)
                if group:
                    SupportPlan.objects.create(
                        student=student, support=support, focus_area=support.focus_area,
                        tier=support.tier, goal="Read more", start_date=start, status=status,
                    )  # fmt: skip
                students.append(student)
    return students


def recompute(district, *windows) -> None:
    """The screeners' task (eager here), so its call into the continuum runs too."""
    for window in windows:
        recompute_window_task.delay(district_id=district.pk, window_id=window.pk)
