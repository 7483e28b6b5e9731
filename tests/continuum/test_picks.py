"""A key issue's "strategies already tried" and "brainstorm" pick from the continuum, free
text still allowed (issue 10 item 4): the options a meeting offers, and the plan a pick
leads to."""

from __future__ import annotations

import pytest

from continuum import services
from crsys.tenancy.context import district_context
from teams.models import Discussion, LayerKind, Meeting, Team, TeamLayer, TeamMember
from tests.teams.conftest import actor_of

pytestmark = pytest.mark.django_db


def _meeting(scene, pupils, school_key="aspen"):
    with district_context(scene["district"]):
        layer = TeamLayer.objects.get(kind=LayerKind.COLLABORATIVE_TEAM_MEETING)
        team = Team.objects.create(layer=layer, school=scene[school_key], name="Grade 3")
        TeamMember.objects.create(team=team, user=scene["teacher"])
        return Meeting.objects.create(team=team, date=pupils["today"])


def test_a_meeting_offers_its_schools_and_the_divisional_supports_not_archived(
    client, scene, pupils
):
    with district_context(scene["district"]):
        archived = services.support_create(
            actor=actor_of(scene["principal"], scene["district"]), school_id=scene["aspen"].pk,
            name="Old phonics kit", focus_area=scene["areas"]["literacy"], tier=scene["tiers"][2],
        )  # fmt: skip
        services.support_archive(
            actor=actor_of(scene["principal"], scene["district"]), support=archived
        )
    meeting = _meeting(scene, pupils)
    client.force_login(scene["teacher"])
    url = f"/d/alpha/meetings/{meeting.pk}/"
    page = client.get(url).content.decode()
    assert f'<datalist id="continuum-supports" data-src="{url}continuum-supports/">' in page
    options = client.get(url + "continuum-supports/").content.decode()
    assert '<option value="Aspen reading buddies">Literacy · Tier 2</option>' in options
    assert '<option value="Check-in / check-out">' in options  # the divisional continuum
    assert "Birch math club" not in options and "Old phonics kit" not in options


def test_each_strategy_note_of_an_open_discussion_has_a_pick_beside_it(client, scene, pupils):
    meeting = _meeting(scene, pupils)
    with district_context(scene["district"]):
        discussion = Discussion.objects.create(meeting=meeting, student=pupils["mine"])
    client.force_login(scene["teacher"])
    page = client.get(f"/d/alpha/meetings/{meeting.pk}/").content.decode()
    for field in ("strategies", "supports"):
        assert (
            f'<input id="{field}-{discussion.pk}-pick" list="continuum-supports" '
            f'data-append-to="{field}-{discussion.pk}"'
        ) in page
    assert f'id="others-{discussion.pk}-pick"' not in page


def test_planning_from_a_key_issue_starts_with_the_support_its_brainstorm_picked(
    client, scene, pupils
):
    meeting = _meeting(scene, pupils)
    with district_context(scene["district"]):
        discussion = Discussion.objects.create(
            meeting=meeting, student=pupils["mine"], decision="add_support",
            supports="Talk with the family first\nAspen reading buddies\nCheck-in / check-out",
        )  # fmt: skip
    client.force_login(scene["teacher"])
    page = client.get(
        f"/d/alpha/continuum/plans/new/?student={pupils['mine'].pk}&discussion={discussion.pk}"
    ).content.decode()
    assert f'<option value="{scene["aspen_own"].pk}" selected>' in page
