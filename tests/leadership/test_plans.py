"""Action plans: goals tied to the plan's year, commitments owned by the school's people,
check-ins kept as history and refused on a closed plan, comments by district leaders only,
answered in place by the principal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

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
    return {"plan": plan, "goal": goal, "principal": principal}


def test_a_goal_tied_to_another_year_s_priority_is_refused(scene, plan):
    with district_context(scene["district"]), pytest.raises(ValidationError) as caught:
        services.goal_create(
            actor=plan["principal"], plan=plan["plan"], priority=scene["old_priority"], title="x"
        )
    assert "priority" in caught.value.message_dict


def test_a_commitment_owner_must_have_access_to_the_school(scene, plan):
    district = scene["district"]
    today = datetime.date.today()
    with district_context(district):
        with pytest.raises(ValidationError) as caught:
            services.commitment_create(
                actor=plan["principal"], goal=plan["goal"], text="Coach grade 3",
                owner=scene["birch_principal"], due_on=today,
            )  # fmt: skip
        assert "owner" in caught.value.message_dict
        for owner in (scene["teacher"], scene["leader"]):  # at the school; district staff
            services.commitment_create(
                actor=plan["principal"], goal=plan["goal"], text="Coach grade 3", owner=owner,
                due_on=today,
            )  # fmt: skip


def test_check_ins_are_history_and_refused_on_a_closed_plan(scene, plan):
    with district_context(scene["district"]):
        for status in ("on_track", "at_risk"):
            services.check_in_add(
                actor=plan["principal"], goal=plan["goal"], phase="act", status=status,
                narrative="Guided reading twice a week",
            )  # fmt: skip
        assert list(CheckIn.objects.values_list("status", flat=True)) == ["at_risk", "on_track"]
        services.plan_set_status(actor=plan["principal"], plan=plan["plan"], status="closed")
        with pytest.raises(ValidationError):
            services.check_in_add(
                actor=plan["principal"], goal=plan["goal"], phase="reflect", status="on_track",
                narrative="late",
            )  # fmt: skip
        assert CheckIn.objects.count() == 2


def test_only_district_leaders_comment_and_the_principal_answers(scene, plan):
    district = scene["district"]
    with district_context(district):
        for who in ("principal", "teacher", "admin"):
            with pytest.raises(PermissionDenied):
                services.comment_add(
                    actor=actor_of(scene[who], district), goal=plan["goal"], text="How is it?"
                )
        comment = services.comment_add(
            actor=actor_of(scene["leader"], district), goal=plan["goal"],
            text="How is that going? What support do you need?",
        )  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.comment_answer(
                actor=actor_of(scene["birch_principal"], district), comment=comment, answer="x"
            )
        services.comment_answer(actor=plan["principal"], comment=comment, answer="Well: 6 of 8")
        comment = PlanComment.objects.get()
        assert comment.answer == "Well: 6 of 8" and not comment.is_open


def test_another_school_s_principal_cannot_write_the_plan(scene, plan):
    district = scene["district"]
    with district_context(district), pytest.raises(PermissionDenied):
        services.strategy_add(
            actor=actor_of(scene["birch_principal"], district), goal=plan["goal"], text="x"
        )
