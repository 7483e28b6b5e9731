"""The audit log is append-only: the model refuses, and on PostgreSQL the database refuses
UPDATE, DELETE and TRUNCATE, whatever role asks; only the retention purge deletes, and only
events past a year."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from crsys.audit.models import Action, AppendOnly, AuditEvent
from crsys.audit.services import audit_purge, event_record
from crsys.tenancy.context import district_context
from tests.audit.conftest import postgres_only

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(district):
    return event_record(district_id=district.pk, user=None, action=Action.VIEW, object_type="x")


def test_the_model_refuses_to_change_or_delete_an_event(district, event):
    event.path = "/changed/"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with district_context(district):
        with pytest.raises(AppendOnly):
            AuditEvent.objects.all().update(path="/x/")
        with pytest.raises(AppendOnly):
            AuditEvent.objects.all().delete()
        assert AuditEvent.objects.get(pk=event.pk).path == ""


def _raw(*statements: str):
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET path = '/forged/'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    ],
)
def test_the_apps_database_role_cannot_change_delete_or_truncate(district, event, sql):
    # given the app's role, as in every request (district_context switches to it)
    with district_context(district):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == "crsys_app"
        # when / then
        with pytest.raises(DatabaseError):
            _raw(sql)
    assert AuditEvent.objects.unscoped().filter(pk=event.pk, path="").exists()


@postgres_only
@pytest.mark.parametrize(
    "sql", ["UPDATE audit_auditevent SET path = '/forged/'", "DELETE FROM audit_auditevent"]
)
def test_the_trigger_refuses_even_the_tables_owner(event, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(sql)
    with pytest.raises(DatabaseError, match="append-only"):
        # The purge's own switch lets nothing younger than a year go.
        _raw("SELECT set_config('crsys.audit_purge', 'on', true)", sql)
    assert AuditEvent.objects.unscoped().filter(pk=event.pk, path="").exists()


@postgres_only
def test_truncate_is_refused_outside_the_test_suites_flush(event):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("SET LOCAL crsys.audit_truncate = 'off'", "TRUNCATE audit_auditevent")


def test_the_purge_removes_only_events_past_the_retention(district, settings):
    # given an event of 400 days ago and one of today
    old = event_record(district_id=district.pk, user=None, action=Action.VIEW)
    # Backdating is itself an UPDATE the trigger refuses: the row is inserted old.
    aged = AuditEvent(
        district_id=district.pk, action=Action.VIEW,
        occurred_at=timezone.now() - datetime.timedelta(days=500),
    )  # fmt: skip
    with district_context(district):
        aged.save()
    settings.AUDIT_RETENTION_DAYS = 400
    # when
    removed = audit_purge()
    # then
    assert removed == 1
    remaining = set(AuditEvent.objects.unscoped().values_list("pk", flat=True))
    assert old.pk in remaining and aged.pk not in remaining


def test_the_purge_never_keeps_less_than_a_year(district):
    with pytest.raises(ValidationError):
        audit_purge(retention_days=30)
