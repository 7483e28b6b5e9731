"""Benchmark: the collaborative team meeting page for a 30-student class, and the autosave
round trip, server time through Django's full stack (test client), with query counts.

    .venv/bin/python bench/meeting.py [--show-queries]

The meeting is in full swing: 8 students discussed (each naming two others with the same
issue), celebrations, organizer picks, commitments carried from the last meeting and new ones,
a referral and attendance.
Targets (issue: team meetings): the page in at most 10 queries and under 100 ms; an autosave
under 50 ms. The lower bound printed beside each is the same SQL statements sent straight
through the database cursor (no ORM, no templates): what the page cannot go below without
fewer statements.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_URL, migrate, recreate_database, setup_django

CONTROL = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"}


def timed_requests(client, method: str, url: str, runs: int, data_for=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], 0
    for n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url) if method == "GET" else client.post(url, data_for(n))
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (response.status_code, url)
        statements = [q["sql"] for q in captured.captured_queries
                      if q["sql"].split()[0].upper() not in CONTROL]  # fmt: skip
        queries = len(statements)
    if "--show-queries" in sys.argv:
        for sql in statements:
            print("   ", sql[:140])
    return statistics.median(timings), queries, statements


def raw_sql_ms(statements: list[str], runs: int) -> float:
    """The same statements through the cursor, in one transaction (rolled back)."""
    from django.db import connection, transaction

    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
            transaction.set_rollback(True)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def busy_meeting(district, teacher):
    """A team of one teacher whose class has exactly 30 students, and a meeting in full swing
    after a first meeting that left commitments open."""
    import datetime

    from districts.selectors import resolve_actor
    from schools.models import Enrolment, StaffAssignment, Student
    from teams import services
    from teams.models import Discussion, Team, TeamMember
    from teams.selectors import team_students

    actor = resolve_actor(user=teacher, district_slug=district.slug)[1]
    home = Team.objects.get(members__user=teacher, layer__kind="ctm")  # not the planning team
    team = Team.objects.create(layer=home.layer, school=home.school, name="Bench team")
    TeamMember.objects.create(team=team, user=teacher)
    assignment = StaffAssignment.objects.filter(user=teacher, classroom__isnull=False).first()
    classroom = assignment.classroom
    from schools.selectors import district_today

    enrolled = set(
        Enrolment.objects.current(on=district_today(district))
        .filter(classroom=classroom)
        .values_list("student_id", flat=True)
    )
    extra = Student.objects.filter(school=home.school).exclude(pk__in=enrolled)
    for student in extra[: 30 - len(enrolled)]:
        Enrolment.objects.create(student=student, classroom=classroom)
    students = list(team_students(team=team, actor=actor).order_by("pk"))
    assert len(students) == 30, len(students)
    today = datetime.date.today()
    first = services.meeting_create(actor=actor, team=team, date=today - datetime.timedelta(42))
    for text in ("Call home about reading logs", "Try a reading buddy"):
        services.commitment_add(
            actor=actor,
            meeting=first,
            owner_id=teacher.pk,
            text=text,
            due_date=today - datetime.timedelta(7),
            student=students[0],
        )
    meeting = services.meeting_create(actor=actor, team=team, date=today)
    services.attendance_set(actor=actor, meeting=meeting, user_ids=[teacher.pk])
    for kind, student in zip(("celebrate", "key_issue", "enrich"), students[:3], strict=True):
        services.organizer_pick(
            actor=actor, meeting=meeting, user=teacher, kind=kind, student=student, note="why"
        )
    for student in students[:8]:
        discussion = Discussion.objects.create(
            meeting=meeting, student=student, notes="x" * 400, author=teacher
        )
        for other in students[10:12]:
            services.same_issue_set(actor=actor, discussion=discussion, student=other)
    for student in students[8:10]:
        services.celebration_add(
            actor=actor, meeting=meeting, student=student, text="Read a chapter", user=teacher
        )
    services.commitment_add(
        actor=actor,
        meeting=meeting,
        owner_id=teacher.pk,
        text="Small-group phonics",
        due_date=today + datetime.timedelta(14),
    )
    services.referral_create(
        actor=actor, meeting=meeting, student=students[1], context="Tried x, y", user=teacher
    )
    return meeting, students


def main() -> None:
    url = DEFAULT_URL.replace("crsys_bench", "crsys_bench_meeting")
    recreate_database(url)
    setup_django(url)
    migrate()
    from django.test import Client

    from crsys.tenancy.context import district_context
    from districts.demo import seed_demo_district
    from districts.models import District, User
    from teams.models import Discussion, NoteConflict

    seed_demo_district(slug="bench", password="bench-pass-12345")
    district = District.objects.get(slug="bench")
    teacher = User.objects.get(email="teacher@bench.example")
    with district_context(district):
        meeting, students = busy_meeting(district, teacher)
        discussion = Discussion.objects.filter(meeting=meeting).first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(teacher)
    page_url = f"/d/bench/meetings/{meeting.pk}/"
    client.get(page_url)
    page_ms, page_queries, page_sql = timed_requests(client, "GET", page_url, 25)
    page_floor = raw_sql_ms(page_sql, 25)
    save_url = f"{page_url}discussions/{discussion.pk}/"
    save_ms, save_queries, save_sql = timed_requests(
        client,
        "POST",
        save_url,
        25,
        lambda n: {"field": "notes", "value": f"note {n}", "version": str(n + 1)},
    )
    save_floor = raw_sql_ms(save_sql, 25)
    with district_context(district):
        NoteConflict.objects.create(
            discussion=discussion, field="notes", text="theirs", based_on_version=1
        )
    conflict_ms, conflict_queries, _ = timed_requests(client, "GET", page_url, 25)
    print(f"crsys meeting benchmark: {len(students)} students, 8 discussed, 2 celebrations,")
    print("  3 organizer picks, 2 carried + 1 new commitment, 1 referral, 2 students named with")
    print("  the same issue in each discussion (PostgreSQL)")
    print(
        f"  meeting page: {page_ms:.1f} ms server time (median of 25), {page_queries} queries;"
        f" the same SQL alone {page_floor:.1f} ms ({page_ms / page_floor:.1f}x)"
    )
    print(f"  with an unresolved note conflict: {conflict_ms:.1f} ms, {conflict_queries} queries")
    print(
        f"  autosave round trip: {save_ms:.1f} ms (median of 25), {save_queries} queries;"
        f" the same SQL alone {save_floor:.1f} ms ({save_ms / save_floor:.1f}x)"
    )
    verdict = {
        "page <= 10 queries": page_queries <= 10,
        "page < 100 ms": page_ms < 100,
        "autosave < 50 ms": save_ms < 50,
    }
    print(
        "  targets: " + ", ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in verdict.items())
    )


if __name__ == "__main__":
    main()
