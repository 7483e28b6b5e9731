"""Benchmark: the collaborative team meeting page for a 30-student class, and the autosave
round trip, server time through Django's full stack (test client), with query counts.

    .venv/bin/python bench/meeting.py [--show-queries] [--profile]

(``BENCH_SORT=tottime`` orders the profile by own time; ``BENCH_SQL_DUMP=file`` appends the
page's and the autosave's statements to a file, for EXPLAIN ANALYZE in psql.)

The meeting is in full swing: 16 students discussed (each naming two others with the same
issue), celebrations, organizer picks, commitments carried from the last meeting and new ones,
a referral and attendance.
Targets (issues 14.18 and team meetings): the page in at most 10 queries and under 30 ms of
server time; an autosave under 50 ms. Two lower bounds are printed beside each figure, measured
in the same run on the same (possibly busy) machine: a trivial view behind the same middleware
(session, user, district and row-level security set-up; it returns two bytes), and the page's
own SQL statements sent straight through the database cursor (no ORM, no templates).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_URL, migrate, recreate_database, setup_django

CONTROL = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"}
DISCUSSED = 16
RUNS = 25


def trivial(request):
    """The floor of any district page: the same middleware, no work of its own."""
    from django.http import HttpResponse

    return HttpResponse("ok")


class BenchUrls:
    """crsys's routes, and the trivial view under a district's prefix."""

    def __init__(self):
        from django.urls import path

        import crsys.urls

        self.urlpatterns = [
            path("d/<slug:district_slug>/bench-trivial/", trivial),
            *crsys.urls.urlpatterns,
        ]


def timed_requests(client, method: str, url: str, runs: int, data_for=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, cpu, queries = [], [], 0
    for n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url) if method == "GET" else client.post(url, data_for(n))
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (response.status_code, url)
        statements = [q["sql"] for q in captured.captured_queries
                      if q["sql"].split()[0].upper() not in CONTROL]  # fmt: skip
        queries = len(statements)
    return Timing(statistics.median(timings), statistics.median(cpu), queries, statements)


@dataclass(frozen=True)
class Timing:
    ms: float  # server time: wall clock through the whole stack, SQL round trips included
    cpu_ms: float  # this process's CPU time (the database server's is not in it)
    queries: int
    statements: list[str]

    def vs(self, floor: Timing) -> str:
        return (
            f"{self.ms:.1f} ms server time ({self.cpu_ms:.1f} ms CPU), {self.queries} queries;"
            f" {self.ms / floor.ms:.1f}x the trivial view"
        )


def profile(client, url: str) -> None:
    """Where the page's time goes (cProfile, 10 requests), by cumulative time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(45)


def raw_sql_ms(statements: list[str], runs: int) -> float:
    """The same statements through the cursor, in one transaction (rolled back)."""
    from django.db import connection, transaction

    timings, each = [], [[] for _ in statements]
    for _ in range(runs):
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for i, sql in enumerate(statements):
                began = time.perf_counter()
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
                each[i].append((time.perf_counter() - began) * 1000)
            transaction.set_rollback(True)
        timings.append((time.perf_counter() - start) * 1000)
    if os.environ.get("BENCH_SQL_DUMP"):
        with open(os.environ["BENCH_SQL_DUMP"], "a") as out:
            out.write(";\n".join(statements) + ";\n----\n")
    if "--show-queries" in sys.argv:
        for sql, ms in zip(statements, each, strict=True):
            print(f"    {statistics.median(ms):6.2f} ms  {sql[:110]}")
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
    for student in students[:DISCUSSED]:
        discussion = Discussion.objects.create(
            meeting=meeting, student=student, notes="x" * 400, author=teacher
        )
        for other in students[20:22]:
            services.same_issue_set(actor=actor, discussion=discussion, student=other)
    for student in students[16:18]:
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
    # Timed as it runs in production (DEBUG off: no template debug data, no SQL log kept),
    # over the test client's plain HTTP, with static files named without a manifest.
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

    from crsys.tenancy.context import district_context
    from districts.demo import seed_demo_district
    from districts.models import District, User
    from teams.models import Discussion, NoteConflict

    settings.ROOT_URLCONF = BenchUrls()
    seed_demo_district(slug="bench", password="bench-pass-12345")
    district = District.objects.get(slug="bench")
    teacher = User.objects.get(email="teacher@bench.example")
    with district_context(district):
        meeting, students = busy_meeting(district, teacher)
        discussion = Discussion.objects.filter(meeting=meeting).first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(teacher)
    page_url = f"/d/bench/meetings/{meeting.pk}/"
    trivial_url = "/d/bench/bench-trivial/"
    for warm in (page_url, trivial_url):
        client.get(warm)
    if "--profile" in sys.argv:
        profile(client, page_url)
    # Interleaved, so that a machine busy with something else weighs on both alike.
    floor = timed_requests(client, "GET", trivial_url, RUNS)
    page = timed_requests(client, "GET", page_url, RUNS)
    floor = min(floor, timed_requests(client, "GET", trivial_url, RUNS), key=lambda t: t.ms)
    html = client.get(page_url).content
    page_sql_ms = raw_sql_ms(page.statements, RUNS)
    save_url = f"{page_url}discussions/{discussion.pk}/"
    save = timed_requests(
        client,
        "POST",
        save_url,
        RUNS,
        lambda n: {"field": "notes", "value": f"note {n}", "version": str(n + 1)},
    )
    save_sql_ms = raw_sql_ms(save.statements, RUNS)
    with district_context(district):
        NoteConflict.objects.create(
            discussion=discussion, field="notes", text="theirs", based_on_version=1
        )
    conflict = timed_requests(client, "GET", page_url, RUNS)
    print(
        f"crsys meeting benchmark: {len(students)} students, {DISCUSSED} discussed, "
        "2 celebrations, 3 organizer picks,"
    )
    print("  2 carried + 1 new commitment, 1 referral, 2 students named with the same issue in")
    print(f"  each discussion (PostgreSQL; medians of {RUNS} requests)")
    print(
        f"  trivial view: {floor.ms:.1f} ms server time ({floor.cpu_ms:.1f} ms CPU),"
        f" {floor.queries} queries"
    )
    print(f"  meeting page: {page.vs(floor)}")
    print(
        f"    {len(html) / 1024:.0f} KB of HTML, {html.count(b'<option')} <option>s;"
        f" its SQL alone {page_sql_ms:.1f} ms"
    )
    print(f"  with an unresolved note conflict: {conflict.vs(floor)}")
    print(f"  autosave round trip: {save.vs(floor)}; its SQL alone {save_sql_ms:.1f} ms")
    verdict = {
        "page <= 10 queries": page.queries <= 10,
        "page < 30 ms": page.ms < 30,
        "autosave < 50 ms": save.ms < 50,
    }
    print(
        "  targets: " + ", ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in verdict.items())
    )


if __name__ == "__main__":
    main()
