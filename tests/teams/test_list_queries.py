"""Team pages and team API lists cost the same number of statements however many teams,
members and meetings there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from districts.models import Role
from teams.models import Celebration, Meeting, Team, TeamMember
from tests.factories import member

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _grow(district, school, team, n):
    with district_context(district):
        layer = team.layer
        for i in range(n):
            other = Team.objects.create(layer=layer, school=school, name=f"Team {i}")
            user = member(district, Role.TEACHER, school=school)
            TeamMember.objects.create(team=team, user=user, strengths="Reading")
            TeamMember.objects.create(team=other, user=user)
            meeting = Meeting.objects.create(team=team, date=datetime.date(2026, 1, 1 + i))
            Celebration.objects.create(meeting=meeting, text="Joy")


def test_team_pages_and_lists_do_not_grow(client, district, school, world):
    principal = member(district, Role.PRINCIPAL, school=school)
    team = world["team"]
    api = APIClient()
    api.force_authenticate(principal)
    client.force_login(principal)
    urls = ["/d/alpha/teams/", f"/d/alpha/teams/{team.pk}/"]
    api_urls = [
        "/api/v1/d/alpha/teams/",
        "/api/v1/d/alpha/meetings/",
        "/api/v1/d/alpha/team-layers/",
    ]
    _grow(district, school, team, 2)
    before = [_count(client, u) for u in urls] + [_count(api, u) for u in api_urls]
    _grow(district, school, team, 8)
    after = [_count(client, u) for u in urls] + [_count(api, u) for u in api_urls]
    assert after == before
