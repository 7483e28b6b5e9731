from __future__ import annotations

from celery import shared_task

from crsys.tenancy.context import district_context
from schools import services
from schools.models import RosterImport


@shared_task(acks_late=True)
def check_roster_import(*, district_id: int, import_id: int) -> str:
    with district_context(district_id):
        roster_import = RosterImport.objects.get(pk=import_id)
        return services.roster_import_check(roster_import=roster_import).status


@shared_task(acks_late=True)
def commit_roster_import(*, district_id: int, import_id: int) -> str:
    with district_context(district_id):
        roster_import = RosterImport.objects.get(pk=import_id)
        return services.roster_import_commit(roster_import=roster_import).status
