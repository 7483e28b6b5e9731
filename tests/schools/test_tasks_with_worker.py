"""The roster import's Celery tasks, run by a real worker process against Redis."""

import pytest
from django.conf import settings

from crsys.tenancy.context import district_context
from districts.permissions import SYSTEM
from schools import services
from schools.models import RosterImport, Student
from tests.celery_worker import start_worker
from tests.schools.bundles import bundle

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_worker_checks_then_commits_an_import(district, tmp_path):
    with district_context(district):
        roster_import = services.roster_import_upload(
            district=district, actor=SYSTEM, name="roster.zip", data=bundle(), kind="oneroster",
            check=False,
        )  # fmt: skip
    worker = start_worker(tmp_path, extra_env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)})
    try:
        ids = {"district_id": district.pk, "import_id": roster_import.pk}
        assert worker.send("schools.tasks.check_roster_import", **ids).get(timeout=60) == "ready"
        assert Student.objects.for_district(district).count() == 0
        roster_import.refresh_from_db()
        roster_import.status = RosterImport.Status.COMMITTING
        roster_import.save()
        result = worker.send("schools.tasks.commit_roster_import", **ids).get(timeout=60)
        assert result == "committed"
    finally:
        worker.stop()
    assert Student.objects.for_district(district).count() == 3
