"""Benchmark: recompute one closed window's snapshots for a whole district, against
hand-written SQL producing the same rows (one INSERT … SELECT per snapshot level, the lower
bound), in the same run; then time the school and classroom dashboards at that scale.

    .venv/bin/python bench/recompute.py                  # 140,000 students x 3 screeners
    .venv/bin/python bench/recompute.py --students 1000000

Targets (issue: screeners): under 15 s for 140,000 students on 2 cores, within 3x of the SQL
bound; the school and classroom dashboards in at most 8 queries and under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_URL, migrate, recreate_database, setup_django

SNAP = "screeners_studentbandsnapshot"
COUNT = "screeners_bandcountsnapshot"
# The lower bound, written by hand here (not imported from the app): the same rows.
BOUND_SQL = [
    f"""INSERT INTO {SNAP} (district_id, window_id, screener_id, student_id, school_id, grade,
        score, band_id, band_rank, meets_benchmark, movement, created_at, updated_at)
    SELECT r.district_id, r.window_id, r.screener_id, r.student_id,
        COALESCE(r.school_id, s.school_id), COALESCE(NULLIF(r.grade, ''), s.grade), r.score,
        b.id, b.rank, b.meets_benchmark,
        CASE WHEN p.band_rank IS NULL THEN 'new' WHEN b.rank > p.band_rank THEN 'up'
             WHEN b.rank < p.band_rank THEN 'down' ELSE 'same' END, now(), now()
    FROM screeners_screenerresult r JOIN schools_student s ON s.id = r.student_id
    JOIN screeners_benchmarkband b ON b.id = r.band_id
    LEFT JOIN {SNAP} p ON p.window_id = %(previous)s AND p.student_id = r.student_id
         AND p.screener_id = r.screener_id
    WHERE r.window_id = %(window)s""",
    f"""INSERT INTO {COUNT} (district_id, window_id, screener_id, scope, school_id, grade,
        classroom_id, band_id, band_rank, meets_benchmark, students, created_at, updated_at)
    SELECT district_id, window_id, screener_id, 'district', NULL, '', NULL, MIN(band_id),
        band_rank, meets_benchmark, COUNT(*), now(), now()
    FROM {SNAP} WHERE window_id = %(window)s
    GROUP BY district_id, window_id, screener_id, band_rank, meets_benchmark""",
    f"""INSERT INTO {COUNT} (district_id, window_id, screener_id, scope, school_id, grade,
        classroom_id, band_id, band_rank, meets_benchmark, students, created_at, updated_at)
    SELECT district_id, window_id, screener_id, 'school', school_id, '', NULL, MIN(band_id),
        band_rank, meets_benchmark, COUNT(*), now(), now()
    FROM {SNAP} WHERE window_id = %(window)s
    GROUP BY district_id, window_id, screener_id, school_id, band_rank, meets_benchmark""",
    f"""INSERT INTO {COUNT} (district_id, window_id, screener_id, scope, school_id, grade,
        classroom_id, band_id, band_rank, meets_benchmark, students, created_at, updated_at)
    SELECT district_id, window_id, screener_id, 'grade', school_id, grade, NULL, MIN(band_id),
        band_rank, meets_benchmark, COUNT(*), now(), now()
    FROM {SNAP} WHERE window_id = %(window)s
    GROUP BY district_id, window_id, screener_id, school_id, grade, band_rank, meets_benchmark""",
    f"""INSERT INTO {COUNT} (district_id, window_id, screener_id, scope, school_id, grade,
        classroom_id, band_id, band_rank, meets_benchmark, students, created_at, updated_at)
    SELECT n.district_id, n.window_id, n.screener_id, 'classroom', c.school_id, '', c.id,
        MIN(n.band_id), n.band_rank, n.meets_benchmark, COUNT(*), now(), now()
    FROM {SNAP} n JOIN schools_enrolment e ON e.student_id = n.student_id AND e.is_active
        AND (e.start_date IS NULL OR e.start_date <= %(on)s)
        AND (e.end_date IS NULL OR e.end_date > %(on)s)
    JOIN schools_classroom c ON c.id = e.classroom_id AND c.school_year_id = %(school_year)s
    WHERE n.window_id = %(window)s
    GROUP BY n.district_id, n.window_id, n.screener_id, c.school_id, c.id, n.band_rank,
        n.meets_benchmark""",
]  # fmt: skip
SNAP_COLUMNS = "screener_id, student_id, school_id, grade, score, band_id, band_rank, movement"
COUNT_COLUMNS = "screener_id, scope, school_id, grade, classroom_id, band_rank, students"


def rows(cursor, table: str, columns: str, window_id: int) -> list[tuple]:
    cursor.execute(f"SELECT {columns} FROM {table} WHERE window_id = %s ORDER BY {columns}",
                   [window_id])  # fmt: skip
    return cursor.fetchall()


def build(students: int) -> dict:
    """A district with a roster (the real import) and results in two windows."""
    import numpy as np

    from crsys.bulk import insert_rows
    from crsys.tenancy.context import district_context
    from districts.models import District
    from districts.permissions import SYSTEM
    from schools import services as school_services
    from schools.models import RosterImport, SchoolYear, Student
    from schools.roster.generate import generate_bundle
    from screeners import demo
    from screeners.models import ScreenerResult, ScreeningWindow

    district = District.objects.create(name="Bench", slug="bench")
    bundle = generate_bundle(slug="bench", schools=max(3, students // 560), students=students)
    with district_context(district):
        roster = school_services.roster_import_upload(
            district=district,
            actor=SYSTEM,
            name="b.zip",
            data=bundle,
            kind="oneroster",
            check=False,
        )
        roster.status = RosterImport.Status.READY
        school_services.roster_import_commit(roster_import=roster)
    with district_context(district):
        screeners = [demo._screener(district, spec) for spec in demo.SCREENERS]
        year = SchoolYear.objects.get()
        fall = ScreeningWindow.objects.create(
            school_year=year,
            season="fall",
            opens_on=year.start_date.replace(day=15),
            closes_on=year.start_date.replace(month=10, day=15),
        )
        winter = ScreeningWindow.objects.create(
            school_year=year,
            season="winter",
            opens_on=year.start_date.replace(year=year.start_date.year + 1, month=1, day=15),
            closes_on=year.start_date.replace(year=year.start_date.year + 1, month=2, day=15),
        )
        for window in (fall, winter):
            window.screeners.set(screeners)
        roster = list(Student.objects.order_by("pk").values_list("pk", "grade", "school_id"))
        ids = np.array([pk for pk, _, _ in roster])
        rng = np.random.default_rng(3)
        ability = rng.normal(0, 1, len(ids))
        for step, window in enumerate((fall, winter)):
            for screener in screeners:
                low, high = float(screener.min_score), float(screener.max_score)
                level = ability + 0.3 * step + rng.normal(0, 0.45, len(ids))
                if screener.score_type == "ordinal":
                    scores = np.clip(np.round(2.9 + level * 0.9), low, high)
                else:
                    scores = np.clip(np.round(low + (high - low) * (0.58 + 0.2 * level)), low, high)
                columns = ["screener_id", "window_id", "student_id", "score", "grade", "school_id"]
                insert_rows(ScreenerResult, columns,
                            ((screener.pk, window.pk, pk, Decimal(int(v)), grade, school)
                             for (pk, grade, school), v in zip(roster, scores, strict=True)),
                            district_id=district.pk)  # fmt: skip
    return {"district": district, "fall": fall, "winter": winter, "year": year}


def time_recompute(district, window) -> float:
    from crsys.tenancy.context import district_context
    from screeners.recompute import recompute_window

    start = time.perf_counter()
    with district_context(district):
        recompute_window(district_id=district.pk, window_id=window.pk)
    return time.perf_counter() - start


def time_dashboards(district, runs: int = 15) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from crsys.tenancy.context import district_context
    from districts.models import Role, User
    from districts.permissions import SYSTEM
    from districts.services import membership_grant
    from schools.models import Classroom, School

    with district_context(district):
        school = School.objects.order_by("pk").first()
        classroom = Classroom.objects.filter(school=school).order_by("pk").first()
        user = User.objects.create_user("principal@bench.example", "bench-pass-12345")
        membership_grant(
            district=district, user=user, role=Role.PRINCIPAL, school=school, actor=SYSTEM
        )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    results = {}
    for name, url in (
        ("school dashboard", f"/d/bench/schools/{school.pk}/dashboard/"),
        ("classroom dashboard", f"/d/bench/classrooms/{classroom.pk}/dashboard/"),
    ):
        client.get(url)  # warm
        timings, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            # Transaction control (BEGIN/COMMIT) is not a query.
            statements = [q["sql"] for q in captured.captured_queries]
            queries = sum(
                1
                for sql in statements
                if sql.split()[0].upper()
                not in {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"}
            )
        if "--show-queries" in sys.argv:
            for q in captured.captured_queries:
                print("   ", q["sql"][:150])
        results[name] = (statistics.median(timings), queries)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=140_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--show-queries", action="store_true", help="print the pages' queries")
    args = parser.parse_args()
    recreate_database(args.database_url)
    setup_django(args.database_url)
    migrate()
    from django.db import connection, transaction

    started = time.perf_counter()
    data = build(args.students)
    built_s = time.perf_counter() - started
    district, fall, winter, year = data["district"], data["fall"], data["winter"], data["year"]
    time_recompute(district, fall)  # the previous window, for movement (not timed)
    # Results reach the database with their band (the grid and the imports band each one);
    # this first run gives them theirs, then autovacuum's statistics are brought up to date.
    time_recompute(district, winter)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    recompute_s = time_recompute(district, winter)
    with connection.cursor() as cursor:
        results = rows(cursor, "screeners_screenerresult", "student_id", winter.pk)
        real_snap = rows(cursor, SNAP, SNAP_COLUMNS, winter.pk)
        real_counts = rows(cursor, COUNT, COUNT_COLUMNS, winter.pk)
        # The bound: clear the window's snapshot, then the hand-written statements.
        cursor.execute(f"DELETE FROM {COUNT} WHERE window_id = %s", [winter.pk])
        cursor.execute(f"DELETE FROM {SNAP} WHERE window_id = %s", [winter.pk])
    from schools.selectors import district_today

    on = district_today(district)  # classes as of today, as the recompute counts them
    params = {"window": winter.pk, "previous": fall.pk, "school_year": year.pk, "on": on}
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in BOUND_SQL:
            cursor.execute(sql, params)
    bound_s = time.perf_counter() - start
    with connection.cursor() as cursor:
        same = (rows(cursor, SNAP, SNAP_COLUMNS, winter.pk) == real_snap
                and rows(cursor, COUNT, COUNT_COLUMNS, winter.pk) == real_counts)  # fmt: skip
    dashboards = time_dashboards(district)

    print(
        f"crsys recompute benchmark: {args.students:,} students, "
        f"{len(results):,} results in the window (district built in {built_s:.0f} s, not timed)"
    )
    print(
        f"  recompute (check bands, clear old snapshot, snapshots, counts, commit): "
        f"{recompute_s:6.2f} s"
    )
    print(f"  hand-written SQL lower bound (INSERT … SELECT per level): {bound_s:6.2f} s")
    print(f"  ratio recompute / SQL bound: {recompute_s / bound_s:.2f}x")
    print(
        f"  snapshot rows: {len(real_snap):,} students, {len(real_counts):,} group counts; "
        f"equal to the bound's: {same}"
    )
    for name, (ms, queries) in dashboards.items():
        print(f"  {name}: {ms:.1f} ms server time (median), {queries} queries")
    targets = {
        "recompute < 15 s": recompute_s < 15,
        "within 3x of SQL": recompute_s / bound_s <= 3,
        "snapshots equal": same,
        **{f"{n} <= 8 queries, < 100 ms": q <= 8 and ms < 100 for n, (ms, q) in dashboards.items()},
    }
    verdicts = ", ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in targets.items())
    print(f"  targets (at 140,000 students): {verdicts}")


if __name__ == "__main__":
    main()
