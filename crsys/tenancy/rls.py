"""PostgreSQL row-level security: the second wall behind the tenant managers.

Policies and grants are (re)applied after every ``migrate`` for every model that inherits
``TenantModel``, so a table is covered the day it is created. The policy is an inline
expression: wrapped in a volatile function it would turn index scans into sequential scans.
See docs/adr/0002-row-level-security.md.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import connections

from crsys.tenancy.context import DistrictScope, request_origin
from crsys.tenancy.models import TenantModel

POLICY_NAME = "district_isolation"
DISTRICT_PREDICATE = "district_id = NULLIF(current_setting('app.district_id', true), '')::bigint"
USER_PREDICATE = "user_id = NULLIF(current_setting('app.user_id', true), '')::bigint"


def enter(scope: DistrictScope, using: str = "default") -> tuple[str, str, str] | None:
    """Switch the open transaction to the app role and the scope's district.

    Returns the settings in force before, for ``restore``; ``None`` off PostgreSQL.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('app.district_id', true), current_setting('app.user_id', true),"
            " current_setting('role'),"
            " set_config('app.district_id', %s, true), set_config('app.user_id', %s, true),"
            " set_config('role', %s, true),"
            " set_config('app.client_address', %s, true), set_config('app.path', %s, true)",
            [
                str(scope.district_id),
                "" if scope.user_id is None else str(scope.user_id),
                settings.CRSYS_DB_APP_ROLE,
                *request_origin.get(),
            ],
        )
        district_id, user_id, role = cursor.fetchone()[:3]
    return (district_id or "", user_id or "", role or "none")


def restore(previous: tuple[str, str, str], using: str = "default") -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT set_config('app.district_id', %s, true), set_config('app.user_id', %s, true),"
            " set_config('role', %s, true)",
            list(previous),
        )


def tenant_models(app_config=None):

    models = app_config.get_models() if app_config else apps.get_models()
    return [m for m in models if issubclass(m, TenantModel) and not m._meta.proxy]


def policy_predicate(model) -> str:
    predicate = DISTRICT_PREDICATE
    if getattr(model, "rls_visible_to_own_user", False):
        # A user may list their own memberships in every district (the district switcher).
        predicate = f"({DISTRICT_PREDICATE}) OR ({USER_PREDICATE})"
    return predicate


def apply_policies_after_migrate(sender, using="default", **kwargs) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    role = connection.ops.quote_name(settings.CRSYS_DB_APP_ROLE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [settings.CRSYS_DB_APP_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            # A non-superuser owner needs membership to SET ROLE to the app role.
            cursor.execute(f"GRANT {role} TO current_user")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        for model in tenant_models(sender):
            table = connection.ops.quote_name(model._meta.db_table)
            predicate = policy_predicate(model)
            cursor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
            cursor.execute(
                f"CREATE POLICY {POLICY_NAME} ON {table} USING ({predicate})"
                f" WITH CHECK ({DISTRICT_PREDICATE})"
            )
