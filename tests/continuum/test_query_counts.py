"""Issue 10's performance rule: the continuum grid, a provider's caseload and the student's
supports each in at most 10 queries, on a school's worth of data (not one row of each)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from continuum import selectors
from continuum.models import ProgressPoint, Support, SupportEffect, SupportPlan
from crsys.tenancy.context import district_context
from schools.selectors import district_today
from tests.continuum.effect_world import two_windows
from tests.factories import ClassroomFactory, StudentFactory, enrol, teach

pytestmark = pytest.mark.django_db
SUPPORTS, STUDENTS = 60, 40


@pytest.fixture
def busy(scene):
    """60 supports over every focus area and tier, 40 students of a teacher's class with two
    plans each and six scores a plan, and what-is-working rows for every support."""
    district, aspen = scene["district"], scene["aspen"]
    today = district_today(district)
    windows = two_windows(district)
    with district_context(district):
        areas, tiers = list(scene["areas"].values()), list(scene["tiers"].values())
        supports = [
            Support.objects.create(name=f"Support {n}", focus_area=areas[n % len(areas)],
                                   tier=tiers[n % len(tiers)], school=aspen if n % 2 else None)
            for n in range(SUPPORTS)
        ]  # fmt: skip
        room = ClassroomFactory(district=district, school=aspen, school_year=windows["year"])
        teach(scene["teacher"], room)
        students = []
        for n in range(STUDENTS):
            student = StudentFactory(district=district, school=aspen)
            enrol(student, room)
            students.append(student)
            for k in range(2):
                support = supports[(n + k * 7) % SUPPORTS]
                plan = SupportPlan.objects.create(
                    student=student, support=support, focus_area=support.focus_area,
                    tier=support.tier, goal="Better", baseline=10, target=30,
                    start_date=today - datetime.timedelta(weeks=5),
                    responsible=scene["teacher"],
                )  # fmt: skip
                ProgressPoint.objects.bulk_create(
                    ProgressPoint(plan=plan, district=district, score=10 + w,
                                  date=today - datetime.timedelta(weeks=5 - w))
                    for w in range(6)
                )  # fmt: skip
        SupportEffect.objects.bulk_create(
            SupportEffect(
                district=district, support=s, window=windows["winter"],
                previous_window=windows["fall"], screener=windows["screener"], school=aspen,
                grade="03", start_rank=rank, received=12, received_up=5, received_same=6,
                received_down=1, others=30, others_up=8, others_same=20, others_down=2,
            )
            for s in supports
            for rank in range(3)
        )  # fmt: skip
    return {**scene, "students": students, "supports": supports}


def _count(client, url) -> tuple[int, str]:
    client.get(url)  # warm: the session's first read
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    control = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"}
    queries = [q for q in captured.captured_queries if q["sql"].split()[0].upper() not in control]
    return len(queries), response.content.decode()


def test_the_grid_with_what_is_working_in_at_most_10_queries(client, busy):
    client.force_login(busy["admin"])
    queries, page = _count(client, "/d/alpha/continuum/?scope=all")
    assert queries <= 10, queries
    assert page.count("moved up a band") == SUPPORTS  # every support shows its headline


def test_a_principals_school_grid_in_at_most_10_queries(client, busy):
    client.force_login(busy["principal"])
    queries, page = _count(client, f"/d/alpha/continuum/?scope={busy['aspen'].pk}")
    assert queries <= 10, queries
    assert "moved up a band" in page


def test_the_caseload_of_80_plans_in_at_most_10_queries(client, busy):
    client.force_login(busy["teacher"])
    queries, page = _count(client, "/d/alpha/continuum/caseload/")
    assert queries <= 10, queries
    assert page.count("/continuum/plans/") >= 2 * STUDENTS


def test_the_students_supports_in_at_most_10_queries(client, busy):
    # The continuum's part of the student page (its Supports section): plans and the
    # jagged profile, read by the page's two selectors. The whole page, with its screener,
    # meeting and follow-up sections (schools/, teams/), takes more: printed, not asserted.
    student = busy["students"][0]
    with district_context(busy["district"]), CaptureQueriesContext(connection) as captured:
        plans = selectors.student_plans(student=student)
        selectors.jagged_profile(student=student, plans=plans)
        [plan.support.name for plan in plans]
    assert len(captured.captured_queries) <= 10
    assert len(plans) == 2
    client.force_login(busy["principal"])
    queries, page = _count(client, f"/d/alpha/students/{student.pk}/")
    assert "Support " in page
    print("student page queries:", queries)


def test_the_what_is_working_page_in_at_most_10_queries(client, busy):
    client.force_login(busy["admin"])
    queries, page = _count(client, "/d/alpha/continuum/working/")
    assert queries <= 10, queries
    assert page.count("<strong>36</strong>") == SUPPORTS  # three groups of 12, summed
