"""The leadership API: the same rules as the pages, through the same services."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from leadership.models import CheckIn

pytestmark = pytest.mark.django_db
API = "/api/v1/d/alpha/"


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_plan_s_journey_through_the_api(scene):
    principal, leader = client_of(scene["principal"]), client_of(scene["leader"])
    plan = principal.post(
        API + "action-plans/", {"school": scene["aspen"].pk, "school_year": scene["year"].pk}
    )
    assert plan.status_code == 201, plan.json()
    goal = principal.post(
        API + "goals/",
        {"plan": plan.json()["id"], "priority": scene["priority"].pk, "title": "Reads"},
    )
    assert goal.status_code == 201, goal.json()
    old = principal.post(
        API + "goals/",
        {"plan": plan.json()["id"], "priority": scene["old_priority"].pk, "title": "Old"},
    )
    assert old.status_code == 400 and "priority" in old.json()
    check_in = principal.post(
        API + "check-ins/",
        {"goal": goal.json()["id"], "phase": "act", "status": "on_track", "narrative": "Going"},
    )
    assert check_in.status_code == 201, check_in.json()
    assert (
        principal.post(
            API + "plan-comments/", {"goal": goal.json()["id"], "text": "Mine"}
        ).status_code
        == 403
    )
    comment = leader.post(API + "plan-comments/", {"goal": goal.json()["id"], "text": "How?"})
    assert comment.status_code == 201, comment.json()
    answered = principal.patch(
        f"{API}plan-comments/{comment.json()['id']}/", {"answer": "Well"}, format="json"
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "Well"
    with district_context(scene["district"]):
        assert CheckIn.objects.count() == 1


def test_evaluations_are_read_only_and_scoped_to_the_caller_s_schools(scene):
    leader = client_of(scene["leader"]).get(API + "evaluations/").json()
    birch = client_of(scene["birch_principal"]).get(API + "evaluations/").json()
    rows = leader["results"] if isinstance(leader, dict) else leader
    mine = birch["results"] if isinstance(birch, dict) else birch
    assert {r["school"] for r in rows} == {scene["aspen"].pk, scene["birch"].pk}
    assert {r["school"] for r in mine} == {scene["birch"].pk}
    assert client_of(scene["leader"]).post(API + "evaluations/", {}).status_code in (403, 405)


def test_a_measure_target_outside_its_range_is_400(scene):
    leader = client_of(scene["leader"])
    response = leader.patch(
        f"{API}measures/{scene['literacy'].pk}/", {"target": "150"}, format="json"
    )
    assert response.status_code == 400 and "target" in response.json()
    overlapping = leader.patch(
        f"{API}measures/{scene['literacy'].pk}/", {"low_below": "10"}, format="json"
    )
    assert overlapping.status_code == 400
