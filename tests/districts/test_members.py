"""District admins manage members on the members page (issue 14, item 17), through the same
services and rules as the API."""

import pytest
from rest_framework.test import APIClient

from districts.models import ApiToken, Membership, Role, User
from districts.tokens import api_token_issue
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, member

pytestmark = pytest.mark.django_db
MEMBERS = "/d/alpha/members/"


def page_of(client, query: str = "") -> str:
    response = client.get(MEMBERS + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def crowd(district, school, admin_user):
    """163 more members: teachers at two schools, some inactive, and one easy to find."""
    other = SchoolFactory(district=district, name="Birch Hill School", code="BH")
    for n in range(160):
        MembershipFactory(
            district=district,
            user=UserFactory(email=f"staff{n:03d}@alpha.example", full_name=f"Staff {n:03d}"),
            role=Role.TEACHER,
            school=school if n % 2 else other,
            is_active=n % 10 != 0,
        )
    ada = member(district, Role.PRINCIPAL, school=other, email="ada@alpha.example")
    ada.full_name = "Ada Lovelace"
    ada.save()
    member(district, Role.DISTRICT_LEADER, email="lee@alpha.example", full_name="Lee Leader")
    member(district, Role.SUPPORT_STAFF, school=school, email="sam@alpha.example")
    return other


def test_search_filter_and_paginate_163_members(client, admin_user, crowd, school):
    client.force_login(admin_user)
    body = page_of(client)
    assert "164 memberships" in body and "1–50 shown" in body and "Page 1 of 4" in body
    assert "Page 4 of 4" in page_of(client, "?page=4")
    # By part of a name, part of an address, case aside.
    body = page_of(client, "?q=lovelace")
    assert "1 membership." in body and "ada@alpha.example" in body
    assert "ada@alpha.example" in page_of(client, "?q=ADA@ALPHA")
    # By role, school and status, together; the page links keep the filters.
    assert "1 membership." in page_of(client, "?role=district_leader")
    body = page_of(client, f"?role=teacher&school={crowd.pk}&status=inactive")
    assert "16 memberships." in body  # staff 000, 010, … 150: even (Birch Hill), every 10th
    assert "Staff 020" in body and "Staff 021" not in body
    body = page_of(client, f"?school={school.pk}")
    assert "page=2" in body and f"school={school.pk}" in body


def test_filters_refuse_what_they_cannot_use(client, admin_user, other_district, crowd):
    elsewhere = SchoolFactory(district=other_district)
    client.force_login(admin_user)
    for query in (f"?school={elsewhere.pk}", "?school=x", "?role=king", "?page=zz"):
        response = client.get(MEMBERS + query)
        assert response.status_code == 200, query
    assert client.get(MEMBERS + "?q=%00").status_code == 400  # the input guard's answer
    assert "Select a valid choice" in page_of(client, f"?school={elsewhere.pk}")


def test_the_list_costs_the_same_queries_at_any_size(
    client, admin_user, crowd, django_assert_max_num_queries
):
    client.force_login(admin_user)
    # session, user and grants, RLS settings, the filter's schools, the count, the page;
    # on PostgreSQL the test adds a savepoint, its release and the settings' restore.
    with django_assert_max_num_queries(10):
        page_of(client, "?status=active")


def test_only_district_admins_manage_members(client, district, teacher_user, admin_user):
    membership = Membership.objects.for_district(district).get(user=admin_user)
    client.force_login(teacher_user)
    for url in (MEMBERS, f"{MEMBERS}{membership.pk}/"):
        assert client.get(url).status_code == 403
    for action in ("deactivate", "reactivate"):
        assert client.post(f"{MEMBERS}{membership.pk}/{action}/").status_code == 403
    assert Membership.objects.for_district(district).get(user=admin_user).is_active


def test_change_a_role_and_school(client, district, school, admin_user, teacher_user):
    other = SchoolFactory(district=district, name="Birch Hill School")
    membership = Membership.objects.for_district(district).get(user=teacher_user)
    client.force_login(admin_user)
    url = f"{MEMBERS}{membership.pk}/"
    assert "Save role and school" in client.get(url).content.decode()
    # A principal needs a school: the model's rule, shown on the field.
    response = client.post(url, {"role": "principal", "school": ""})
    assert response.status_code == 400
    assert "This role needs a school." in response.content.decode()
    response = client.post(url, {"role": "principal", "school": other.pk, "back": "q=te"})
    assert response.status_code == 302 and response["Location"] == f"{MEMBERS}?q=te"
    membership.refresh_from_db()
    assert (membership.role, membership.school) == (Role.PRINCIPAL, other)


def test_a_school_of_another_district_is_refused(
    client, district, other_district, admin_user, teacher_user
):
    elsewhere = SchoolFactory(district=other_district)
    membership = Membership.objects.for_district(district).get(user=teacher_user)
    client.force_login(admin_user)
    response = client.post(
        f"{MEMBERS}{membership.pk}/", {"role": "teacher", "school": elsewhere.pk}
    )
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.school.district_id == district.pk


def test_deactivating_ends_the_role_here_at_once_and_keeps_other_districts(
    client, district, other_district, admin_user, teacher_user, django_capture_on_commit_callbacks
):
    MembershipFactory(district=other_district, user=teacher_user, role=Role.TEACHER)
    token, _ = api_token_issue(user=teacher_user, client="script")
    membership = Membership.objects.for_district(district).get(user=teacher_user)
    theirs = type(client)()
    theirs.force_login(teacher_user)
    assert theirs.get("/d/alpha/").status_code == 200
    # when
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{MEMBERS}{membership.pk}/deactivate/")
    # then
    assert response.status_code == 302
    assert theirs.get("/d/alpha/").status_code == 404  # this district: gone with the next click
    assert theirs.get("/d/beta/").status_code == 200  # another district: still signed in
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert "Inactive" in page_of(client, "?status=inactive")


def test_deactivating_the_last_membership_signs_them_out_everywhere(
    client, district, admin_user, teacher_user, django_capture_on_commit_callbacks
):
    api_token_issue(user=teacher_user, client="script")
    membership = Membership.objects.for_district(district).get(user=teacher_user)
    theirs = type(client)()
    theirs.force_login(teacher_user)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{MEMBERS}{membership.pk}/deactivate/")
    response = theirs.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not ApiToken.objects.filter(user=teacher_user).exists()
    # Reactivated, they sign in again as before.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{MEMBERS}{membership.pk}/reactivate/").status_code == 302
    theirs.force_login(User.objects.get(pk=teacher_user.pk))
    assert theirs.get("/d/alpha/").status_code == 200


def test_the_last_admin_cannot_deactivate_or_demote_themselves(client, district, admin_user):
    mine = Membership.objects.for_district(district).get(user=admin_user)
    client.force_login(admin_user)
    response = client.post(f"{MEMBERS}{mine.pk}/deactivate/", follow=True)
    assert "must keep at least one active district admin" in response.content.decode()
    response = client.post(f"{MEMBERS}{mine.pk}/", {"role": "district_leader", "school": ""})
    assert response.status_code == 400
    assert "must keep at least one active district admin" in response.content.decode()
    mine.refresh_from_db()
    assert (mine.role, mine.is_active) == (Role.DISTRICT_ADMIN, True)


def test_with_another_admin_an_admin_may_step_down(client, district, admin_user):
    member(district, Role.DISTRICT_ADMIN, email="second@alpha.example")
    mine = Membership.objects.for_district(district).get(user=admin_user)
    client.force_login(admin_user)
    response = client.post(f"{MEMBERS}{mine.pk}/", {"role": "district_leader", "school": ""})
    # No longer an admin: back home, not to a page they may no longer open.
    assert response.status_code == 302 and response["Location"] == "/d/alpha/"
    assert client.get(MEMBERS).status_code == 403


# -- the API: the same services, the same rules ----------------------------------------------


@pytest.fixture
def api(admin_user):
    api = APIClient()
    api.force_authenticate(admin_user)
    return api


def test_api_changes_role_and_school_by_the_same_rules(api, district, school, teacher_user):
    membership = Membership.objects.for_district(district).get(user=teacher_user)
    url = f"/api/v1/d/alpha/memberships/{membership.pk}/"
    response = api.patch(url, {"role": "principal", "school": None}, format="json")
    assert response.status_code == 400 and "needs a school" in str(response.json())
    response = api.patch(url, {"role": "principal"}, format="json")
    assert response.status_code == 200 and response.json()["role"] == "principal"


def test_api_refuses_another_districts_school(api, district, other_district, teacher_user):
    membership = Membership.objects.for_district(district).get(user=teacher_user)
    elsewhere = SchoolFactory(district=other_district)
    url = f"/api/v1/d/alpha/memberships/{membership.pk}/"
    response = api.patch(url, {"school": elsewhere.pk}, format="json")
    assert response.status_code == 400 and "school" in response.json()


def test_api_keeps_the_last_admin_and_changes_nothing_on_refusal(api, district, admin_user):
    mine = Membership.objects.for_district(district).get(user=admin_user)
    url = f"/api/v1/d/alpha/memberships/{mine.pk}/"
    response = api.patch(url, {"is_active": False}, format="json")
    assert response.status_code == 400
    assert "must keep at least one active district admin" in str(response.json())
    mine.refresh_from_db()
    assert mine.is_active


def test_api_deactivation_signs_out_a_person_left_with_nothing(
    api, district, teacher_user, django_capture_on_commit_callbacks
):
    api_token_issue(user=teacher_user, client="script")
    membership = Membership.objects.for_district(district).get(user=teacher_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(
            f"/api/v1/d/alpha/memberships/{membership.pk}/", {"is_active": False}, format="json"
        )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert not ApiToken.objects.filter(user=teacher_user).exists()
    assert User.objects.get(pk=teacher_user.pk).session_version == 1


def test_teachers_cannot_patch_memberships(district, teacher_user, admin_user):
    api = APIClient()
    api.force_authenticate(teacher_user)
    mine = Membership.objects.for_district(district).get(user=admin_user)
    response = api.patch(f"/api/v1/d/alpha/memberships/{mine.pk}/", {"is_active": False})
    assert response.status_code == 403
