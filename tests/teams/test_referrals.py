"""A referral reaches the school support team's agenda; its decision comes back."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from crsys.tenancy.context import district_context
from districts.models import Role
from teams import services
from teams.models import LayerKind, Referral, Team, TeamMember
from tests.factories import SchoolFactory, member
from tests.teams.conftest import actor_of, discuss_ada

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_team(district, school):
    with district_context(district):
        layer = services.layers_ensure(district_id=district.pk)[2]
        assert layer.kind == LayerKind.SCHOOL_SUPPORT_TEAM
        team = Team.objects.create(layer=layer, school=school, name="Aspen support team")
    lead = member(district, Role.SUPPORT_STAFF, school=school, email="sam@alpha.example")
    with district_context(district):
        TeamMember.objects.create(team=team, user=lead)
    return team, lead


def test_referral_goes_to_the_support_team_and_the_decision_flows_back(
    client, district, world, support_team
):
    team, lead = support_team
    tess = world["tess"]
    client.force_login(tess)
    response = client.post(
        f"/d/alpha/meetings/{world['meeting'].pk}/referrals/",
        {"student": world["ada"].pk, "context": "Reading 2 years behind"},
    )
    assert response.status_code == 302
    with district_context(district):
        support_meeting = services.meeting_create(
            actor=actor_of(lead, district), team=team, date=datetime.date(2026, 10, 8)
        )
    client.force_login(lead)
    page = client.get(f"/d/alpha/meetings/{support_meeting.pk}/").content.decode()
    assert "Reading 2 years behind" in page and world["ada"].display_name in page
    # The support team follows the students referred to it: it discusses and notes them.
    picker = f"/d/alpha/meetings/{support_meeting.pk}/students/"
    options = client.get(picker, {"q": world["ada"].given_name, "skip": "discussed"})
    assert f'data-value="{world["ada"].pk}"' in options.content.decode()
    client.post(
        f"/d/alpha/meetings/{support_meeting.pk}/discussions/", {"student": world["ada"].pk}
    )
    with district_context(district):
        assert support_meeting.discussions.filter(student=world["ada"]).exists()
    referral = Referral.objects.for_district(district).get()
    client.post(
        f"/d/alpha/meetings/{support_meeting.pk}/referrals/{referral.pk}/",
        {"decision": "Assess with the learning coach; tier 3 reading group"},
    )
    with district_context(district):
        next_meeting = services.meeting_create(
            actor=actor_of(tess, district), team=world["team"], date=datetime.date(2026, 11, 12)
        )
    client.force_login(tess)
    page = client.get(f"/d/alpha/meetings/{next_meeting.pk}/").content.decode()
    assert "Decisions on our referrals" in page and "tier 3 reading group" in page
    # The meeting that referred, and the student's profile, say what was decided too.
    made = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").content.decode()
    assert "Decided: Assess with the learning coach" in made
    profile = client.get(f"/d/alpha/students/{world['ada'].pk}/").content.decode()
    assert "Reading 2 years behind" in profile
    assert "<strong>Decided</strong>: Assess with the learning coach" in profile


def test_a_referral_to_a_team_of_another_school_is_refused(district, world, support_team):
    other = SchoolFactory(district=district)
    with district_context(district):
        layer = support_team[0].layer
        elsewhere = Team.objects.create(layer=layer, school=other, name="Other support")
        with pytest.raises(ValidationError, match="same school"):
            services.referral_create(
                actor=actor_of(world["tess"], district),
                meeting=world["meeting"],
                student=world["ada"],
                context="x",
                user=world["tess"],
                to_team=elsewhere,
            )
    assert not Referral.objects.for_district(district).exists()


def test_student_profile_shows_discussions_and_celebrations(client, district, school, world):
    tess = world["tess"]
    with district_context(district):
        d = discuss_ada(district, world)
        services.discussion_save(
            actor=actor_of(tess, district),
            discussion=d,
            field="notes",
            value="Loves graphic novels",
            version=1,
            user=tess,
        )
        services.celebration_add(
            actor=actor_of(tess, district),
            meeting=world["meeting"],
            student=world["ada"],
            text="Read a chapter aloud",
            user=tess,
        )
    client.force_login(tess)
    page = client.get(f"/d/alpha/students/{world['ada'].pk}/").content.decode()
    assert "Loves graphic novels" in page and "Read a chapter aloud" in page
