from django.conf import settings
from django.core.management.base import BaseCommand

from crsys.audit.services import audit_purge


class Command(BaseCommand):
    help = (
        "Delete audit events older than AUDIT_RETENTION_DAYS (never under 365), in every "
        "district. The only delete the audit log allows (docs/adr/0011-audit-log.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep this many days.")

    def handle(self, *args, days=None, **options):
        removed = audit_purge(retention_days=days)
        kept = days or settings.AUDIT_RETENTION_DAYS
        self.stdout.write(f"Removed {removed} audit events older than {kept} days.")
