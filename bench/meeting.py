"""Benchmark: the collaborative team meeting page for a 30-student class, and the autosave
round trip, server time through Django's full stack (test client), with query counts.

    .venv/bin/python bench/meeting.py

Targets (issue: team meetings): the page in at most 10 queries and under 100 ms; an autosave
under 50 ms. The lower bound printed beside them is the same reads as one raw SQL round trip
each (what the page cannot go below without caching).
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
    return statistics.median(timings), queries


def main() -> None:
    url = DEFAULT_URL.replace("crsys_bench", "crsys_bench_meeting")
    recreate_database(url)
    setup_django(url)
    migrate()
    import datetime

    from django.test import Client

    from crsys.tenancy.context import district_context
    from districts.demo import seed_demo_district
    from districts.models import District, User
    from schools.models import Enrolment, StaffAssignment, Student
    from teams.models import Discussion, Meeting, Team, TeamMember
    from teams.selectors import team_students

    seed_demo_district(slug="bench", password="bench-pass-12345")
    district = District.objects.get(slug="bench")
    teacher = User.objects.get(email="teacher@bench.example")
    with district_context(district):
        # A team of one teacher whose class has exactly 30 students.
        home = Team.objects.get(members__user=teacher)
        team = Team.objects.create(layer=home.layer, school=home.school, name="Bench team")
        TeamMember.objects.create(team=team, user=teacher)
        classroom = StaffAssignment.objects.filter(user=teacher, classroom__isnull=False).first(
        ).classroom  # fmt: skip
        enrolled = set(Enrolment.objects.filter(classroom=classroom, is_active=True)
                       .values_list("student_id", flat=True))  # fmt: skip
        extra = Student.objects.filter(school=home.school).exclude(pk__in=enrolled)
        for student in extra[: 30 - len(enrolled)]:
            Enrolment.objects.create(student=student, classroom=classroom)
        students = list(team_students(team=team))
        assert len(students) == 30, len(students)
        meeting = Meeting.objects.create(team=team, date=datetime.date.today())
        for student in students[:8]:
            Discussion.objects.create(
                meeting=meeting, student=student, notes="x" * 400, author=teacher
            )
        discussion = Discussion.objects.filter(meeting=meeting).first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(teacher)
    page_url = f"/d/bench/meetings/{meeting.pk}/"
    client.get(page_url)
    page_ms, page_queries = timed_requests(client, "GET", page_url, 25)
    save_url = f"{page_url}discussions/{discussion.pk}/"
    save_ms, save_queries = timed_requests(
        client,
        "POST",
        save_url,
        25,
        lambda n: {"field": "notes", "value": f"note {n}", "version": str(n + 1)},
    )
    print(f"crsys meeting benchmark: team of {len(students)} students, 8 discussed")
    print(f"  meeting page: {page_ms:.1f} ms server time (median of 25), {page_queries} queries")
    print(f"  autosave round trip: {save_ms:.1f} ms (median of 25), {save_queries} queries")
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
