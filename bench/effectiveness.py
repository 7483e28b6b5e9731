"""Benchmark: what is working for every support of a large district in one set-based pass
(``continuum.effects.effects_recompute``: one DELETE, one INSERT … SELECT), against a
hand-written SQL statement producing the same rows (the lower bound), in the same run.

    .venv/bin/python bench/effectiveness.py                  # 140,000 students x 3 screeners
    .venv/bin/python bench/effectiveness.py --students 20000

Target (issue 10): within 2x of the SQL bound at 140,000 students.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_URL, migrate, recreate_database, setup_django

EFFECT = "continuum_supporteffect"
COLUMNS = ("support_id, screener_id, school_id, grade, start_rank, received, received_up, "
           "received_same, received_down, others, others_up, others_same, others_down")  # fmt: skip
# The bound, written by hand here (not imported from the app), in PostgreSQL's own idiom:
# FILTER clauses, the comparison from window sums over each group instead of a second CTE.
BOUND_SQL = f"""
INSERT INTO {EFFECT} (district_id, support_id, window_id, previous_window_id, screener_id,
    school_id, grade, start_rank, received, received_up, received_same, received_down,
    others, others_up, others_same, others_down, created_at, updated_at)
SELECT %(district)s, support_id, %(window)s, %(previous)s, screener_id, school_id, grade,
    start_rank,
    COUNT(*) FILTER (WHERE got), COUNT(*) FILTER (WHERE got AND dir > 0),
    COUNT(*) FILTER (WHERE got AND dir = 0), COUNT(*) FILTER (WHERE got AND dir < 0),
    n - COUNT(*), n_up - COUNT(*) FILTER (WHERE dir > 0),
    n_same - COUNT(*) FILTER (WHERE dir = 0), n_down - COUNT(*) FILTER (WHERE dir < 0),
    now(), now()
FROM (
    SELECT p.student_id, n.screener_id, p.school_id, p.grade, p.band_rank AS start_rank,
        sign(n.band_rank - p.band_rank) AS dir,
        COUNT(*) OVER g AS n,
        COUNT(*) FILTER (WHERE n.band_rank > p.band_rank) OVER g AS n_up,
        COUNT(*) FILTER (WHERE n.band_rank = p.band_rank) OVER g AS n_same,
        COUNT(*) FILTER (WHERE n.band_rank < p.band_rank) OVER g AS n_down
    FROM screeners_studentbandsnapshot n
    JOIN screeners_studentbandsnapshot p ON p.window_id = %(previous)s
         AND p.student_id = n.student_id AND p.screener_id = n.screener_id
    WHERE n.window_id = %(window)s
    WINDOW g AS (PARTITION BY n.screener_id, p.school_id, p.grade, p.band_rank)
) x
JOIN (
    SELECT student_id, support_id, bool_or(status IN ('active', 'completed')) AS got
    FROM continuum_supportplan
    WHERE start_date <= %(until)s AND start_date + duration_weeks * 7 >= %(since)s
    GROUP BY student_id, support_id
) t ON t.student_id = x.student_id
GROUP BY support_id, screener_id, school_id, grade, start_rank, n, n_up, n_same, n_down
HAVING COUNT(*) FILTER (WHERE got) > 0
"""


def add_plans(district, fall, winter, share: float) -> int:
    """Forty supports over four focus areas and four tiers; a plan for ``share`` of the
    students (some two), most active or completed, some planned or discontinued, some
    outside the time between the windows."""
    import numpy as np

    from continuum import services as continuum_services
    from continuum.models import FocusArea, Support, SupportPlan, Tier
    from crsys.bulk import insert_rows
    from crsys.tenancy.context import district_context
    from schools.models import Student

    continuum_services.continuum_defaults_ensure(district_id=district.pk)
    with district_context(district):
        areas = list(FocusArea.objects.all()[:4])
        tiers = list(Tier.objects.all()[:4])
        supports = [
            Support.objects.create(name=f"Support {n}", focus_area=areas[n % 4],
                                   tier=tiers[(n // 4) % 4])
            for n in range(40)
        ]  # fmt: skip
        ids = np.array(Student.objects.order_by("pk").values_list("pk", flat=True))
        rng = np.random.default_rng(7)
        chosen = ids[rng.random(len(ids)) < share]
        gap = (winter.opens_on - fall.closes_on).days
        statuses = np.array(["active", "completed", "planned", "discontinued"])
        rows = []
        for student in chosen:
            for k in rng.choice(len(supports), size=rng.integers(1, 3), replace=False):
                support = supports[k]
                start = fall.closes_on + datetime.timedelta(days=int(rng.integers(-60, gap + 30)))
                status = statuses[rng.choice(4, p=[0.5, 0.3, 0.1, 0.1])]
                rows.append((int(student), support.pk, support.focus_area_id, support.tier_id,
                             "Goal", start, 6, str(status)))  # fmt: skip
        insert_rows(SupportPlan,
                    ["student_id", "support_id", "focus_area_id", "tier_id", "goal",
                     "start_date", "duration_weeks", "status"],
                    rows, district_id=district.pk)  # fmt: skip
    return len(rows)


def effect_rows(cursor, window_id: int) -> list[tuple]:
    cursor.execute(
        f"SELECT {COLUMNS} FROM {EFFECT} WHERE window_id = %s ORDER BY {COLUMNS}",  # noqa: S608
        [window_id],
    )
    return cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=140_000)
    parser.add_argument("--share", type=float, default=0.25, help="students with a plan")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=DEFAULT_URL.replace("bench", "bench_effect"))
    args = parser.parse_args()
    recreate_database(args.database_url)
    setup_django(args.database_url)
    migrate()
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.recompute import build, time_recompute
    from continuum.effects import effects_recompute
    from crsys.tenancy.context import district_context

    started = time.perf_counter()
    data = build(args.students)
    district, fall, winter = data["district"], data["fall"], data["winter"]
    plans = add_plans(district, fall, winter, args.share)
    time_recompute(district, fall)
    time_recompute(district, winter)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built_s = time.perf_counter() - started
    params = {"district": district.pk, "window": winter.pk, "previous": fall.pk,
              "since": fall.closes_on, "until": winter.opens_on}  # fmt: skip

    app_times, bound_times = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        with district_context(district):
            written = effects_recompute(
                district_id=district.pk, window_id=winter.pk, now=timezone.now()
            )
        app_times.append(time.perf_counter() - start)
        with connection.cursor() as cursor:
            real = effect_rows(cursor, winter.pk)
            cursor.execute(f"DELETE FROM {EFFECT} WHERE window_id = %s", [winter.pk])  # noqa: S608
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(BOUND_SQL, params)
        bound_times.append(time.perf_counter() - start)
        with connection.cursor() as cursor:
            same = effect_rows(cursor, winter.pk) == real
            cursor.execute(f"DELETE FROM {EFFECT} WHERE window_id = %s", [winter.pk])  # noqa: S608
    app_s, bound_s = min(app_times), min(bound_times)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM screeners_studentbandsnapshot WHERE window_id = %s",
                       [winter.pk])  # fmt: skip
        snapshots = cursor.fetchone()[0]
    print(
        f"crsys effectiveness benchmark: {args.students:,} students, {snapshots:,} winter "
        f"snapshot rows, {plans:,} plans over 40 supports (built in {built_s:.0f} s, not timed)"
    )
    print(f"  effects_recompute (delete, one INSERT … SELECT, commit), best of {args.runs}: "
          f"{app_s:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in app_times)})")  # fmt: skip
    print(f"  hand-written SQL bound (one INSERT … SELECT), best of {args.runs}: "
          f"{bound_s:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in bound_times)})")  # fmt: skip
    print(f"  ratio app / SQL bound: {app_s / bound_s:.2f}x")
    print(f"  effect rows: {written:,}; equal to the bound's: {same}")
    verdicts = {"within 2x of SQL": app_s / bound_s <= 2, "rows equal": same}
    print(
        "  targets: " + ", ".join(f"{k}: {'met' if v else 'MISSED'}" for k, v in verdicts.items())
    )


if __name__ == "__main__":
    main()
