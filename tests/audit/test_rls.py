"""Audit events are district-scoped like every tenant table: another district's admin sees
none of them, on the page, in the API, or in raw SQL as the app's role."""

import pytest
from django.db import connection

from crsys.audit.models import Action, AuditEvent
from crsys.audit.services import event_record
from crsys.tenancy.context import district_context
from districts.models import Role
from tests.audit.conftest import postgres_only
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(district, other_district):
    a = event_record(
        district_id=district.pk, user=None, action=Action.VIEW, object_type="zqx", object_id=424242
    )
    b = event_record(district_id=other_district.pk, user=None, action=Action.VIEW)
    return a, b


def test_another_districts_admin_sees_none_of_its_events(client, district, other_district, events):
    theirs = member(other_district, Role.DISTRICT_ADMIN, email="admin@beta.example")
    client.force_login(theirs)
    page = client.get("/d/beta/audit/")
    assert page.status_code == 200
    assert "424242" not in page.content.decode()
    api = client.get("/api/v1/d/beta/audit-events/")
    ids = {row["id"] for row in api.json()["results"]}
    assert events[0].pk not in ids
    assert client.get(f"/api/v1/d/beta/audit-events/{events[0].pk}/").status_code == 404
    assert client.get("/d/alpha/audit/").status_code == 404


@postgres_only
def test_row_level_security_hides_other_districts_events_from_raw_sql(district, events):
    with district_context(district), connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT district_id FROM audit_auditevent")
        assert [r[0] for r in cursor.fetchall()] == [district.pk]
        assert AuditEvent.objects.unscoped().count() == 1
