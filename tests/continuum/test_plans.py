"""Student support plans: made from the continuum (or a key issue), in scope only, one open
plan per support, progress scores dated sensibly, the chart's lines, and the student's
current tier per focus area."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from continuum import charts, services
from continuum.models import PlanStatus, SupportPlan
from crsys.tenancy.context import district_context
from districts.models import Role
from schools.selectors import district_today
from screeners.models import BenchmarkBand, Screener, ScreeningWindow, StudentBandSnapshot
from teams.models import Discussion, LayerKind, Meeting, Team, TeamLayer, TeamMember
from tests.factories import (
    StudentFactory,
    api_token,
    enrol,
    focus_area,
    member,
)
from tests.teams.conftest import actor_of

pytestmark = pytest.mark.django_db


def _plan(scene, pupils, **fields):
    actor = actor_of(scene["teacher"], scene["district"])
    defaults = {"goal": "Read 60 words a minute", "start_date": pupils["today"]}
    with district_context(scene["district"]):
        return services.plan_create(
            actor=actor,
            student=pupils["mine"],
            support=scene["aspen_own"],
            **{**defaults, **fields},
        )


def test_a_teacher_plans_a_support_for_their_student_and_a_second_open_one_is_refused(
    scene, pupils
):
    plan = _plan(scene, pupils, baseline=Decimal("30"), target=Decimal("60"))
    assert plan.status == PlanStatus.ACTIVE and plan.tier.number == 2
    assert plan.focus_area.key == "literacy" and plan.duration_weeks == 6
    with pytest.raises(ValidationError) as refused:
        _plan(scene, pupils)
    assert "support" in refused.value.message_dict
    # Once ended (with its outcome), the support may be planned again.
    with district_context(scene["district"]):
        services.plan_update(
            actor=actor_of(scene["teacher"], scene["district"]), plan=plan,
            status=PlanStatus.COMPLETED, outcome="Reads 62 a minute",
        )  # fmt: skip
    assert _plan(scene, pupils).status == PlanStatus.ACTIVE


def test_a_plan_ends_with_its_outcome(scene, pupils):
    plan = _plan(scene, pupils)
    with district_context(scene["district"]), pytest.raises(ValidationError) as refused:
        services.plan_update(
            actor=actor_of(scene["teacher"], scene["district"]), plan=plan,
            status=PlanStatus.DISCONTINUED, outcome="  ",
        )  # fmt: skip
    assert "outcome" in refused.value.message_dict


def test_no_plan_for_a_student_out_of_scope_nor_with_another_schools_support(scene, pupils):
    actor = actor_of(scene["teacher"], scene["district"])
    with district_context(scene["district"]):
        with pytest.raises(Http404):
            services.plan_create(
                actor=actor, student=pupils["theirs"], support=scene["divisional"],
                goal="x", start_date=pupils["today"],
            )  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            services.plan_create(
                actor=actor_of(scene["admin"], scene["district"]), student=pupils["mine"],
                support=scene["birch_own"], goal="x", start_date=pupils["today"],
            )  # fmt: skip
    assert "another school" in str(refused.value)


def test_scores_are_dated_between_the_start_and_today(scene, pupils):
    plan = _plan(scene, pupils, start_date=pupils["today"] - datetime.timedelta(days=14))
    actor = actor_of(scene["teacher"], scene["district"])
    with district_context(scene["district"]):
        for days, message in ((20, "The plan starts on"), (-1, "in the future")):
            with pytest.raises(ValidationError) as refused:
                services.progress_add(
                    actor=actor, plan=plan, score=Decimal(3),
                    date=pupils["today"] - datetime.timedelta(days=days),
                )  # fmt: skip
            assert message in str(refused.value)
        services.progress_add(actor=actor, plan=plan, date=pupils["today"], score=Decimal(3))


def test_the_plan_page_draws_the_aim_and_from_three_scores_the_trend(client, scene, pupils):
    start = pupils["today"] - datetime.timedelta(days=21)
    plan = _plan(scene, pupils, start_date=start, baseline=Decimal(30), target=Decimal(60))
    client.force_login(scene["teacher"])
    url = f"/d/alpha/continuum/plans/{plan.pk}/"
    for week, score in ((0, "31"), (1, "36")):
        day = (start + datetime.timedelta(weeks=week)).isoformat()
        assert client.post(url + "scores/", {"date": day, "score": score}).status_code == 302
    page = client.get(url).content.decode()
    assert "aim line to 60" in page and "the trend line shows from the third score" in page
    client.post(url + "scores/", {"date": (start + datetime.timedelta(weeks=2)).isoformat(),
                                  "score": "41"})  # fmt: skip
    page = client.get(url).content.decode()
    assert "trend: 5.00 a week" in page  # +5 a week, exactly
    # Bad scores are refused by field, on the page, and nothing is written.
    bad = client.post(url + "scores/", {"date": "2026-13-01", "score": "lots"})
    assert bad.status_code == 400
    assert set(bad.context["point_form"].errors) == {"date", "score"}
    with district_context(scene["district"]):
        assert plan.points.count() == 3


def test_the_trend_is_least_squares_and_the_aim_runs_from_baseline_to_target():
    start = datetime.date(2026, 9, 1)
    chart = charts.progress_chart(
        start=start, end=start + datetime.timedelta(weeks=6),
        scores=[(start + datetime.timedelta(weeks=w), Decimal(v)) for w, v in
                ((0, 10), (1, 14), (2, 16), (3, 22))],
        baseline=Decimal(10), target=Decimal(40),
    )  # fmt: skip
    assert chart.weekly_gain == pytest.approx(3.8)  # slope of 10,14,16,22 over weeks 0-3
    assert chart.aim_weekly_gain == pytest.approx(5.0)
    assert chart.aim.y1 > chart.aim.y2  # higher scores are higher up
    assert len(chart.points) == 4


def test_the_student_page_shows_plans_and_the_jagged_profile(client, scene, pupils):
    _plan(scene, pupils)  # literacy, tier 2
    client.force_login(scene["teacher"])
    page = client.get(f"/d/alpha/students/{pupils['mine'].pk}/").content.decode()
    assert "Aspen reading buddies" in page
    literacy = page.split('<th scope="row">Literacy</th>')[1].split("</tr>")[0]
    numeracy = page.split('<th scope="row">Numeracy</th>')[1].split("</tr>")[0]
    assert "Tier 2" in literacy and "Tier 1" in numeracy


def test_a_plan_is_made_from_the_page_and_another_schools_student_is_a_404(client, scene, pupils):
    client.force_login(scene["teacher"])
    url = f"/d/alpha/continuum/plans/new/?student={pupils['mine'].pk}"
    page = client.get(url).content.decode()
    assert "Birch math club" not in page and "Aspen reading buddies" in page
    response = client.post(url, {
        "student": pupils["mine"].pk, "support": scene["divisional"].pk, "goal": "Calmer mornings",
        "start_date": pupils["today"].isoformat(), "duration_weeks": "6",
        "monitor_every_weeks": "1", "student_goal": "I want to start the day calm",
    })  # fmt: skip
    assert response.status_code == 302
    with district_context(scene["district"]):
        assert SupportPlan.objects.get().student_goal == "I want to start the day calm"
    other = f"/d/alpha/continuum/plans/new/?student={pupils['theirs'].pk}"
    assert client.get(other).status_code == 404
    # Another teacher of the school, who does not teach Mia, cannot open her plan.
    stranger = member(
        scene["district"], Role.TEACHER, school=scene["aspen"], email="x@alpha.example"
    )
    client.force_login(stranger)
    with district_context(scene["district"]):
        plan = SupportPlan.objects.get()
    assert client.get(f"/d/alpha/continuum/plans/{plan.pk}/").status_code == 404


def test_the_caseload_says_on_track_not_on_track_and_needs_data_in_words(
    client, scene, pupils, django_assert_max_num_queries
):
    district, today = scene["district"], pupils["today"]
    start = today - datetime.timedelta(weeks=3)
    actor = actor_of(scene["teacher"], district)
    with district_context(district):
        others = [
            StudentFactory(district=district, school=scene["aspen"], given_name=name)
            for name in ("Rising", "Flat")
        ]
        room = pupils["mine"].enrolments.first().classroom
        for student in others:
            enrol(student, room)
    plans = {}
    with district_context(district):
        for student, scores in (
            (others[0], (30, 36, 42, 48)),  # +6 a week, aim +5: on track
            (others[1], (30, 30, 31, 30)),  # flat: not on track
            (pupils["mine"], (30,)),  # one score: needs data
        ):
            plan = services.plan_create(
                actor=actor, student=student, support=scene["divisional"], goal="Up",
                start_date=start, baseline=Decimal(30), target=Decimal(60),
                responsible=scene["teacher"],
            )  # fmt: skip
            for week, score in enumerate(scores):
                services.progress_add(
                    actor=actor, plan=plan, score=Decimal(score),
                    date=start + datetime.timedelta(weeks=week),
                )  # fmt: skip
            plans[student.given_name] = plan
    client.force_login(scene["teacher"])
    with django_assert_max_num_queries(10):
        page = client.get("/d/alpha/continuum/caseload/").content.decode()
    rows = {name: page.split(f">{plans[name].student.display_name}<")[1].split("</tr>")[0]
            for name in plans}  # fmt: skip
    assert "On track" in rows["Rising"] and "Not on track" in rows["Flat"]
    assert "Needs data" in rows["Mia"] and "1 of 3 scores" in rows["Mia"]


def test_common_supports_rank_by_schools_then_students(client, scene, pupils):
    _plan(scene, pupils)  # Aspen's own support, one student
    client.force_login(scene["admin"])
    page = client.get("/d/alpha/continuum/common/").content.decode()
    assert page.index("Aspen reading buddies") < page.index("Birch math club")
    client.force_login(scene["principal"])
    assert client.get("/d/alpha/continuum/common/").status_code == 403


def _lowest_band(district, school, students, *, recomputed=True):

    today = district_today(district)
    year = students[0].enrolments.first().classroom.school_year
    screener = Screener.objects.create(
        name="Reading check", focus_area=focus_area(district, "literacy"), grades=["03"]
    )
    band = BenchmarkBand.objects.create(
        screener=screener, grade="03", season="fall", name="Intensive", label="Intensive",
        colour="#c62828", min_score=0, max_score=100, rank=0,
    )  # fmt: skip
    window = ScreeningWindow.objects.create(
        school_year=year, season="fall", opens_on=today - datetime.timedelta(days=20),
        closes_on=today - datetime.timedelta(days=5),
        last_recomputed_at=timezone.now() if recomputed else None,
    )  # fmt: skip
    for student in students:
        StudentBandSnapshot.objects.create(
            window=window, screener=screener, student=student, school=school, grade="03",
            score=5, band=band, band_rank=0, meets_benchmark=False, movement="new",
        )  # fmt: skip


def test_the_home_page_names_unsupported_students_and_quiet_or_overdue_plans(client, scene, pupils):
    district, today = scene["district"], pupils["today"]
    with district_context(district):
        _lowest_band(district, scene["aspen"], [pupils["mine"]])
    client.force_login(scene["teacher"])
    home = client.get("/d/alpha/").content.decode()
    assert "In the lowest band, with no support in that area" in home
    assert pupils["mine"].display_name in home.split("Needs attention")[1]
    # A numeracy plan does not answer a literacy need; a literacy one does.
    actor = actor_of(scene["teacher"], district)
    with district_context(district):
        numeracy = services.support_create(
            actor=actor_of(scene["admin"], district), school_id=None, name="Number talks",
            focus_area=scene["areas"]["numeracy"], tier=scene["tiers"][2],
        )  # fmt: skip
        services.plan_create(
            actor=actor, student=pupils["mine"], support=numeracy, goal="x",
            start_date=today - datetime.timedelta(weeks=3), responsible=scene["teacher"],
        )  # fmt: skip
    home = client.get("/d/alpha/").content.decode()
    assert "In the lowest band" in home
    assert "Plans with no score in two monitoring periods" in home  # started 3 weeks ago
    with district_context(district):
        services.plan_create(
            actor=actor, student=pupils["mine"], support=scene["aspen_own"], goal="x",
            start_date=today - datetime.timedelta(weeks=8), duration_weeks=6,
            responsible=scene["teacher"],
        )  # fmt: skip
    home = client.get("/d/alpha/").content.decode()
    assert "In the lowest band" not in home
    assert "Plans past their end date: record the outcome" in home


def test_the_api_makes_a_plan_and_its_scores_through_the_same_rules(client, scene, pupils):

    token = api_token(scene["teacher"])
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    base = "/api/v1/d/alpha/"
    start = pupils["today"] - datetime.timedelta(days=7)
    made = client.post(
        base + "support-plans/",
        {"student": pupils["mine"].pk, "support": scene["aspen_own"].pk, "goal": "Read more",
         "start_date": start.isoformat()},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert made.status_code == 201, made.content
    plan = made.json()
    assert plan["status"] == "active" and plan["tier"] == scene["tiers"][2].pk
    again = client.post(
        base + "support-plans/",
        {"student": pupils["mine"].pk, "support": scene["aspen_own"].pk, "goal": "Again",
         "start_date": start.isoformat()},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert again.status_code == 400 and "support" in again.json()
    early = client.post(
        base + "progress-points/",
        {"plan": plan["id"], "date": (start - datetime.timedelta(days=1)).isoformat(), "score": 4},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert early.status_code == 400 and "date" in early.json()
    ok = client.post(
        base + "progress-points/",
        {"plan": plan["id"], "date": start.isoformat(), "score": "4.5"},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert ok.status_code == 201
    listed = client.get(base + f"progress-points/?plan={plan['id']}", **auth).json()
    assert [p["score"] for p in listed["results"]] == ["4.50"]
    # School B's student: refused as if there were none.
    other = client.post(
        base + "support-plans/",
        {"student": pupils["theirs"].pk, "support": scene["divisional"].pk, "goal": "x",
         "start_date": start.isoformat()},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert other.status_code in (400, 404)
    assert client.get(base + "supports/", **auth).json()["count"] == 2  # divisional + Aspen's


def test_a_key_issue_decided_add_a_support_becomes_a_plan_with_its_brainstorm(
    client, scene, pupils
):

    district = scene["district"]
    with district_context(district):
        layer = TeamLayer.objects.get(kind=LayerKind.COLLABORATIVE_TEAM_MEETING)
        team = Team.objects.create(layer=layer, school=scene["aspen"], name="Grade 3")
        TeamMember.objects.create(team=team, user=scene["teacher"])
        meeting = Meeting.objects.create(team=team, date=pupils["today"])
        discussion = Discussion.objects.create(
            meeting=meeting, student=pupils["mine"], decision="add_support",
            supports="Small-group phonics, three times a week",
        )  # fmt: skip
    client.force_login(scene["teacher"])
    editor = client.get(f"/d/alpha/meetings/{meeting.pk}/discussions/{discussion.pk}/editor/")
    link = f"?student={pupils['mine'].pk}&amp;discussion={discussion.pk}"
    assert link in editor.content.decode()
    form = client.get(f"/d/alpha/continuum/plans/new/{link.replace('&amp;', '&')}")
    assert form.context["form"].initial["goal"] == "Small-group phonics, three times a week"
    # Another student's discussion is not this plan's source.
    other = f"/d/alpha/continuum/plans/new/?student={pupils['mine'].pk}&discussion=0"
    assert client.get(other).context["discussion"] is None
