import pytest
from rest_framework.test import APIClient

from districts.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_meeting_recorded_through_the_api_with_conflicts_as_409(api, district, world):
    tess, teo = world["tess"], world["teo"]
    meeting = world["meeting"]
    api.force_authenticate(tess)
    created = api.post(
        f"/api/v1/d/alpha/meetings/{meeting.pk}/discussions/",
        {"student": world["ada"].pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/d/alpha/meetings/{meeting.pk}/discussions/{created.json()['id']}/"
    first = api.patch(url, {"field": "notes", "value": "Tess's words", "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["notes_version"] == 2
    api.force_authenticate(teo)
    second = api.patch(url, {"field": "notes", "value": "Teo's words", "version": 1}, format="json")
    assert second.status_code == 409
    assert second.json()["notes"] == "Tess's words"
    assert second.json()["conflict"]["your_text"] == "Teo's words"


def test_sensitive_notes_are_null_for_those_who_may_not_read_them(api, district, school, world):
    tess, teo = world["tess"], world["teo"]
    meeting = world["meeting"]
    api.force_authenticate(tess)
    d = api.post(
        f"/api/v1/d/alpha/meetings/{meeting.pk}/discussions/",
        {"student": world["ada"].pk},
        format="json",
    ).json()
    url = f"/api/v1/d/alpha/meetings/{meeting.pk}/discussions/{d['id']}/"
    api.patch(url, {"field": "notes", "value": "private", "version": 1}, format="json")
    api.patch(url, {"field": "sensitive", "value": "true"}, format="json")
    api.force_authenticate(teo)
    body = api.get(f"/api/v1/d/alpha/meetings/{meeting.pk}/").json()
    assert body["discussions"][0]["sensitive"] is True
    assert body["discussions"][0]["notes"] is None
    assert (
        api.patch(url, {"field": "notes", "value": "x", "version": 2}, format="json").status_code
        == 403
    )
    api.force_authenticate(member(district, Role.PRINCIPAL, school=school))
    assert (
        api.get(f"/api/v1/d/alpha/meetings/{meeting.pk}/").json()["discussions"][0]["notes"]
        == "private"
    )


def test_commitments_owner_checks_and_mine(api, district, world):
    tess = world["tess"]
    api.force_authenticate(tess)
    bad = api.post(
        "/api/v1/d/alpha/commitments/",
        {
            "meeting": world["meeting"].pk,
            "owner": world["outsider"].pk,
            "text": "x",
            "due_date": "2026-10-20",
        },
        format="json",
    )
    assert bad.status_code == 400 and "owner" in bad.json()
    good = api.post(
        "/api/v1/d/alpha/commitments/",
        {
            "meeting": world["meeting"].pk,
            "owner": tess.pk,
            "text": "call home",
            "due_date": "2026-10-20",
        },
        format="json",
    )
    assert good.status_code == 201, good.content
    mine = api.get("/api/v1/d/alpha/commitments/?mine=true").json()["results"]
    assert [c["text"] for c in mine] == ["call home"]


def test_non_members_cannot_start_or_see_a_teams_meetings(api, district, world):
    api.force_authenticate(world["outsider"])
    response = api.post(
        "/api/v1/d/alpha/meetings/", {"team": world["team"].pk, "date": "2026-12-01"}, format="json"
    )
    assert response.status_code == 404
    assert api.get(f"/api/v1/d/alpha/meetings/{world['meeting'].pk}/").status_code == 404
