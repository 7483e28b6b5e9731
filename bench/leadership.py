"""Benchmark: the leadership dashboard for 250 schools × 12 measures, server time through
Django's full stack (test client), with its query count.

    .venv/bin/python bench/leadership.py [--show-queries] [--profile]

Target (issue 11): at most 10 queries and under 150 ms of server time. Printed beside two
bounds measured in the same run: a trivial view behind the same middleware, and one
hand-written SQL statement that reads the whole matrix (schools × measures with their stored
evaluations, plans and commitment counts) straight through the cursor: no ORM, no template.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_URL, migrate, recreate_database, setup_django
from bench.meeting import RUNS, BenchUrls, profile, raw_sql_ms, timed_requests

SCHOOLS, MEASURES = 250, 12
OVERALLS = ["excellent", "good", "acceptable", "issue", "concern"]

HAND_SQL = """
SELECT s.id, s.name, m.id, e.overall, e.value, p.status, c.open, c.late
FROM schools_school s
CROSS JOIN leadership_measure m
JOIN leadership_priority pr ON pr.id = m.priority_id AND pr.school_year_id = %(year)s
LEFT JOIN leadership_evaluation e ON e.district_id = %(district)s AND e.school_id = s.id
     AND e.measure_id = m.id
LEFT JOIN leadership_actionplan p ON p.district_id = %(district)s AND p.school_id = s.id
     AND p.school_year_id = %(year)s
LEFT JOIN (SELECT g.plan_id, COUNT(*) AS open, COUNT(*) FILTER (WHERE k.due_on < %(today)s) AS late
           FROM leadership_plancommitment k JOIN leadership_goal g ON g.id = k.goal_id
           WHERE k.district_id = %(district)s AND k.done_on IS NULL GROUP BY g.plan_id) c
     ON c.plan_id = p.id
WHERE s.district_id = %(district)s AND m.district_id = %(district)s AND s.is_active
ORDER BY s.name, m.position, m.id
"""


def build(district, leader):
    """250 schools, a year with 12 measures over 5 areas, every cell evaluated, a plan per
    school with a goal, a check-in and three commitments (one overdue)."""
    from districts.selectors import resolve_actor
    from leadership import services
    from leadership.models import (
        ActionPlan,
        AssuranceArea,
        CheckIn,
        Evaluation,
        Goal,
        Measure,
        PlanCommitment,
    )  # fmt: skip
    from schools.models import School, SchoolYear

    today = datetime.date.today()
    year = SchoolYear.objects.create(
        name="Bench year", start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=240),
    )  # fmt: skip
    School.objects.bulk_create(
        School(district=district, name=f"School {i:03d}", code=f"S{i:03d}",
               grades=[["KG", "03"], ["07"], ["10"]][i % 3])
        for i in range(SCHOOLS)
    )  # fmt: skip
    actor = resolve_actor(user=leader, district_slug=district.slug)[1]
    areas = list(AssuranceArea.objects.all())
    priorities = [
        services.priority_save(actor=actor, school_year=year, area=a, title=f"Priority {a.key}")
        for a in areas
    ]
    Measure.objects.bulk_create(
        Measure(district=district, priority=priorities[i % len(priorities)], name=f"Measure {i}",
                source="manual", position=i)
        for i in range(MEASURES)
    )  # fmt: skip
    schools, measures = list(School.objects.all()), list(Measure.objects.all())
    Evaluation.objects.bulk_create(
        Evaluation(district=district, measure=m, school=s, value=Decimal((i * 7) % 100),
                   previous=Decimal((i * 3) % 100), achievement="high",
                   improvement="maintained", overall=OVERALLS[i % 5])
        for i, (m, s) in enumerate((m, s) for s in schools for m in measures)
    )  # fmt: skip
    ActionPlan.objects.bulk_create(
        ActionPlan(district=district, school=s, school_year=year) for s in schools
    )
    Goal.objects.bulk_create(
        Goal(district=district, plan=p, priority=priorities[0], title="Reading")
        for p in ActionPlan.objects.all()
    )
    goals = list(Goal.objects.all())
    CheckIn.objects.bulk_create(
        CheckIn(district=district, goal=g, phase="act", status="on_track", narrative="Going")
        for g in goals
    )
    PlanCommitment.objects.bulk_create(
        PlanCommitment(district=district, goal=g, text="Coach", owner=leader,
                       due_on=today + datetime.timedelta(days=d))
        for g in goals for d in (-3, 10, 20)
    )  # fmt: skip
    return year


def hand_sql_ms(params: dict) -> float:
    from django.db import connection, transaction

    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(HAND_SQL, params)
            rows = cursor.fetchall()
        timings.append((time.perf_counter() - start) * 1000)
    assert len(rows) == SCHOOLS * MEASURES, len(rows)
    return statistics.median(timings)


def main() -> None:
    url = DEFAULT_URL.replace("crsys_bench", "crsys_bench_leadership")
    recreate_database(url)
    os.environ.update(DEBUG="0", SECURE_SSL_REDIRECT="0", ALLOWED_HOSTS="localhost")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    setup_django(url)
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    migrate()
    from django.test import Client

    from crsys.bulk import analyze_database
    from crsys.tenancy.context import district_context
    from districts.models import District, Role, User
    from districts.permissions import SYSTEM
    from districts.services import district_create, membership_grant

    settings.ROOT_URLCONF = BenchUrls()
    made = district_create(district=District(slug="bench", name="Bench"), admin_email="a@b.example")
    district = made.district
    leader = User.objects.create_user("leader@bench.example")
    with district_context(district):
        membership_grant(district=district, user=leader, role=Role.DISTRICT_LEADER, actor=SYSTEM)
        year = build(district, leader)
    analyze_database()
    client = Client(HTTP_HOST="localhost")
    client.force_login(leader)
    page_url, trivial_url = "/d/bench/leadership/", "/d/bench/bench-trivial/"
    for warm in (page_url, trivial_url):
        client.get(warm)
    if "--profile" in sys.argv:
        profile(client, page_url)
    floor = timed_requests(client, "GET", trivial_url, RUNS)
    page = timed_requests(client, "GET", page_url, RUNS)
    floor = min(floor, timed_requests(client, "GET", trivial_url, RUNS), key=lambda t: t.ms)
    html = client.get(page_url).content
    page_sql = raw_sql_ms(page.statements, RUNS)
    with district_context(district):
        bound = hand_sql_ms(
            {"district": district.pk, "year": year.pk, "today": datetime.date.today()}
        )
    page_queries = page.queries - floor.queries
    print(f"crsys leadership dashboard: {SCHOOLS} schools × {MEASURES} measures "
          f"(PostgreSQL; medians of {RUNS} requests)")  # fmt: skip
    print(f"  trivial view: {floor.ms:.1f} ms server time, {floor.queries} queries")
    print(f"  dashboard page: {page.vs(floor)} ({page_queries} beyond the trivial view's)")
    print(f"    {len(html) / 1024:.0f} KB of HTML; its SQL alone {page_sql:.1f} ms")
    print(f"  hand-written SQL bound (one statement, the whole matrix): {bound:.1f} ms")
    verdict = {"<= 10 queries": page_queries <= 10, "< 150 ms": page.ms < 150}
    print(
        "  targets: " + ", ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in verdict.items())
    )


if __name__ == "__main__":
    main()
