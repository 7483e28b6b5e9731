"""The plan pages as each role uses them: a principal keeps the plan and answers, a leader
comments; refusals are 400 with the field named (or 403 for a role that may not), never 500."""

from __future__ import annotations

import datetime

import pytest

from crsys.tenancy.context import district_context
from leadership import services
from leadership.models import CheckIn, PlanComment
from tests.factories import actor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(scene):
    district = scene["district"]
    with district_context(district):
        principal = actor_of(scene["principal"], district)
        plan = services.plan_create(
            actor=principal, school=scene["aspen"], school_year=scene["year"]
        )
        goal = services.goal_create(
            actor=principal, plan=plan, priority=scene["priority"], title="Grade 3 reads"
        )
    url = f"/d/alpha/leadership/plans/{plan.pk}/"
    return {"plan": plan, "goal": goal, "url": url, "goal_url": f"{url}goals/{goal.pk}/"}


def test_the_principal_checks_in_and_answers_a_leader_s_comment(scene, plan, client):
    client.force_login(scene["leader"])
    response = client.post(
        plan["goal_url"] + "comment/", {f"g{plan['goal'].pk}-comment-text": "How is it going?"}
    )
    assert response.status_code == 302
    client.force_login(scene["principal"])
    home = client.get("/d/alpha/").content.decode()
    assert "How is it going?" in home and "Check-ins due" in home
    page = client.get(plan["url"]).content.decode()
    assert "30%" in page and "Concern" in page  # the screener figure, pulled in
    prefix = f"g{plan['goal'].pk}-checkin"
    response = client.post(
        plan["goal_url"] + "checkin/",
        {f"{prefix}-phase": "act", f"{prefix}-status": "at_risk", f"{prefix}-narrative": "Late"},
    )
    assert response.status_code == 302
    with district_context(scene["district"]):
        comment = PlanComment.objects.get()
        assert CheckIn.objects.get().status == "at_risk"
    response = client.post(
        f"{plan['url']}comments/{comment.pk}/answer/", {f"c{comment.pk}-answer": "6 of 8 up"}
    )
    assert response.status_code == 302
    with district_context(scene["district"]):
        comment.refresh_from_db()
    assert comment.answer == "6 of 8 up"
    client.force_login(scene["leader"])
    assert "How is it going?" not in client.get("/d/alpha/").content.decode()


def test_refusals_are_400_naming_the_field(scene, plan, client):
    client.force_login(scene["principal"])
    g = plan["goal"].pk
    cases = [
        ("goals/", {"goal-title": "Old", "goal-priority": scene["old_priority"].pk}),
        (f"goals/{g}/commitment/", {f"g{g}-commitment-text": "x",
                                    f"g{g}-commitment-owner": scene["birch_principal"].pk,
                                    f"g{g}-commitment-due_on": "2027-01-01"}),
        (f"goals/{g}/checkin/", {f"g{g}-checkin-phase": "act", f"g{g}-checkin-status": "on_track",
                                 f"g{g}-checkin-narrative": "a\x00b"}),
        (f"goals/{g}/strategy/", {f"g{g}-strategy-text": "x" * 10_000}),
    ]  # fmt: skip
    for path, data in cases:
        response = client.post(plan["url"] + path, data)
        assert response.status_code == 400, (path, response.status_code)
        # A NUL byte is refused before any view by the input guard (crsys/input_guard.py).
        if not any("\x00" in str(v) for v in data.values()):
            assert 'class="errorlist' in response.content.decode(), path


def test_a_check_in_on_a_closed_plan_is_refused(scene, plan, client):
    client.force_login(scene["principal"])
    assert client.post(plan["url"] + "status/", {"status": "closed"}).status_code == 302
    g = plan["goal"].pk
    response = client.post(
        plan["goal_url"] + "checkin/",
        {f"g{g}-checkin-phase": "act", f"g{g}-checkin-status": "on_track",
         f"g{g}-checkin-narrative": "after closing"},
    )  # fmt: skip
    assert response.status_code in (400, 403)
    with district_context(scene["district"]):
        assert not CheckIn.objects.exists()


def test_a_role_that_may_not_comment_is_refused(scene, plan, client):
    for who in ("principal", "admin"):
        client.force_login(scene[who])
        response = client.post(
            plan["goal_url"] + "comment/", {f"g{plan['goal'].pk}-comment-text": "Hmm"}
        )
        assert response.status_code == 403
    with district_context(scene["district"]):
        assert not PlanComment.objects.exists()


def test_overlapping_thresholds_and_a_target_out_of_range_are_400(scene, client):
    client.force_login(scene["leader"])
    base = {"name": "M", "kind": "lag", "source": "manual", "unit": "%", "range_min": 0,
            "range_max": 100, "very_low_below": 40, "low_below": 55, "intermediate_below": 70,
            "high_below": 85, "improved_by": 2, "significant_by": 5, "position": 0}  # fmt: skip
    url = f"/d/alpha/leadership/priorities/{scene['priority'].pk}/measures/new/"
    for change in ({"target": 150}, {"low_below": 30}, {"improved_by": 9}):
        response = client.post(url, {**base, **change})
        assert response.status_code == 400, change
    assert client.post(url, {**base, "target": 80}).status_code == 302


def test_another_school_s_principal_cannot_open_the_plan(scene, plan, client):
    client.force_login(scene["birch_principal"])
    assert client.get(plan["url"]).status_code == 404


def test_a_due_date_is_the_district_s(scene, plan, client):
    client.force_login(scene["principal"])
    g = plan["goal"].pk
    response = client.post(
        plan["goal_url"] + "commitment/",
        {f"g{g}-commitment-text": "Coach", f"g{g}-commitment-owner": scene["teacher"].pk,
         f"g{g}-commitment-due_on": (datetime.date.today() - datetime.timedelta(1)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    assert "overdue" in client.get(plan["url"]).content.decode()
