import pytest
from rest_framework.test import APIClient

from districts.models import ApiToken, Role
from tests.factories import PASSWORD, SchoolFactory, member

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def api():
    return APIClient()


def token_for(api, email):
    response = api.post(TOKEN_URL, {"email": email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_token_from_email_and_password_authenticates_district_routes(api, teacher_user):
    token = token_for(api, "Teacher@Alpha.example")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/d/alpha/me/")
    assert response.status_code == 200
    assert response.json()["grants"][0]["role"] == "teacher"


def test_wrong_password_gets_no_token(api, teacher_user):
    response = api.post(
        TOKEN_URL, {"email": "teacher@alpha.example", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "do not match" in response.json()["detail"]


def test_token_endpoint_is_throttled_after_repeated_failures(api, teacher_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        api.post(TOKEN_URL, {"email": "teacher@alpha.example", "password": "x"}, format="json")
    response = api.post(
        TOKEN_URL, {"email": "teacher@alpha.example", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token", "Token a b", "Bearer x"])
def test_malformed_or_unknown_token_is_401(api, teacher_user, header):
    api.credentials(HTTP_AUTHORIZATION=header)
    assert api.get("/api/v1/d/alpha/me/").status_code == 401


def test_revoked_token_is_401(api, teacher_user):
    token = token_for(api, "teacher@alpha.example")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.delete(TOKEN_URL).status_code == 204
    assert not ApiToken.objects.filter(token_key=token[:15]).exists()
    assert api.get("/api/v1/d/alpha/me/").status_code == 401


def test_anonymous_is_401_whatever_the_slug(api, district):
    assert api.get("/api/v1/d/alpha/me/").status_code == 401
    assert api.get("/api/v1/d/nowhere/me/").status_code == 401


def test_member_of_another_district_gets_404(api, teacher_user, other_district):
    api.force_authenticate(teacher_user)
    assert api.get("/api/v1/d/beta/me/").status_code == 404
    assert api.get("/api/v1/d/nowhere/me/").status_code == 404


def test_session_auth_works_for_the_api(client, teacher_user):
    client.force_login(teacher_user)
    assert client.get("/api/v1/d/alpha/me/").status_code == 200


def test_memberships_are_for_admins_and_paginated(api, district, admin_user, teacher_user):
    api.force_authenticate(teacher_user)
    assert api.get("/api/v1/d/alpha/memberships/").status_code == 403
    api.force_authenticate(admin_user)
    response = api.get("/api/v1/d/alpha/memberships/?page_size=1")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"]
    roles = {m["role"] for m in api.get("/api/v1/d/alpha/memberships/").json()["results"]}
    assert roles == {"district_admin", "teacher"}


def test_api_writes_are_refused_unless_a_view_allows_them(api, admin_user):
    api.force_authenticate(admin_user)
    response = api.post("/api/v1/d/alpha/memberships/", {"role": "teacher"}, format="json")
    assert response.status_code == 405


def test_schools_are_filtered_to_what_the_caller_may_see(api, district, school):
    SchoolFactory(district=district, name="Other School")
    principal = member(district, Role.PRINCIPAL, school=school)
    api.force_authenticate(principal)
    names = [s["name"] for s in api.get("/api/v1/d/alpha/schools/").json()["results"]]
    assert names == ["Alpha Elementary"]
    other = SchoolFactory(district=district)
    assert api.get(f"/api/v1/d/alpha/schools/{other.pk}/").status_code == 404


def test_openapi_schema_and_docs_load_no_external_asset(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/d/{district_slug}/me/" in schema.json()["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs
