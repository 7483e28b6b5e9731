"""Benchmark: the student page with and without the audit log's per-request event, server
time through Django's full stack (test client), and the queries each run sends.

    .venv/bin/python bench/student_page.py [DATABASE_URL]

Seeds the demo district into a scratch database (crsys_bench_audit), opens a student's page
as the district admin RUNS times with the audit middleware in place and RUNS times without it
(the lower bound: the same page, the same machine, the same run), interleaved so a busy
machine weighs on both alike. Target (issue 12): one INSERT per request, a few ms at most.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import migrate, recreate_database, setup_django

RUNS = 40
URL = "postgres://postgres@127.0.0.1:5432/crsys_bench_audit"


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else URL
    recreate_database(url)
    # As in production (DEBUG off), over the test client's plain HTTP (bench/meeting.py).
    os.environ.update(DEBUG="0", SECURE_SSL_REDIRECT="0", ALLOWED_HOSTS="localhost")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    setup_django(url)
    migrate()
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from districts.demo import seed_demo_district
    from districts.models import District, User
    from schools.models import Student

    seed_demo_district(slug="demo", password="bench-pass-2026")
    district = District.objects.get(slug="demo")
    student = Student.objects.for_district(district).order_by("pk").first()
    admin = User.objects.get(email="admin@demo.example")
    page = f"/d/demo/students/{student.pk}/"
    without = [m for m in settings.MIDDLEWARE if not m.startswith("crsys.audit.")]
    clients = {"with audit": Client(HTTP_HOST="localhost")}
    with override_settings(MIDDLEWARE=without):
        # A client loads its middleware at its first request: this one never has the audit.
        clients["without (lower bound)"] = Client(HTTP_HOST="localhost")
        clients["without (lower bound)"].force_login(admin)
        clients["without (lower bound)"].get(page)
    clients["with audit"].force_login(admin)

    def once(client) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(page)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        return elapsed * 1000, len(queries)

    timings: dict[str, list[float]] = {name: [] for name in clients}
    counts: dict[str, int] = {}
    for _ in range(3):  # warm both
        for client in clients.values():
            once(client)
    for _ in range(RUNS):  # interleaved: a busy machine weighs on both alike
        for name, client in clients.items():
            ms, counts[name] = once(client)
            timings[name].append(ms)
    for name, values in timings.items():
        print(
            f"student page {name:24} median {statistics.median(values):6.1f} ms  "
            f"p90 {sorted(values)[int(RUNS * 0.9)]:6.1f} ms  queries {counts[name]}"
        )


if __name__ == "__main__":
    main()
