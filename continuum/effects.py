"""What is working: screener band movement of the students who received each support,
beside the students like them who did not. Set-based: one DELETE and one INSERT … SELECT per
window, after the window's snapshot is rebuilt (``screeners.tasks`` calls
``continuum.tasks.queue_effects``).

A window ``W`` is paired with the window before it (the same rule as the snapshot's
movement). A student *received* a support when a plan with it, active or completed, was
open at some time between the earlier window's close and ``W``'s opening. They are compared
with the students of the same school, grade and starting band on the same screener who had
no plan with the support then; a student whose only plan was planned or discontinued is in
neither group. See docs/adr/0009-continuum-of-supports.md.
"""

from __future__ import annotations

from django.db import connection, transaction

from continuum.effect_models import SupportEffect
from crsys.bulk import analyze_after_commit
from screeners import selectors as screener_selectors
from screeners.models import StudentBandSnapshot
from screeners.recompute import previous_window

SNAP = StudentBandSnapshot._meta.db_table
PLAN = "continuum_supportplan"
EFFECT = SupportEffect._meta.db_table
RECEIVED = ("active", "completed")


def plan_end_sql(vendor: str) -> str:
    """A plan's planned end date (start + duration) in the database's own date arithmetic."""
    if vendor == "postgresql":
        return "sp.start_date + sp.duration_weeks * 7"
    return "date(sp.start_date, '+' || (sp.duration_weeks * 7) || ' days')"


# Table names are the models' own constants; every value is a bound parameter.
CLEAR = f"DELETE FROM {EFFECT} WHERE district_id = %(district)s AND window_id = %(window)s"  # noqa: S608

# moves: each student's band on each screener in both windows (rank 0 = most need, so a
# higher rank is a move up). cells: everyone, counted per group. touched: per student and
# support, whether a plan with it was open between the windows, and whether one of those was
# really given (active or completed). The comparison is the group's total less the touched.
EFFECTS = """
WITH moves AS (
    SELECT p.student_id, n.screener_id, p.school_id, p.grade, p.band_rank AS start_rank,
           CASE WHEN n.band_rank > p.band_rank THEN 1 ELSE 0 END AS up,
           CASE WHEN n.band_rank = p.band_rank THEN 1 ELSE 0 END AS same,
           CASE WHEN n.band_rank < p.band_rank THEN 1 ELSE 0 END AS down
    FROM {snap} n
    JOIN {snap} p ON p.district_id = n.district_id AND p.window_id = %(previous)s
         AND p.student_id = n.student_id AND p.screener_id = n.screener_id
    WHERE n.district_id = %(district)s AND n.window_id = %(window)s
),
cells AS (
    SELECT screener_id, school_id, grade, start_rank, COUNT(*) AS n, SUM(up) AS up,
           SUM(same) AS same, SUM(down) AS down
    FROM moves GROUP BY screener_id, school_id, grade, start_rank
),
touched AS (
    SELECT sp.student_id, sp.support_id,
           MAX(CASE WHEN sp.status IN ('active', 'completed') THEN 1 ELSE 0 END) AS got
    FROM {plan} sp
    WHERE sp.district_id = %(district)s AND sp.start_date <= %(until)s
      AND {plan_end} >= %(since)s
    GROUP BY sp.student_id, sp.support_id
),
groups AS (
    SELECT t.support_id, m.screener_id, m.school_id, m.grade, m.start_rank,
           SUM(t.got) AS received, SUM(t.got * m.up) AS received_up,
           SUM(t.got * m.same) AS received_same, SUM(t.got * m.down) AS received_down,
           COUNT(*) AS touched, SUM(m.up) AS touched_up, SUM(m.same) AS touched_same,
           SUM(m.down) AS touched_down
    FROM touched t JOIN moves m ON m.student_id = t.student_id
    GROUP BY t.support_id, m.screener_id, m.school_id, m.grade, m.start_rank
)
INSERT INTO {effect} (district_id, support_id, window_id, previous_window_id, screener_id,
                      school_id, grade, start_rank, received, received_up, received_same,
                      received_down, others, others_up, others_same, others_down,
                      created_at, updated_at)
SELECT %(district)s, g.support_id, %(window)s, %(previous)s, g.screener_id, g.school_id,
       g.grade, g.start_rank, g.received, g.received_up, g.received_same, g.received_down,
       c.n - g.touched, c.up - g.touched_up, c.same - g.touched_same, c.down - g.touched_down,
       %(now)s, %(now)s
FROM groups g
JOIN cells c ON c.screener_id = g.screener_id AND c.school_id = g.school_id
     AND c.grade = g.grade AND c.start_rank = g.start_rank
WHERE g.received > 0
"""


def effects_sql(vendor: str) -> str:
    return EFFECTS.format(snap=SNAP, plan=PLAN, effect=EFFECT, plan_end=plan_end_sql(vendor))


def effects_recompute(*, district_id: int, window_id: int, now) -> int:
    """Rebuild the window's effect rows (idempotent); returns how many. Call inside the
    window's district context (a task's, or a request's)."""
    with transaction.atomic():
        window = screener_selectors.get_window(district_id=district_id, window_pk=window_id)
        earlier = previous_window(window)
        params = {"district": district_id, "window": window.pk, "now": now}
        with connection.cursor() as cursor:
            cursor.execute(CLEAR, params)
            if earlier is None:
                return 0
            params |= {
                "previous": earlier.pk,
                "since": earlier.closes_on,
                "until": window.opens_on,
            }
            cursor.execute(effects_sql(connection.vendor), params)
            written = cursor.rowcount
        if written < 0:  # SQLite reports no count for an INSERT that starts WITH
            written = SupportEffect.objects.filter(window_id=window.pk).count()
        analyze_after_commit(SupportEffect)
    return written
