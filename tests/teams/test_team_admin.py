"""Principals form their school's teams and choose members, roles and strengths."""

import pytest

from crsys.tenancy.context import district_context
from districts.models import Role
from teams import services
from teams.models import Team, TeamMember
from tests.factories import SchoolFactory, member

pytestmark = pytest.mark.django_db


def test_principal_creates_a_team_and_adds_members(client, district, school):
    principal = member(district, Role.PRINCIPAL, school=school)
    tess = member(district, Role.TEACHER, school=school, full_name="Tess Teacher")
    elsewhere = member(district, Role.TEACHER, school=SchoolFactory(district=district))
    with district_context(district):
        layer = services.layers_ensure(district_id=district.pk)[1]
    client.force_login(principal)
    response = client.post(
        f"/d/alpha/schools/{school.pk}/teams/new/",
        {"name": "Grade 4 team", "layer": layer.pk, "cycle_weeks": "6"},
    )
    team = Team.objects.for_district(district).get(name="Grade 4 team")
    assert response["Location"].endswith(f"/teams/{team.pk}/")
    client.post(
        f"/d/alpha/teams/{team.pk}/",
        {
            "action": "member",
            "user": tess.pk,
            "meeting_role": "recorder",
            "strengths": "Visual math",
        },
    )
    client.post(
        f"/d/alpha/teams/{team.pk}/",
        {"action": "member", "user": elsewhere.pk, "meeting_role": "member"},
    )
    members = {
        (m.user_id, m.meeting_role, m.strengths)
        for m in TeamMember.objects.for_district(district).filter(team=team)
    }
    assert members == {(tess.pk, "recorder", "Visual math")}  # not staff of another school
    page = client.get(f"/d/alpha/teams/{team.pk}/").content.decode()
    assert "Tess Teacher — Recorder" in page and "Visual math" in page


def test_teachers_cannot_form_teams(client, district, school, teacher_user):
    with district_context(district):
        layer = services.layers_ensure(district_id=district.pk)[1]
    client.force_login(teacher_user)
    response = client.post(
        f"/d/alpha/schools/{school.pk}/teams/new/", {"name": "Mine", "layer": layer.pk}
    )
    assert response.status_code == 403  # sees the school, may not form its teams
    assert not Team.objects.for_district(district).exists()


def test_the_district_admin_forms_a_district_team_of_staff_from_any_school(
    client, district, school, other_district
):
    admin = member(district, Role.DISTRICT_ADMIN, email="boss@alpha.example")
    principal = member(district, Role.PRINCIPAL, school=school, full_name="Pat Principal")
    leader = member(district, Role.DISTRICT_LEADER, full_name="Lee Leader")
    with district_context(district):
        layers = {x.kind: x for x in services.layers_ensure(district_id=district.pk)}
    with district_context(other_district):
        foreign = services.layers_ensure(district_id=other_district.pk)[3]
    client.force_login(principal)
    assert "A district-level team" not in client.get("/d/alpha/teams/").content.decode()
    assert client.post("/d/alpha/teams/", {"name": "Mine"}).status_code == 403
    client.force_login(admin)
    assert client.post("/d/alpha/teams/", {"name": "X", "layer": foreign.pk}).status_code == 404
    refused = client.post(
        "/d/alpha/teams/", {"name": " ", "layer": layers["district"].pk}, follow=True
    )
    assert "a team needs a name" in refused.content.decode()
    response = client.post(
        "/d/alpha/teams/",
        {"name": "District learning team", "layer": layers["district"].pk, "cycle_weeks": "4"},
    )
    team = Team.objects.for_district(district).get(name="District learning team")
    assert team.school_id is None and response["Location"].endswith(f"/teams/{team.pk}/")
    for user in (principal, leader):
        client.post(f"/d/alpha/teams/{team.pk}/", {"action": "member", "user": user.pk})
    assert set(
        TeamMember.objects.for_district(district)
        .filter(team=team)
        .values_list("user_id", flat=True)
    ) == {principal.pk, leader.pk}
    assert "District learning team" in client.get("/d/alpha/teams/").content.decode()
