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
    assert response.status_code in (403, 404)
    assert not Team.objects.for_district(district).exists()
