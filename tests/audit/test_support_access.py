"""Platform staff have no standing access to a district's data (issue 12 item 5): without a
grant they see nothing (pages, API, /admin/ tenant lists); with a district admin's grant they
only read, for at most 24 hours, every request in the district's log; after it, nothing."""

import datetime

import pytest

from crsys.audit.models import Action, AuditEvent, SupportGrant
from crsys.tenancy.context import district_context
from districts.models import User
from tests.factories import StudentFactory, api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("ops@platform.example", "ops-pass-123456")


@pytest.fixture
def student(district, school):
    return StudentFactory(district=district, school=school, given_name="Zorvath")


def reads(client, student, token):
    """What staff can reach of district alpha: {where: status}."""
    api = {"HTTP_AUTHORIZATION": f"Token {token}"}
    return {
        "home": client.get("/d/alpha/").status_code,
        "student": client.get(f"/d/alpha/students/{student.pk}/").status_code,
        "api": client.get(f"/api/v1/d/alpha/students/{student.pk}/", **api).status_code,
        "admin memberships": client.get("/admin/districts/membership/").status_code,
        "admin schools": client.get("/admin/schools/school/").status_code,
    }


def grant(client, admin_user, staff, hours=2):
    client.force_login(admin_user)
    return client.post(
        "/d/alpha/support-access/",
        {"staff_email": staff.email, "hours": hours, "reason": "Ticket 4411: import stuck"},
    )


def test_staff_without_a_grant_see_nothing(client, staff, student):
    client.force_login(staff)
    token = api_token(staff)
    assert reads(client, student, token) == {
        "home": 404, "student": 404, "api": 404, "admin memberships": 403, "admin schools": 403,
    }  # fmt: skip
    index = client.get("/admin/").content.decode()
    assert "Memberships" not in index and "Schools" not in index


def test_a_grant_lets_staff_read_only_and_every_request_is_shown_to_the_district(
    client, district, admin_user, staff, student
):
    # given a district admin's grant of two hours
    assert grant(client, admin_user, staff).status_code == 302
    # when the staff member reads, then tries to write
    client.force_login(staff)
    token = api_token(staff)
    api = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert reads(client, student, token) == {
        "home": 200, "student": 200, "api": 200, "admin memberships": 200, "admin schools": 200,
    }  # fmt: skip
    assert "Zorvath" in client.get(f"/d/alpha/students/{student.pk}/").content.decode()
    refused = [
        client.post("/d/alpha/support-access/", {"staff_email": staff.email, "hours": 24}),
        client.patch(
            f"/api/v1/d/alpha/students/{student.pk}/", {"given_name": "X"},
            content_type="application/json", **api,
        ),
        client.post("/admin/schools/school/add/", {"district": district.pk, "name": "S"}),
    ]  # fmt: skip
    # then writes are refused and nothing changed
    assert [r.status_code for r in refused] == [403, 403, 403]
    with district_context(district):
        student.refresh_from_db()
        assert student.given_name == "Zorvath"
        done = list(AuditEvent.objects.exclude(support_grant_id=None).order_by("id"))
    actions = [e.action for e in done]
    assert actions.count(Action.VIEW) >= 5 and actions.count(Action.REFUSED) == 2
    assert actions[0] == Action.SUPPORT_GRANT
    # and the district's admin sees it all on the support page
    client.force_login(admin_user)
    page = client.get("/d/alpha/support-access/").content.decode()
    assert staff.email in page and f"/d/alpha/students/{student.pk}/" in page
    assert "Refused" in page


def test_after_expiry_or_revocation_nothing(client, district, admin_user, staff, student):
    grant(client, admin_user, staff)
    with district_context(district):
        live = SupportGrant.objects.get()
    client.post(f"/d/alpha/support-access/{live.pk}/end/")
    client.force_login(staff)
    token = api_token(staff)
    assert set(reads(client, student, token).values()) <= {403, 404}
    # an expired one too
    now = datetime.datetime.now(datetime.UTC)
    SupportGrant.objects.create(
        district=district, staff_user=staff, reason="old", starts_at=now - datetime.timedelta(
            hours=25), expires_at=now - datetime.timedelta(hours=1),
    )  # fmt: skip
    assert set(reads(client, student, token).values()) <= {403, 404}


def test_a_grant_is_at_most_24_hours_and_only_for_platform_staff(
    client, district, admin_user, staff, teacher_user
):
    assert grant(client, admin_user, staff, hours=25).status_code == 400
    assert grant(client, admin_user, teacher_user, hours=2).status_code == 400
    assert not SupportGrant.objects.for_district(district).exists()


def test_only_a_district_admin_grants(client, district, teacher_user, staff):
    client.force_login(teacher_user)
    answer = client.post(
        "/d/alpha/support-access/", {"staff_email": staff.email, "hours": 1, "reason": "x"}
    )
    assert answer.status_code == 403
    assert not SupportGrant.objects.for_district(district).exists()
