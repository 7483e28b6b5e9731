"""Phase lines: a change to how a started plan is given is recorded with its reason and
drawn on the progress chart, so scores before and after the change can be read apart
(issue 10 item 5)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from continuum import charts, services
from continuum.models import PlanChange
from crsys.tenancy.context import district_context
from tests.teams.conftest import actor_of

pytestmark = pytest.mark.django_db


def _started_plan(scene, pupils, *, weeks_ago=3, **fields):
    defaults = {
        "support": scene["aspen_own"],
        "goal": "Read 60 words a minute",
        "start_date": pupils["today"] - datetime.timedelta(weeks=weeks_ago),
        "sessions_per_week": 3,
        "minutes_per_session": 20,
        "baseline": Decimal("30"),
        "target": Decimal("60"),
        "responsible": scene["teacher"],
    }
    with district_context(scene["district"]):
        return services.plan_create(
            actor=actor_of(scene["teacher"], scene["district"]),
            student=pupils["mine"],
            **{**defaults, **fields},
        )


def _changes(scene, plan) -> list[PlanChange]:
    with district_context(scene["district"]):
        return list(PlanChange.objects.filter(plan=plan))


def test_a_change_to_how_a_started_plan_is_given_is_recorded_in_words(scene, pupils):
    plan = _started_plan(scene, pupils)
    actor = actor_of(scene["teacher"], scene["district"])
    with district_context(scene["district"]):
        services.plan_update(
            actor=actor, plan=plan, sessions_per_week=4, minutes_per_session=30,
            target=Decimal("70"), reason="Not on track after six scores",
        )  # fmt: skip
    [change] = _changes(scene, plan)
    assert change.date == pupils["today"] and change.changed_by_id == scene["teacher"].pk
    assert change.summary == ("Schedule 3 × 20 min a week → 4 × 30 min a week; aim 60 → 70")
    assert change.reason == "Not on track after six scores"


def test_no_phase_before_the_start_for_an_unchanged_schedule_or_for_ending_a_plan(scene, pupils):
    actor = actor_of(scene["teacher"], scene["district"])
    ahead = _started_plan(scene, pupils, weeks_ago=-2)  # starts in two weeks: planned
    with district_context(scene["district"]):
        services.plan_update(actor=actor, plan=ahead, sessions_per_week=5)
    assert _changes(scene, ahead) == []
    started = _started_plan(scene, pupils, weeks_ago=1, support=scene["divisional"])
    with district_context(scene["district"]):
        services.plan_update(actor=actor, plan=started, sessions_per_week=3, goal=started.goal)
        services.plan_update(actor=actor, plan=started, status="completed", outcome="Met the goal")
    assert _changes(scene, started) == []


def test_the_chart_draws_each_phase_line_where_its_date_falls():
    start = datetime.date(2026, 9, 1)
    chart = charts.progress_chart(
        start=start,
        end=start + datetime.timedelta(weeks=6),
        scores=[(start + datetime.timedelta(weeks=w), Decimal(30 + w)) for w in range(4)],
        baseline=Decimal("30"),
        target=Decimal("60"),
        changes=[(start + datetime.timedelta(weeks=3), "schedule 3 → 4 a week")],
    )
    [phase] = chart.phases
    third_week = next(p for p in chart.points if p.label.startswith("22 Sep"))
    assert phase.x == third_week.x and phase.number == 1
    assert phase.label == "22 Sep: schedule 3 → 4 a week"
    assert charts.LEFT < phase.x < chart.width - charts.RIGHT


def test_the_plan_page_changes_the_plan_and_shows_the_phase_line_with_its_reason(
    client, scene, pupils
):
    plan = _started_plan(scene, pupils)
    client.force_login(scene["teacher"])
    url = f"/d/alpha/continuum/plans/{plan.pk}/"
    response = client.post(
        url + "change/",
        {"goal": plan.goal, "target": "60", "duration_weeks": "8", "sessions_per_week": "5",
         "minutes_per_session": "20", "monitor_every_weeks": "1",
         "responsible": scene["teacher"].pk, "reason": "More time"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "<title>Phase 1:" in page
    assert "Schedule 3 × 20 min a week → 5 × 20 min a week; length 6 → 8 weeks" in page
    assert "(More time)" in page
    refused = client.post(url + "change/", {"goal": "", "duration_weeks": "99"})
    assert refused.status_code == 400
    assert len(_changes(scene, plan)) == 1


def test_a_plan_of_a_student_out_of_reach_cannot_be_changed(client, scene, pupils):
    plan = _started_plan(scene, pupils)
    client.force_login(scene["birch_principal"])
    response = client.post(
        f"/d/alpha/continuum/plans/{plan.pk}/change/",
        {"goal": "x", "duration_weeks": "6", "monitor_every_weeks": "1"},
    )
    assert response.status_code == 404
    assert _changes(scene, plan) == []


def test_the_api_changes_a_plan_with_its_reason(client, scene, pupils):
    plan = _started_plan(scene, pupils)
    client.force_login(scene["teacher"])
    response = client.patch(
        f"/api/v1/d/alpha/support-plans/{plan.pk}/",
        {"minutes_per_session": 30, "reason": "Longer sessions"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    [change] = _changes(scene, plan)
    assert change.reason == "Longer sessions"
    assert change.summary == "Schedule 3 × 20 min a week → 3 × 30 min a week"
