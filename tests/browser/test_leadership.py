"""The principal's and the district leader's journeys in the demo district: the principal
checks in on a goal and answers a leader's question; the leader opens the dashboard, filters
to an assurance area and opens a school coloured "concern". Screenshots at desktop and phone
width go to $CRSYS_SHOTS when set."""

import os
import re

import pytest

from tests.demo import PASSWORD
from tests.mfa import pass_second_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("CRSYS_SHOTS")


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_step(page, email)
    page.wait_for_url(f"{live_server.url}/d/demo/")


def test_principal_checks_in_and_answers_then_the_leader_finds_a_concern(
    live_server, browser, demo_district
):
    page = browser.new_context().new_page()
    sign_in(page, live_server, "principal@demo.example")
    # The leader's open question is on the principal's home page; it opens the plan.
    page.get_by_role("heading", name="District leaders' open questions").wait_for()
    page.get_by_role("link", name="Grade 2–3 readers reach benchmark by spring").first.click()
    page.get_by_role("heading", name=re.compile("action plan")).first.wait_for()
    goal = page.locator("section.goal").first
    goal.get_by_label("Phase").select_option("reflect")
    goal.get_by_label("Status").select_option("at_risk")
    goal.get_by_label("Narrative").fill("Two groups paused in March: EA time moves to mornings.")
    goal.get_by_role("button", name="Check in").click()
    page.get_by_text("Checked in.").wait_for()
    goal = page.locator("section.goal").first
    assert "Two groups paused in March" in goal.inner_text()
    open_comment = goal.locator(".comment-open").first
    open_comment.get_by_label("Answer").fill("The coach takes one group; EA time from April.")
    open_comment.get_by_role("button", name="Answer").click()
    page.get_by_text("Your answer is saved.").wait_for()
    assert "The coach takes one group" in page.inner_text("main")

    leader = browser.new_context().new_page()
    sign_in(leader, live_server, "leader@demo.example")
    leader.get_by_role("link", name="Leadership", exact=True).click()
    leader.get_by_role("heading", name=re.compile("Leadership dashboard")).wait_for()
    leader.get_by_label("Assurance area").select_option(label="Learning Supports")
    leader.get_by_label("Sort by").select_option("concerns")
    leader.get_by_role("button", name="Show").click()
    leader.wait_for_url("**area=supports**")
    header = leader.locator("table.matrix thead").inner_text()
    assert "belong" in header and "Reading" not in header
    if SHOTS:
        leader.set_viewport_size({"width": 1366, "height": 900})
        leader.screenshot(path=f"{SHOTS}/dashboard-desktop.png", full_page=True)
        leader.set_viewport_size({"width": 390, "height": 844})
        leader.screenshot(path=f"{SHOTS}/dashboard-phone.png", full_page=True)
        leader.set_viewport_size({"width": 1366, "height": 900})
    row = leader.locator("table.matrix tbody tr", has_text="Concern").first
    school = row.locator("th a").inner_text()
    row.locator("th a").click()
    leader.get_by_role("heading", name=re.compile(re.escape(school))).wait_for()
    assert "Concern" in leader.inner_text("main")
