"""PostgreSQL: the audit table refuses UPDATE, DELETE and TRUNCATE; the student-record tables
and memberships append an audit event for every row written, bulk writes included.

The change triggers are statement-level with transition tables, so a COPY or an
``INSERT … SELECT`` of 100,000 rows appends its 100,000 events in one set-based INSERT,
not 100,000 trigger calls. The actor is the transaction's ``app.user_id`` (set with the
district by ``district_context``), with ``app.client_address`` and ``app.path`` beside it.
Only column names are kept for a change, never values. See docs/adr/0011-audit-log.md.
"""

from django.db import migrations

AUDIT_TABLE = "audit_auditevent"

#: table -> (object type, SQL for the row's student over alias r, forced action)
AUDITED_TABLES = {
    "schools_student": ("student", "r.id", ""),
    "schools_enrolment": ("enrolment", "r.student_id", ""),
    "schools_studentflagvalue": ("studentflagvalue", "r.student_id", ""),
    "teams_discussion": ("discussion", "r.student_id", ""),
    "teams_referral": ("referral", "r.student_id", ""),
    "continuum_supportplan": ("supportplan", "r.student_id", ""),
    "continuum_progresspoint": (
        "progresspoint",
        "(SELECT p.student_id FROM continuum_supportplan p WHERE p.id = r.plan_id)",
        "",
    ),
    "screeners_screenerresult": ("screenerresult", "r.student_id", ""),
    "districts_membership": ("membership", "NULL::bigint", "permission_change"),
}

APPEND_ONLY = f"""
CREATE OR REPLACE FUNCTION crsys_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- The one delete allowed: the retention purge (crsys_audit_purge), of rows past a year.
    IF TG_OP = 'DELETE' AND current_setting('crsys.audit_purge', true) = 'on'
       AND OLD.occurred_at < now() - interval '365 days' THEN
        RETURN OLD;
    END IF;
    -- The test suite's flush (the app role has no TRUNCATE privilege at all).
    IF TG_OP = 'TRUNCATE' AND current_setting('crsys.audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {AUDIT_TABLE}
    FOR EACH ROW EXECUTE FUNCTION crsys_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {AUDIT_TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION crsys_audit_append_only();

CREATE OR REPLACE FUNCTION crsys_audit_purge(keep_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    removed bigint;
BEGIN
    IF keep_days IS NULL OR keep_days < 365 THEN
        RAISE EXCEPTION 'audit events are kept at least 365 days';
    END IF;
    PERFORM set_config('crsys.audit_purge', 'on', true);
    DELETE FROM {AUDIT_TABLE} WHERE occurred_at < now() - make_interval(days => keep_days);
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('crsys.audit_purge', '', true);
    RETURN removed;
END $$;
REVOKE ALL ON FUNCTION crsys_audit_purge(integer) FROM PUBLIC;
"""

ROW_CHANGES = f"""
CREATE OR REPLACE FUNCTION crsys_audit_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    object_type text := TG_ARGV[0];
    student_sql text := TG_ARGV[1];
    verb text := coalesce(NULLIF(TG_ARGV[2], ''), CASE TG_OP
        WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END);
    actor bigint := NULLIF(current_setting('app.user_id', true), '')::bigint;
    actor_email text := '';
    address inet := NULLIF(current_setting('app.client_address', true), '')::inet;
    request_path text := left(coalesce(current_setting('app.path', true), ''), 500);
    source text := CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END;
    detail_sql text := '''{{}}''::jsonb';
    join_sql text := '';
BEGIN
    IF actor IS NOT NULL THEN
        SELECT u.email INTO actor_email FROM districts_user u WHERE u.id = actor;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        -- Which columns changed (names only); a write that changed nothing is no event.
        detail_sql := 'jsonb_build_object(''columns'', (SELECT jsonb_agg(e.key ORDER BY e.key)'
            ' FROM jsonb_each(to_jsonb(r)) e WHERE e.key NOT IN (''updated_at'', ''created_at'')'
            ' AND e.value IS DISTINCT FROM to_jsonb(o) -> e.key))';
        join_sql := ' JOIN old_rows o ON o.id = r.id'
            ' WHERE to_jsonb(r) - ''updated_at'' IS DISTINCT FROM to_jsonb(o) - ''updated_at''';
    END IF;
    EXECUTE format(
        'INSERT INTO {AUDIT_TABLE} (created_at, updated_at, occurred_at, district_id, actor_id,'
        ' actor_email, action, object_type, object_id, student_id, client_address, path,'
        ' support_grant_id, detail)'
        ' SELECT now(), now(), now(), r.district_id, $1, coalesce($2, ''''), $3, $4, r.id::text,'
        ' %s, $5, $6, NULL, %s FROM %I r%s',
        student_sql, detail_sql, source, join_sql)
    USING actor, actor_email, verb, object_type, address, request_path;
    RETURN NULL;
END $$;
"""


def _triggers(table: str, object_type: str, student_sql: str, action: str) -> str:
    args = ", ".join("'" + a.replace("'", "''") + "'" for a in (object_type, student_sql, action))
    parts = []
    for op, tables in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        name = f"audit_{op.lower()}"
        parts.append(
            f"DROP TRIGGER IF EXISTS {name} ON {table};"
            f" CREATE TRIGGER {name} AFTER {op} ON {table} REFERENCING {tables}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION crsys_audit_rows({args});"
        )
    return "\n".join(parts)


def _run(schema_editor, sql: str) -> None:
    # No parameters: the SQL's own % (format()'s %s, %I) must reach PostgreSQL as written.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: the model refuses changes; there are no triggers to add
    _run(schema_editor, APPEND_ONLY)
    _run(schema_editor, ROW_CHANGES)
    for table, spec in AUDITED_TABLES.items():
        _run(schema_editor, _triggers(table, *spec))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in AUDITED_TABLES:
        for op in ("insert", "update", "delete"):
            _run(schema_editor, f"DROP TRIGGER IF EXISTS audit_{op} ON {table}")
    _run(schema_editor, f"DROP TRIGGER IF EXISTS audit_append_only ON {AUDIT_TABLE}")
    _run(schema_editor, f"DROP TRIGGER IF EXISTS audit_no_truncate ON {AUDIT_TABLE}")
    _run(schema_editor, "DROP FUNCTION IF EXISTS crsys_audit_rows()")
    _run(schema_editor, "DROP FUNCTION IF EXISTS crsys_audit_purge(integer)")
    _run(schema_editor, "DROP FUNCTION IF EXISTS crsys_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("schools", "0004_student_school"),
        ("teams", "0008_text_length_validators"),
        ("continuum", "0004_focus_area_messages"),
        ("screeners", "0004_result_import_column_mapping"),
        ("districts", "0004_user_session_version"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
