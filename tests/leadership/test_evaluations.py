from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crsys.tenancy.context import district_context
from districts.models import District
from districts.services import district_create
from leadership import services
from leadership.defaults import MATRIX
from leadership.evaluation import achievement, evaluate, improvement
from leadership.models import AssuranceArea, Evaluation, EvaluationMatrix
from leadership.tasks import refresh_evaluations_task
from screeners.tasks import recompute_window_task
from tests.factories import actor_of

pytestmark = pytest.mark.django_db
D = Decimal


class Rules:
    cuts = [D(40), D(55), D(70), D(85)]
    improved_by = D(2)
    significant_by = D(5)


@pytest.mark.parametrize(
    ("value", "level"),
    [(D(0), "very_low"), (D("39.9"), "very_low"), (D(40), "low"), (D(69), "intermediate"),
     (D(70), "high"), (D(85), "very_high"), (D(100), "very_high")],
)  # fmt: skip
def test_achievement_reads_the_fixed_standards(value, level):
    assert achievement(value, Rules.cuts) == level


@pytest.mark.parametrize(
    ("change", "verdict"),
    [(5, "improved_significantly"), (2, "improved"), (D("1.9"), "maintained"), (0, "maintained"),
     (-2, "declined"), (-5, "declined_significantly")],
)  # fmt: skip
def test_improvement_compares_with_the_previous_result(change, verdict):
    assert improvement(D(50) + change, D(50), step=D(2), significant=D(5)) == verdict


def test_the_overall_is_alberta_s_matrix():
    # Alberta's published pairs: very high × declined significantly → acceptable,
    # high × improved significantly → good, intermediate × improved → good.
    assert evaluate(D(90), D(99), measure=Rules, matrix=MATRIX).overall == "acceptable"
    assert evaluate(D(80), D(70), measure=Rules, matrix=MATRIX).overall == "good"
    assert evaluate(D(60), D(57), measure=Rules, matrix=MATRIX).overall == "good"
    assert evaluate(D(30), D(80), measure=Rules, matrix=MATRIX).overall == "concern"
    no_previous = evaluate(D(60), None, measure=Rules, matrix=MATRIX)
    assert (no_previous.improvement, no_previous.overall) == ("", "acceptable")
    assert evaluate(None, D(3), measure=Rules, matrix=MATRIX).overall == ""


def test_screener_measures_are_evaluated_from_the_snapshots_and_stored(scene):
    with district_context(scene["district"]):
        rows = {e.school_id: e for e in Evaluation.objects.filter(measure=scene["literacy"])}
    aspen, birch = rows[scene["aspen"].pk], rows[scene["birch"].pk]
    assert (aspen.value, aspen.previous, aspen.students) == (D("30.0"), D("80.0"), 10)
    assert (aspen.achievement, aspen.improvement, aspen.overall) == (
        "very_low", "declined_significantly", "concern",
    )  # fmt: skip
    assert (birch.achievement, birch.improvement, birch.overall) == (
        "very_high", "improved_significantly", "excellent",
    )  # fmt: skip


def test_the_refresh_task_rebuilds_a_window_s_measures(scene):
    with district_context(scene["district"]):
        Evaluation.objects.all().delete()
    # The task the screeners' recompute signal queues (Celery runs eagerly in tests).
    written = refresh_evaluations_task(
        district_id=scene["district"].pk, window_id=scene["windows"]["this"].pk
    )
    assert written == 2


def test_the_recompute_task_sends_the_signal(scene, django_capture_on_commit_callbacks):
    with district_context(scene["district"]):
        assert Evaluation.objects.filter(measure=scene["literacy"]).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        recompute_window_task(
            district_id=scene["district"].pk, window_id=scene["windows"]["this"].pk
        )
    with district_context(scene["district"]):
        # The scene's counts were planted without results: the recompute rebuilt the window
        # from none, and the refresh its signal queued followed (no result, no evaluation).
        assert Evaluation.objects.filter(measure=scene["literacy"]).count() == 0


def test_a_survey_figure_is_evaluated_against_its_previous(scene):
    district = scene["district"]
    with district_context(district):
        leader = actor_of(scene["leader"], district)
        services.figure_set(
            actor=leader, measure=scene["survey"], school=scene["aspen"], value=D(88),
            previous=D(80),
        )  # fmt: skip
        row = Evaluation.objects.get(measure=scene["survey"], school=scene["aspen"])
    assert (row.achievement, row.improvement, row.overall) == (
        "very_high", "improved_significantly", "excellent",
    )  # fmt: skip


def test_a_measure_change_re_evaluates(scene):
    district = scene["district"]
    with district_context(district):
        leader = actor_of(scene["leader"], district)
        services.measure_save(
            actor=leader, measure=scene["literacy"], very_low_below=D(10), low_below=D(20),
            intermediate_below=D(25), high_below=D(28),
        )  # fmt: skip
        row = Evaluation.objects.get(measure=scene["literacy"], school=scene["aspen"])
    assert row.achievement == "very_high"
    assert row.overall == "acceptable"  # very high × declined significantly


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"target": D(120)}, "target"),
     ({"low_below": D(30)}, "low_below"),  # below very-low's 40: overlapping standards
     ({"improved_by": D(6)}, "significant_by"),  # a change larger than a significant one
     ({"range_min": D(100), "range_max": D(0)}, "range_max")],
)  # fmt: skip
def test_bad_rules_are_refused_naming_the_field(scene, fields, field):
    district = scene["district"]
    with district_context(district), pytest.raises(ValidationError) as caught:
        services.measure_save(
            actor=actor_of(scene["leader"], district), measure=scene["literacy"], **fields
        )
    assert field in caught.value.message_dict


def test_a_figure_outside_the_range_is_refused(scene):
    district = scene["district"]
    with district_context(district), pytest.raises(ValidationError) as caught:
        services.figure_set(
            actor=actor_of(scene["leader"], district), measure=scene["survey"],
            school=scene["aspen"], value=D(101),
        )  # fmt: skip
    assert "value" in caught.value.message_dict


def test_a_principal_does_not_set_priorities(scene):
    district = scene["district"]
    with district_context(district), pytest.raises(PermissionDenied):
        services.priority_save(
            actor=actor_of(scene["principal"], district), school_year=scene["year"],
            area=scene["areas"]["growth"], title="Mine",
        )  # fmt: skip


def test_a_new_district_gets_the_five_areas_and_the_matrix():
    made = district_create(district=District(slug="gamma", name="Gamma"), admin_email="a@g.example")
    with district_context(made.district):
        assert [a.name for a in AssuranceArea.objects.all()] == [
            "Student Growth and Achievement", "Teaching and Leading", "Learning Supports",
            "Governance", "Local and Societal Context",
        ]  # fmt: skip
        assert EvaluationMatrix.objects.get().matrix == MATRIX
