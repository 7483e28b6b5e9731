"""Recompute on a real Celery worker against Redis: end to end, and a worker process killed
with SIGKILL mid-recompute (the old snapshot stays whole; the task runs again)."""

import datetime
import os
import signal
import subprocess
import time
from decimal import Decimal

import psycopg
import pytest
from django.db import connection

from crsys.tenancy.context import district_context
from districts.models import Role
from districts.permissions import SYSTEM
from screeners import services
from screeners.bands import BandSpec
from screeners.models import Screener, ScreenerResult, ScreeningWindow, StudentBandSnapshot
from screeners.recompute import recompute_window
from tests.celery_worker import require_worker_services, start_worker, worker_database_url
from tests.factories import (
    ClassroomFactory,
    SchoolYearFactory,
    StudentFactory,
    enrol,
    focus_area,
    member,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
BANDS = [
    BandSpec("Intensive", "Intensive support", "#c62828", Decimal(0), Decimal(39)),
    BandSpec("Strategic", "Strategic support", "#f9a825", Decimal(40), Decimal(59)),
    BandSpec("At benchmark", "At or above benchmark", "#2e7d32", Decimal(60), Decimal(100), True),
]


@pytest.fixture
def closed_window(district, school):
    today = datetime.date.today()
    member(district, Role.DISTRICT_ADMIN)
    with district_context(district):
        year = SchoolYearFactory(
            district=district,
            start_date=today - datetime.timedelta(days=90),
            end_date=today + datetime.timedelta(days=200),
        )
        room = ClassroomFactory(district=district, school=school, school_year=year)
        screener = Screener.objects.create(
            district=district,
            name="Reading",
            focus_area=focus_area(district, "literacy"),
            grades=["03"],
        )
        services.bands_replace(
            actor=SYSTEM, screener=screener, grade="03", season="fall", bands=BANDS
        )
        window = ScreeningWindow.objects.create(
            school_year=year,
            season="fall",
            opens_on=today - datetime.timedelta(days=30),
            # Two days: closed in every zone, whatever the machine's date (UTC) says.
            closes_on=today - datetime.timedelta(days=2),
        )
        window.screeners.add(screener)
        for n in range(40):
            student = StudentFactory(district=district, school=school, grade="03")
            enrol(student, room)
            ScreenerResult.objects.create(
                student=student, screener=screener, window=window, score=20 + n
            )
    return window


def snapshot_of(window) -> list[tuple]:
    return sorted(
        StudentBandSnapshot.objects.for_district(window.district_id)
        .filter(window=window)
        .values_list("student_id", "band_rank")
    )


def test_worker_recomputes_a_closed_window(district, closed_window, tmp_path):
    worker = start_worker(tmp_path)
    try:
        result = worker.send(
            "screeners.tasks.recompute_window_task",
            district_id=district.pk,
            window_id=closed_window.pk,
        )
        counts = result.get(timeout=60)
    finally:
        worker.stop()
    assert counts["students"] == 40
    ranks = [rank for _, rank in snapshot_of(closed_window)]
    assert ranks.count(0) == 20 and ranks.count(1) == 20  # scores 20–39 and 40–59


def test_a_worker_killed_mid_recompute_leaves_the_old_snapshot_and_the_task_runs_again(
    district, closed_window, tmp_path
):
    require_worker_services()
    # given: a built snapshot, then every score raised to the top band
    with district_context(district):
        recompute_window(district_id=district.pk, window_id=closed_window.pk)
    before = snapshot_of(closed_window)
    assert {rank for _, rank in before} == {0, 1}
    ScreenerResult.objects.for_district(district).update(score=95)

    # when: the recompute is stopped half-way (it waits for a lock the test holds on the
    # enrolments, which it reads last, after clearing and rewriting the student snapshot)...
    lock = psycopg.connect(worker_database_url())
    lock.execute("LOCK TABLE schools_enrolment IN ACCESS EXCLUSIVE MODE")
    worker = start_worker(tmp_path)
    try:
        result = worker.send(
            "screeners.tasks.recompute_window_task",
            district_id=district.pk,
            window_id=closed_window.pk,
        )
        blocked_pid = _wait_for_backend_waiting_on_lock(lock)
        # ...readers still see the whole old snapshot...
        assert snapshot_of(closed_window) == before
        # ...and the worker's pool process is killed outright.
        children = subprocess.run(
            ["pgrep", "-P", str(worker.process.pid)], capture_output=True, text=True
        ).stdout.split()
        assert children, worker.log.read_text()
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)
        # PostgreSQL would notice the dead client when it next writes to it; end it now.
        lock.execute("SELECT pg_terminate_backend(%s)", [blocked_pid])
        lock.rollback()
        # then: the task is delivered again and completes
        counts = result.get(timeout=90)
    finally:
        lock.close()
        worker.stop()
    log = worker.log.read_text()
    assert "WorkerLostError" in log or "SIGKILL" in log, log
    assert counts["students"] == 40
    after = snapshot_of(closed_window)
    assert [s for s, _ in after] == [s for s, _ in before]  # every student once, no duplicates
    assert {rank for _, rank in after} == {2}


def _wait_for_backend_waiting_on_lock(lock_connection, timeout: float = 30.0) -> int:
    name = connection.settings_dict["NAME"]
    deadline = time.monotonic() + timeout
    with psycopg.connect(worker_database_url(), autocommit=True) as watcher:
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
                " AND query ILIKE %s AND pid <> %s",
                [name, "%schools_enrolment%", lock_connection.info.backend_pid],
            ).fetchone()
            if row:
                return row[0]
            time.sleep(0.05)
    raise AssertionError("the recompute never reached the enrolments")
