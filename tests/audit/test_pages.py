"""The audit log's pages for district admins: search by user, student and date, a formula-safe
CSV, a student's "who has seen this record" one click from the record, and the API."""

import csv
import datetime
import io

import pytest

from crsys.audit.models import Action, AuditEvent
from crsys.tenancy.context import district_context
from districts.models import Role
from tests.factories import StudentFactory, api_token, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(district, school):
    return StudentFactory(district=district, school=school, given_name="Vera")


@pytest.fixture
def many_events(district, student):
    now = datetime.datetime.now(datetime.UTC)
    rows = [
        AuditEvent(
            district_id=district.pk, actor_id=i % 3, actor_email=f"user{i % 3}@alpha.example",
            action=Action.VIEW, object_type="student", object_id=str(student.pk),
            student_id=student.pk if i % 2 else None, path=f"/d/alpha/p{i}/",
            occurred_at=now - datetime.timedelta(days=i),
        )
        for i in range(120)
    ]  # fmt: skip
    with district_context(district):
        AuditEvent.objects.bulk_create(rows)
    return rows


def test_the_list_searches_by_user_student_and_date_in_few_queries(
    client, admin_user, student, many_events, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        page = client.get("/d/alpha/audit/?action=view")
    # (the fixture's own rows: the triggers and the sign-in add more, which are not views)
    assert page.status_code == 200 and "120 events" in page.content.decode()
    assert "40 events" in client.get("/d/alpha/audit/?user=user1@").content.decode()
    assert (
        "60 events"
        in client.get(f"/d/alpha/audit/?student={student.pk}&action=view").content.decode()
    )
    # By date: the district's days; the views of this page so far are events too.
    since = datetime.date.today() - datetime.timedelta(days=9)
    expected = AuditEvent.objects.for_district(many_events[0].district_id).filter(
        action=Action.VIEW, occurred_at__date__gte=since
    )
    count = expected.count()
    assert 10 <= count <= 14
    answer = client.get(f"/d/alpha/audit/?action=view&date_from={since.isoformat()}")
    assert f"{count} events" in answer.content.decode()
    assert client.get("/d/alpha/audit/?date_from=yesterday").status_code == 200  # form error


def test_the_csv_neutralises_formulas(client, district, admin_user):
    with district_context(district):
        AuditEvent.objects.create(
            action=Action.VIEW, actor_email='=HYPERLINK("http://x")', path="+cmd|' /C calc'!A0"
        )
    client.force_login(admin_user)
    response = client.get("/d/alpha/audit/events.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["occurred_at", "actor_id", "actor_email"]
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert '\'=HYPERLINK("http://x")' in cells


def test_who_has_seen_this_record_is_one_click_for_district_admins_only(
    client, district, school, admin_user, student
):
    teacher = member(district, Role.PRINCIPAL, school=school, email="p@alpha.example")
    # given the principal read the record
    client.force_login(teacher)
    record = client.get(f"/d/alpha/students/{student.pk}/").content.decode()
    assert "Who has seen this record" not in record
    assert client.get(f"/d/alpha/students/{student.pk}/audit/").status_code == 403
    # when the district admin opens the record, then follows the link
    client.force_login(admin_user)
    record = client.get(f"/d/alpha/students/{student.pk}/").content.decode()
    link = f"/d/alpha/students/{student.pk}/audit/"
    assert link in record
    viewers = client.get(link).content.decode()
    # then the principal's read (and the admin's own) are listed
    assert "p@alpha.example" in viewers and admin_user.email in viewers


def test_the_api_lists_and_filters_events(client, admin_user, teacher_user, student, many_events):
    token = api_token(admin_user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    answer = client.get(f"/api/v1/d/alpha/audit-events/?student={student.pk}&action=view", **auth)
    assert answer.status_code == 200 and answer.json()["count"] == 60
    assert client.get("/api/v1/d/alpha/audit-events/?date_from=x", **auth).status_code == 400
    teacher = {"HTTP_AUTHORIZATION": f"Token {api_token(teacher_user)}"}
    assert client.get("/api/v1/d/alpha/audit-events/", **teacher).status_code == 403


def test_the_api_is_in_the_schema(client, admin_user):
    client.force_login(admin_user)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/d/{district_slug}/audit-events/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"user", "student", "date_from"}
