import re

import pytest
from django.core import mail

from districts.models import District, Role, User
from tests.factories import DistrictFactory, MembershipFactory, SchoolFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in_whatever_the_slug(client, district):
    for slug in ("alpha", "no-such-district"):
        response = client.get(f"/d/{slug}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_unknown_slug_and_no_membership_look_the_same(client, teacher_user, other_district):
    client.force_login(teacher_user)
    unknown = client.get("/d/no-such-district/")
    not_mine = client.get("/d/beta/")
    assert unknown.status_code == not_mine.status_code == 404
    # The pages differ only in their per-response CSRF token.
    token = re.compile(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+"')
    assert token.sub(b"", unknown.content) == token.sub(b"", not_mine.content)


def test_inactive_membership_is_no_membership(client, district, school):
    user = UserFactory()
    MembershipFactory(
        district=district, user=user, role=Role.TEACHER, school=school, is_active=False
    )
    client.force_login(user)
    assert client.get("/d/alpha/").status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_district_home_page_for_every_role(client, district, school, role):
    user = member(district, role, school=None if role.startswith("district") else school)
    client.force_login(user)
    response = client.get("/d/alpha/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alpha School District" in body
    assert role.label in body
    assert ("/d/alpha/members/" in body) == (role == Role.DISTRICT_ADMIN)


def test_teacher_sees_their_school_not_others(client, district, teacher_user, school):
    SchoolFactory(district=district, name="Elsewhere Middle")
    client.force_login(teacher_user)
    body = client.get("/d/alpha/").content.decode()
    assert "Alpha Elementary" in body and "Elsewhere Middle" not in body


def test_members_page_is_for_district_admins(client, district, admin_user, teacher_user):
    client.force_login(teacher_user)
    assert client.get("/d/alpha/members/").status_code == 403
    client.force_login(admin_user)
    response = client.get("/d/alpha/members/")
    assert response.status_code == 200
    assert "teacher@alpha.example" in response.content.decode()


def test_members_page_query_count(client, district, admin_user, django_assert_max_num_queries):
    school = SchoolFactory(district=district)
    for _ in range(20):
        member(district, Role.TEACHER, school=school)
    client.force_login(admin_user)
    # session, user, district, grants, RLS settings, switcher, the list; on PostgreSQL a test
    # adds a savepoint, its release and the settings' restore (production: one transaction).
    with django_assert_max_num_queries(10):
        assert client.get("/d/alpha/members/").status_code == 200


def test_invite_emails_a_password_link(
    client, district, admin_user, school, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="new@alpha.example", password=None)
    invitee.set_unusable_password()
    invitee.save()
    membership = MembershipFactory(
        district=district, user=invitee, role=Role.TEACHER, school=school
    )
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/d/alpha/members/{membership.pk}/invite/")
    assert response.status_code == 302
    assert mail.outbox[0].to == ["new@alpha.example"]
    assert "/accounts/password/reset/" in mail.outbox[0].body
    invitee.refresh_from_db()
    assert invitee.invited_at is not None


def test_district_switcher_lists_the_users_other_districts(client, district, admin_user):
    beta, _gamma = DistrictFactory(slug="beta", name="Beta SD"), DistrictFactory(name="Gamma SD")
    MembershipFactory(district=beta, user=admin_user, role=Role.DISTRICT_LEADER)
    client.force_login(admin_user)
    body = client.get("/d/alpha/").content.decode()
    assert "Switch district" in body and "/d/beta/" in body
    assert "Gamma SD" not in body
    assert client.get("/").status_code == 200  # two districts: a chooser, not a redirect


def test_pages_use_local_htmx_with_the_csrf_header(client, teacher_user):
    client.force_login(teacher_user)
    body = client.get("/d/alpha/").content.decode()
    assert "django_htmx/htmx.min.js" in body or "htmx" in body
    assert 'hx-headers=\'{"X-CSRFToken"' in body
    assert "https://" not in body.split("<body")[0]


def test_platform_operator_creates_a_district_in_admin(client):

    operator = User.objects.create_superuser("ops@platform.example", "ops-pass-123456")
    client.force_login(operator)
    response = client.post(
        "/admin/districts/district/add/",
        {
            "name": "Gamma School District",
            "slug": "gamma",
            "time_zone": "America/Toronto",
            "school_year_start_month": 9,
            "admin_email": "first@gamma.example",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert District.objects.get(slug="gamma").time_zone == "America/Toronto"
