"""What leaves an audit event: reads of student records (pages and API, once per request),
bulk writes through the triggers, sign-ins and permission changes."""

import pytest

from crsys.audit.models import Action, AuditEvent
from crsys.tenancy.context import district_context
from districts import services as district_services
from districts.models import Membership, Role
from districts.selectors import current_actor
from teams.models import Discussion, Meeting, Team, TeamLayer
from tests.audit.conftest import postgres_only
from tests.factories import StudentFactory, api_token, member
from tests.mfa import sign_in
from tests.schools.bundles import bundle
from tests.schools.test_roster_import import run

pytestmark = pytest.mark.django_db


def events_of(district, **filters):
    return list(AuditEvent.objects.for_district(district).filter(**filters).order_by("id"))


@pytest.fixture
def student(district, school):
    return StudentFactory(district=district, school=school, given_name="Vera")


def test_viewing_a_student_page_leaves_one_event(client, district, admin_user, student, settings):
    # given a client behind one trusted proxy, which appends the address it saw
    settings.NUM_PROXIES = 1
    client.force_login(admin_user)
    # when
    response = client.get(
        f"/d/alpha/students/{student.pk}/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
        REMOTE_ADDR="10.0.0.1",
    )  # fmt: skip
    # then
    assert response.status_code == 200
    (event,) = events_of(district, action=Action.VIEW, student_id=student.pk)
    assert (event.actor_id, event.actor_email) == (admin_user.pk, admin_user.email)
    assert event.object_type == "student" and event.object_id == str(student.pk)
    assert event.path == f"/d/alpha/students/{student.pk}/"
    assert event.client_address == "203.0.113.7"


def test_a_forged_forwarded_for_without_trusted_proxies_is_ignored(
    client, district, admin_user, student, settings
):
    settings.NUM_PROXIES = 0
    client.force_login(admin_user)
    client.get(f"/d/alpha/students/{student.pk}/", HTTP_X_FORWARDED_FOR="1.2.3.4")
    (event,) = events_of(district, action=Action.VIEW, student_id=student.pk)
    assert event.client_address == "127.0.0.1"


def test_the_api_student_record_and_a_refused_read(client, district, admin_user, student):
    token = api_token(admin_user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get(f"/api/v1/d/alpha/students/{student.pk}/", **auth).status_code == 200
    assert client.get("/api/v1/d/alpha/students/999999/", **auth).status_code == 404
    (event,) = events_of(district, action=Action.VIEW)
    assert event.student_id == student.pk and event.detail["route"] == "api:student-detail"


def test_a_meeting_discussion_names_its_student(client, district, school, admin_user, student):
    with district_context(district):
        layer = TeamLayer.objects.get(kind="ctm")
        team = Team.objects.create(layer=layer, school=school, name="Grade 3")
        meeting = Meeting.objects.create(team=team, date=district.today())
        discussion = Discussion.objects.create(meeting=meeting, student=student, notes="x")
    client.force_login(admin_user)
    url = f"/d/alpha/meetings/{meeting.pk}/discussions/{discussion.pk}/editor/"
    assert client.get(url).status_code == 200
    (event,) = events_of(district, object_type="discussion", action=Action.VIEW)
    assert event.student_id == student.pk


def test_an_export_is_recorded_as_one(client, district, admin_user):
    client.force_login(admin_user)
    assert client.get("/d/alpha/audit/events.csv").status_code == 200
    assert [e.object_type for e in events_of(district, action=Action.EXPORT)] == ["events_csv"]


@postgres_only
def test_a_roster_imports_bulk_insert_leaves_an_event_per_row(district, admin_user):
    # when the import writes its rows with COPY and INSERT … SELECT
    committed = run(district, bundle(), user=admin_user)
    # then every student row has its event
    assert committed.status == "committed"
    created = events_of(district, action=Action.CREATE, object_type="student")
    assert len(created) == 3
    assert all(e.student_id and e.object_id == str(e.student_id) for e in created)
    assert len(events_of(district, action=Action.CREATE, object_type="enrolment")) == 3


@postgres_only
def test_a_change_names_its_columns_and_its_actor(district, admin_user, student):
    with district_context(district, user=admin_user):
        student.given_name = "Vero"
        student.save(update_fields=["given_name", "updated_at"])
    (event,) = events_of(district, action=Action.UPDATE, object_type="student")
    assert event.detail == {"columns": ["given_name"]}
    assert (event.actor_id, event.actor_email) == (admin_user.pk, admin_user.email)


@postgres_only
def test_a_membership_role_change_is_a_permission_change(district, school, admin_user):
    teacher = member(district, Role.TEACHER, school=school, email="t@alpha.example")
    with district_context(district, user=admin_user):
        membership = Membership.objects.get(user=teacher)
        district_services.membership_update(
            district=district, actor=current_actor(user=admin_user, district=district),
            membership=membership, role=Role.PRINCIPAL, school=school,
        )  # fmt: skip
    changes = events_of(district, action=Action.PERMISSION_CHANGE, actor_id=admin_user.pk)
    assert [(e.object_id, e.detail) for e in changes] == [
        (str(membership.pk), {"columns": ["role"]})
    ]


def test_sign_in_and_a_failed_sign_in(client, district, admin_user):
    client.post("/accounts/login/", {"username": admin_user.email, "password": "wrong"})
    sign_in(client, admin_user.email)  # both steps: a session only after the second
    actions = [e.action for e in events_of(district, actor_id=admin_user.pk)]
    assert actions == [Action.SIGN_IN_FAILED, Action.SIGN_IN]
