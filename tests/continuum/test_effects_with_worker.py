"""What is working on a real Celery worker against Redis and PostgreSQL (row-level security
on): the task is registered in the worker, enters the district, and writes the rows."""

from __future__ import annotations

import pytest

from continuum.models import SupportEffect
from crsys.tenancy.context import district_context
from screeners.recompute import recompute_window
from tests.celery_worker import start_worker
from tests.continuum.effect_world import cohort, two_windows

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_builds_the_effect_rows_of_a_window(scene, tmp_path):
    district = scene["district"]
    windows = two_windows(district)
    cohort(district, scene["aspen"], scene["divisional"], windows,
           received=[60] * 10, others=[20] * 5)  # fmt: skip
    with district_context(district):
        for window in (windows["fall"], windows["winter"]):
            recompute_window(district_id=district.pk, window_id=window.pk)
    worker = start_worker(tmp_path)
    try:
        result = worker.send(
            "continuum.tasks.support_effects_task",
            district_id=district.pk,
            window_id=windows["winter"].pk,
        )
        written = result.get(timeout=60)
    finally:
        worker.stop()
    assert written == 1
    row = SupportEffect.objects.for_district(district).get()
    assert (row.received, row.received_up, row.others, row.others_up) == (10, 10, 5, 0)
