"""The audit log's raw SQL, in one module: the app role's privileges on the audit table, and
the retention purge through the one function the append-only trigger lets delete (ADR 11)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, connections

from crsys.audit.models import AuditEvent


def purge_older_than(days: int) -> int:
    """PostgreSQL: ``crsys_audit_purge`` (SECURITY DEFINER; refuses under 365 days)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT crsys_audit_purge(%s)", [days])
        return cursor.fetchone()[0]


def revoke_audit_writes(sender, using="default", **kwargs) -> None:
    """The app role may read and append audit events, nothing else (the trigger refuses
    the rest anyway: this makes the refusal a permission error before it gets there)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    role = quote(settings.CRSYS_DB_APP_ROLE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [settings.CRSYS_DB_APP_ROLE])
        if cursor.fetchone() is None:
            return
        cursor.execute(
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(AuditEvent._meta.db_table)} FROM {role}"
        )
