"""The continuum tried as its people would (issue 10, "done when"): a teacher turns a key
issue into a Tier 2 plan picked from the continuum, enters four scores and reads the chart;
a principal finds the school's continuum, the students in the lowest band with no support,
and prints the poster."""

import datetime
import re

import pytest

from continuum.models import SupportPlan
from crsys.tenancy.context import district_context
from districts.models import District
from tests.browser.test_team_meeting import add_a_student, sign_in, start_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PICKED = "Guided reading group"  # a Tier 2 literacy support of the demo continuum


def _autosaved(page, action):
    """Does ``action`` and waits for the autosave it starts to be answered."""
    with page.expect_response(
        lambda r: "/discussions/" in r.url and r.request.method == "POST", timeout=15000
    ) as saved:
        action()
    assert saved.value.status == 200


def test_a_teacher_turns_a_key_issue_into_a_tier_2_plan_and_charts_four_scores(
    live_server, browser, demo_district
):
    page = browser.new_context().new_page()
    sign_in(page, live_server, "teacher@demo.example")
    start_meeting(page)
    add_a_student(page)
    # The meeting opens with the supports to check (loaded after the page).
    page.locator("section#supports").wait_for()
    # The brainstorm picks from the continuum: the pick becomes a line of the note, saved.
    brainstorm = page.get_by_label("Brainstorm: supports to try (mostly in class)").first
    _autosaved(page, lambda: (brainstorm.fill("Ask the family"), brainstorm.blur()))
    pick = page.get_by_label("Add a support from the continuum").nth(1)
    pick.focus()  # fills the list of the continuum's supports
    page.locator(f'#continuum-supports option[value="{PICKED}"]').wait_for(state="attached")
    pick.fill(PICKED)
    _autosaved(page, lambda: pick.press("Enter"))
    assert brainstorm.input_value() == f"Ask the family\n{PICKED}"

    # The decision, then the plan the key issue leads to, starting with the picked support.
    _autosaved(page, lambda: page.get_by_label("Decision").first.select_option("add_support"))
    discussion_id = page.locator("details.discussion").first.get_attribute("id")
    page.goto(page.url.split("#")[0] + f"?open={discussion_id.split('-')[1]}")
    page.locator("section#supports").wait_for()
    page.get_by_role("link", name="Plan a support from the continuum").click()
    support = page.get_by_label("Support")
    assert PICKED in support.locator("option:checked").inner_text()
    assert "Tier 2" in support.locator("option:checked").inner_text()
    start = datetime.date.today() - datetime.timedelta(weeks=4)
    page.get_by_label("Goal").fill("Read 60 words a minute by the end of the block")
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("Baseline").fill("30")
    page.get_by_label("Aim").fill("60")
    page.get_by_role("button", name=re.compile("plan", re.I)).last.click()
    page.get_by_role("heading", name=PICKED).wait_for()

    # Four scores, a week apart, entered from the keyboard.
    for week, score in enumerate([31, 36, 40, 46]):
        page.get_by_label("Date", exact=True).fill(
            (start + datetime.timedelta(weeks=week)).isoformat()
        )
        page.get_by_label("Score", exact=True).fill(str(score))
        page.get_by_label("Score", exact=True).press("Enter")
        page.get_by_text("Score saved.").wait_for()
    chart = page.locator("figure.progress-chart")
    assert chart.locator("circle").count() == 4
    assert chart.locator('line[stroke-dasharray="8 4"]').count() == 1  # the aim line
    assert chart.locator('line[stroke="#b71c1c"]').count() == 1  # the trend, from three scores
    caption = chart.locator("figcaption").inner_text()
    assert "aim line to 60" in caption and "trend:" in caption and "a week" in caption
    with district_context(District.objects.get(slug="demo")):
        plan = SupportPlan.objects.select_related("discussion").get(discussion__isnull=False)
        assert plan.discussion.supports == f"Ask the family\n{PICKED}"
        assert plan.tier.number == 2 and plan.points.count() == 4


def test_a_principal_sees_the_continuum_the_unsupported_and_prints_the_poster(
    live_server, browser, demo_district
):
    page = browser.new_context().new_page()
    sign_in(page, live_server, "principal@demo.example")
    alerts = page.get_by_role("region", name=re.compile("Needs attention"))
    assert "In the lowest band, with no support in that area" in alerts.inner_text()
    page.get_by_role("link", name="Continuum").first.click()
    grid = page.locator("main")
    assert "Guided reading group" in grid.inner_text()
    poster = page.get_by_role("link", name="Print as a poster (PDF)")
    response = page.request.get(live_server.url + poster.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    # The school's coverage page shows the same need beside its teams.
    page.get_by_role("link", name="Schools").first.click()
    page.get_by_role("link", name="Aspen Elementary").first.click()
    page.get_by_role("link", name=re.compile("Every child has a team")).first.click()
    section = page.get_by_role("region", name=re.compile("Supports to check"))
    assert "In the lowest band, with no support in that area" in section.inner_text()
