"""The alerts that keep every child's team honest, where each audience sees them: the
school's coverage page (its principal) and the next meeting of the student's team, which
opens with them (issue 10 item 6; the home page is in test_plans.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from continuum import services
from continuum.alerts import unsupported_students
from crsys.tenancy.context import district_context
from screeners.models import BenchmarkBand, Screener, ScreeningWindow, StudentBandSnapshot
from teams.models import LayerKind, Meeting, Team, TeamLayer, TeamMember
from tests.continuum.test_plans import _lowest_band
from tests.teams.conftest import actor_of

HEADING = "Supports to check"
UNSUPPORTED = "In the lowest band, with no support in that area"


def _alerts_part(page: str) -> str:
    """The supports-to-check section of a page (empty when it has none)."""
    start = page.find('id="supports')
    if start < 0:
        return ""
    return page[start : page.index("</section>", start)]


def _meeting(scene, pupils, *, closed=False):
    with district_context(scene["district"]):
        layer = TeamLayer.objects.get(kind=LayerKind.COLLABORATIVE_TEAM_MEETING)
        team = Team.objects.create(layer=layer, school=scene["aspen"], name="Grade 3")
        TeamMember.objects.create(team=team, user=scene["teacher"])
        return Meeting.objects.create(
            team=team, date=pupils["today"], closed_at=timezone.now() if closed else None
        )


def test_the_coverage_page_lists_the_schools_unsupported_students_until_a_plan_answers(
    client, scene, pupils
):
    district = scene["district"]
    with district_context(district):
        _lowest_band(district, scene["aspen"], [pupils["mine"]])
    url = f"/d/alpha/schools/{scene['aspen'].pk}/teams/"
    client.force_login(scene["principal"])
    page = client.get(url).content.decode()
    part = page[page.index(HEADING) : page.index('id="grades-heading"')]
    assert UNSUPPORTED in part and pupils["mine"].display_name in part
    with district_context(district):
        services.plan_create(
            actor=actor_of(scene["teacher"], district), student=pupils["mine"],
            support=scene["aspen_own"], goal="Read more",
            start_date=pupils["today"] - datetime.timedelta(weeks=3),
        )  # fmt: skip
    page = client.get(url).content.decode()
    part = page[page.index(HEADING) : page.index('id="grades-heading"')]
    assert UNSUPPORTED not in part
    # The literacy plan answers the need; three weeks without a score makes it quiet.
    assert "Plans with no score in two monitoring periods" in part
    assert pupils["mine"].display_name in part


def test_another_schools_coverage_page_does_not_list_these_students(client, scene, pupils):
    district = scene["district"]
    with district_context(district):
        _lowest_band(district, scene["aspen"], [pupils["mine"]])
    client.force_login(scene["birch_principal"])
    page = client.get(f"/d/alpha/schools/{scene['birch'].pk}/teams/").content.decode()
    assert HEADING in page and pupils["mine"].family_name not in page


def test_an_open_meeting_opens_with_the_supports_to_check_for_its_teams_students(
    client, scene, pupils
):
    district = scene["district"]
    with district_context(district):
        _lowest_band(district, scene["aspen"], [pupils["mine"]])
    meeting = _meeting(scene, pupils)
    url = f"/d/alpha/meetings/{meeting.pk}/"
    client.force_login(scene["teacher"])
    page = client.get(url).content.decode()
    # The page loads the section after itself (its own queries stay as they were)...
    assert f'hx-get="{url}supports-to-check/"' in page
    assert page.index('id="supports"') < page.index('id="key-issues"')  # the agenda opens with it
    loaded = client.get(url + "supports-to-check/")
    assert loaded.status_code == 200
    part = loaded.content.decode()
    assert UNSUPPORTED in part and pupils["mine"].display_name in part
    # ...or with it, asked for in the address (no script).
    inline = _alerts_part(client.get(url + "?supports=1").content.decode())
    assert pupils["mine"].display_name in inline


def test_a_closed_meeting_does_not_open_with_them_and_outsiders_cannot_load_them(
    client, scene, pupils
):
    meeting = _meeting(scene, pupils, closed=True)
    client.force_login(scene["teacher"])
    page = client.get(f"/d/alpha/meetings/{meeting.pk}/").content.decode()
    assert HEADING not in page
    open_one = _meeting(scene, pupils)
    client.force_login(scene["birch_principal"])
    assert client.get(f"/d/alpha/meetings/{open_one.pk}/supports-to-check/").status_code == 404


def test_a_student_in_the_lowest_band_of_two_screeners_is_listed_once_with_both(
    client, scene, pupils
):
    district = scene["district"]
    with district_context(district):
        _lowest_band(district, scene["aspen"], [pupils["mine"]])
        window = ScreeningWindow.objects.get()
        maths = Screener.objects.create(
            name="Maths check", focus_area=scene["areas"]["numeracy"], grades=["03"]
        )
        band = BenchmarkBand.objects.create(
            screener=maths, grade="03", season="fall", name="Intensive", label="Intensive",
            colour="#c62828", min_score=0, max_score=100, rank=0,
        )  # fmt: skip
        StudentBandSnapshot.objects.create(
            window=window, screener=maths, student=pupils["mine"], school=scene["aspen"],
            grade="03", score=5, band=band, band_rank=0, meets_benchmark=False, movement="new",
        )  # fmt: skip
        found, total = unsupported_students(actor=actor_of(scene["principal"], district))
    assert total == 1
    assert [(u.name, u.screeners) for u in found] == [
        (pupils["mine"].display_name, ["Maths check", "Reading check"])
    ]
