"""Build a window's snapshots in SQL: set-based, idempotent, one transaction.

Readers see the old snapshot until the transaction commits (MVCC), so a reader never sees
half of one, and a worker killed mid-way leaves the old snapshot whole. The statements are
plain SQL that SQLite and PostgreSQL both run. See docs/adr/0004-screener-snapshots.md.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from crsys.bulk import analyze_after_commit, analyze_now
from schools.models import Enrolment, Student, current_enrolment_sql
from screeners.models import (
    BandCountSnapshot,
    ScreenerResult,
    ScreeningWindow,
    StudentBandSnapshot,
)

Progress = Callable[[int, str], None]

RESULT = "screeners_screenerresult"
BAND = "screeners_benchmarkband"
STUDENT = "schools_student"
SNAP = "screeners_studentbandsnapshot"
COUNT = "screeners_bandcountsnapshot"
ENROLMENT = "schools_enrolment"
CLASSROOM = "schools_classroom"

# Each result's band from the current cut points, written only where it changed (after an
# unchanged close nothing is rewritten); a score no band covers gets none.
REBAND = f"""
UPDATE {RESULT} SET band_id = m.band_id
FROM (
    SELECT r.id AS result_id, r.band_id AS old_band_id, MIN(b.id) AS band_id
    FROM {RESULT} r
    JOIN {STUDENT} s ON s.id = r.student_id
    LEFT JOIN {BAND} b ON b.district_id = r.district_id AND b.screener_id = r.screener_id
         AND b.grade = COALESCE(NULLIF(r.grade, ''), s.grade) AND b.season = %(season)s
         AND r.score BETWEEN b.min_score AND b.max_score
    WHERE r.district_id = %(district)s AND r.window_id = %(window)s
    GROUP BY r.id, r.band_id
) AS m
WHERE {RESULT}.id = m.result_id AND m.old_band_id IS DISTINCT FROM m.band_id
"""
CLEAR_STUDENTS = f"DELETE FROM {SNAP} WHERE district_id = %(district)s AND window_id = %(window)s"
CLEAR_COUNTS = f"DELETE FROM {COUNT} WHERE district_id = %(district)s AND window_id = %(window)s"

# Movement compares band ranks (0 = most need) with the student's previous window.
STUDENT_SNAPSHOTS = f"""
INSERT INTO {SNAP} (district_id, window_id, screener_id, student_id, school_id, grade, score,
                    band_id, band_rank, meets_benchmark, movement, created_at, updated_at)
SELECT r.district_id, r.window_id, r.screener_id, r.student_id,
       COALESCE(r.school_id, s.school_id), COALESCE(NULLIF(r.grade, ''), s.grade), r.score,
       b.id, b.rank, b.meets_benchmark,
       CASE WHEN p.band_rank IS NULL THEN 'new'
            WHEN b.rank > p.band_rank THEN 'up'
            WHEN b.rank < p.band_rank THEN 'down'
            ELSE 'same' END,
       %(now)s, %(now)s
FROM {RESULT} r
JOIN {STUDENT} s ON s.id = r.student_id
JOIN {BAND} b ON b.id = r.band_id
LEFT JOIN {SNAP} p ON p.district_id = r.district_id AND p.window_id = %(previous)s
     AND p.student_id = r.student_id AND p.screener_id = r.screener_id
WHERE r.district_id = %(district)s AND r.window_id = %(window)s
"""
# Groups count students per band rank: bands are set per grade, but a rank (and its name and
# colour, the district's common language) means the same in every grade; the row keeps one
# of the rank's bands to show its name and colour.
_COUNT_INSERT = f"""
INSERT INTO {COUNT} (district_id, window_id, screener_id, scope, school_id, grade, classroom_id,
                     band_id, band_rank, meets_benchmark, students, created_at, updated_at)
"""
SCOPE_COUNTS = {
    "district": _COUNT_INSERT
    + f"""
SELECT district_id, window_id, screener_id, 'district', NULL, '', NULL, MIN(band_id), band_rank,
       meets_benchmark, COUNT(*), %(now)s, %(now)s
FROM {SNAP} WHERE district_id = %(district)s AND window_id = %(window)s
GROUP BY district_id, window_id, screener_id, band_rank, meets_benchmark
""",
    "school": _COUNT_INSERT
    + f"""
SELECT district_id, window_id, screener_id, 'school', school_id, '', NULL, MIN(band_id),
       band_rank, meets_benchmark, COUNT(*), %(now)s, %(now)s
FROM {SNAP} WHERE district_id = %(district)s AND window_id = %(window)s
GROUP BY district_id, window_id, screener_id, school_id, band_rank, meets_benchmark
""",
    "grade": _COUNT_INSERT
    + f"""
SELECT district_id, window_id, screener_id, 'grade', school_id, grade, NULL, MIN(band_id),
       band_rank, meets_benchmark, COUNT(*), %(now)s, %(now)s
FROM {SNAP} WHERE district_id = %(district)s AND window_id = %(window)s
GROUP BY district_id, window_id, screener_id, school_id, grade, band_rank, meets_benchmark
""",
    # A student counts in every class of the window's school year they are enrolled in now
    # (%(on)s: the district's today), as the class pages list them beside these counts.
    "classroom": _COUNT_INSERT
    + f"""
SELECT n.district_id, n.window_id, n.screener_id, 'classroom', c.school_id, '', c.id,
       MIN(n.band_id), n.band_rank, n.meets_benchmark, COUNT(*), %(now)s, %(now)s
FROM {SNAP} n
JOIN {ENROLMENT} e ON e.student_id = n.student_id AND e.district_id = n.district_id
     AND {current_enrolment_sql("e")}
JOIN {CLASSROOM} c ON c.id = e.classroom_id AND c.school_year_id = %(school_year)s
WHERE n.district_id = %(district)s AND n.window_id = %(window)s
GROUP BY n.district_id, n.window_id, n.screener_id, c.school_id, c.id, n.band_rank,
         n.meets_benchmark
""",
}


def previous_window(window: ScreeningWindow) -> ScreeningWindow | None:
    return (
        ScreeningWindow.objects.all()
        .filter(opens_on__lt=window.opens_on)
        .order_by("-opens_on")
        .first()
    )


def recompute_window(
    *, district_id: int, window_id: int, progress: Progress | None = None
) -> dict[str, int]:
    """Rebuild the window's snapshots; returns row counts. Call inside district_context."""
    progress = progress or (lambda pct, message: None)
    with transaction.atomic():
        # One recompute of a window at a time: a second waits here, then redoes the work.
        window = ScreeningWindow.objects.select_for_update().get(pk=window_id)
        previous = previous_window(window)
        from schools.selectors import district_today

        params = {
            "district": district_id,
            "window": window.pk,
            "season": window.season,
            "previous": previous.pk if previous else -1,
            "school_year": window.school_year_id,
            "on": district_today(window.district),
            "now": timezone.now(),
        }
        counts: dict[str, int] = {}
        # Statistics are often stale right after a window's results arrive (and autovacuum
        # may be off): a planner that believes these tables empty picks nested loops that
        # turn seconds into minutes.
        analyze_now(ScreenerResult, StudentBandSnapshot, Student, Enrolment)
        with connection.cursor() as cursor:
            progress(5, "Placing results in bands")
            cursor.execute(REBAND, params)
            progress(20, "Clearing the old snapshot")
            cursor.execute(CLEAR_STUDENTS, params)
            cursor.execute(CLEAR_COUNTS, params)
            progress(35, "Student bands and movement")
            cursor.execute(STUDENT_SNAPSHOTS, params)
            counts["students"] = cursor.rowcount
            for step, (scope, sql) in enumerate(SCOPE_COUNTS.items()):
                progress(55 + step * 10, f"Counting bands per {scope}")
                cursor.execute(sql, params)
                counts[scope] = cursor.rowcount
        analyze_after_commit(ScreenerResult, StudentBandSnapshot, BandCountSnapshot)
        window.last_recomputed_at = timezone.now()
        window.save(update_fields=["last_recomputed_at", "updated_at"])
        progress(100, "Done")
    return counts
