from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    """Who read, exported, imported or changed what in a district, kept append-only."""

    name = "crsys.audit"
    label = "audit"

    def ready(self) -> None:
        # Not at module level: these import models, which exist only once apps are loaded.
        from crsys.audit import database, signals  # noqa: PLC0415

        signals.connect()
        # After crsys.tenancy's handler (connected first), which grants the app role every
        # privilege on every table: the audit table's are taken back each time.
        post_migrate.connect(database.revoke_audit_writes, dispatch_uid="crsys-audit-revoke")
