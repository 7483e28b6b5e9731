"""Benchmark bands: cut-point checks, score parsing, and replacing a grade's bands."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crsys.tenancy.context import district_context
from districts.permissions import SYSTEM
from screeners import services
from screeners.bands import BandSpec, check_cut_points, parse_score, plain, score_display
from screeners.models import BenchmarkBand, Screener
from tests.factories import actor_of, focus_area
from tests.screeners.builders import READING, band, make_screener, specs

pytestmark = pytest.mark.django_db

D = Decimal
LEVELS = ["Struggling", "Emerging", "Developing", "Thriving"]


def check(bands, low="0", high="100", step="1"):
    return check_cut_points(bands, low=D(low), high=D(high), step=D(step))


def numeric(low="0", high="100", step="1") -> Screener:
    return Screener(name="Reading", min_score=D(low), max_score=D(high), score_step=D(step))


def ordinal() -> Screener:
    return Screener(
        name="Well-being", score_type="ordinal", levels=LEVELS, min_score=1, max_score=4
    )


# 1. check_cut_points ---------------------------------------------------------------------------


def test_contiguous_bands_covering_the_range_have_no_problem():
    assert check(specs(READING)) == []


def test_bands_may_be_given_in_any_order():
    assert check(list(reversed(specs(READING)))) == []


def test_a_single_band_covering_everything_is_fine():
    assert check([band("All", 0, 100)]) == []


def test_no_band_at_all_is_a_problem():
    assert check([]) == ["define at least one band"]


def test_overlap_names_both_bands_and_their_values():
    problems = check([band("Low", 0, 40), band("High", 35, 100)])
    assert problems == ["Low (0–40) and High (35–100) overlap"]


def test_bands_sharing_a_boundary_score_overlap():
    # 40 would be in both bands: adjacent bands meet one step apart, not on the same score.
    assert check([band("Low", 0, 40), band("High", 40, 100)]) == [
        "Low (0–40) and High (40–100) overlap"
    ]


def test_gap_names_where_it_starts_and_ends():
    problems = check([band("Low", 0, 30), band("High", 35, 100)])
    assert problems == ["gap between Low (ends at 30) and High (starts at 35)"]


def test_lowest_score_not_covered_is_named():
    problems = check([band("Low", 5, 50), band("High", 51, 100)])
    assert problems == ["Low starts at 5; the lowest possible score 0 is in no band"]


def test_highest_score_not_covered_is_named():
    problems = check([band("Low", 0, 50), band("High", 51, 95)])
    assert problems == ["High ends at 95; the highest possible score 100 is in no band"]


def test_a_band_running_backwards_is_named():
    problems = check([band("Low", 0, 50), band("Odd", 70, 60), band("High", 51, 100)])
    assert "Odd: from 70 is above to 60" in problems


def test_several_problems_are_all_reported():
    problems = check([band("Low", 2, 40), band("Mid", 38, 60), band("High", 65, 99)])
    assert len(problems) == 4
    assert any("lowest possible score 0" in p for p in problems)
    assert any("highest possible score 100" in p for p in problems)
    assert "Low (2–40) and Mid (38–60) overlap" in problems
    assert "gap between Mid (ends at 60) and High (starts at 65)" in problems


def test_decimal_steps_half_point_bands_meet_half_a_point_apart():
    assert check([band("Low", 0, "4.5"), band("High", 5, 10)], high="10", step="0.5") == []


def test_decimal_steps_gap_of_one_point_is_a_gap_at_half_point_steps():
    problems = check([band("Low", 0, "4.5"), band("High", "5.5", 10)], high="10", step="0.5")
    assert problems == ["gap between Low (ends at 4.5) and High (starts at 5.5)"]


def test_decimal_steps_overlap_by_half_a_point():
    problems = check([band("Low", 0, 5), band("High", "4.5", 10)], high="10", step="0.5")
    assert problems == ["Low (0–5) and High (4.5–10) overlap"]


def test_decimal_steps_range_not_covered():
    problems = check([band("Low", "0.5", "4.5"), band("High", 5, "9.5")], high="10", step="0.5")
    assert problems == [
        "Low starts at 0.5; the lowest possible score 0 is in no band",
        "High ends at 9.5; the highest possible score 10 is in no band",
    ]


# Found while writing these tests: a band reaching outside the range was reported as "the
# lowest possible score 0 is in no band", which was false. Now said as it is.
def test_a_band_reaching_below_the_lowest_score_is_named():
    problems = check([band("Low", -5, 50), band("High", 51, 100)])
    assert problems == ["Low starts at -5, below the lowest possible score 0"]


def test_a_band_reaching_above_the_highest_score_is_named():
    problems = check([band("Low", 0, 50), band("High", 51, 120)])
    assert problems == ["High ends at 120, above the highest possible score 100"]


# 2. parse_score ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "score"),
    [("0", "0"), ("100", "100"), ("42", "42"), (" 42 ", "42"), ("42.0", "42"), (42, "42")],
)
def test_numbers_in_range(raw, score):
    assert parse_score(raw, screener=numeric()) == (D(score), None)


@pytest.mark.parametrize(("raw", "score"), [("7.5", "7.5"), ("7,5", "7.5"), ("10", "10")])
def test_half_point_steps_and_a_decimal_comma(raw, score):
    assert parse_score(raw, screener=numeric(high="10", step="0.5")) == (D(score), None)


@pytest.mark.parametrize("raw", ["101", "-1", "100.5", "1e3"])
def test_out_of_range(raw):
    score, problem = parse_score(raw, screener=numeric())
    assert score is None
    assert problem == f"{raw} is out of range: scores go from 0 to 100"


def test_out_of_range_message_shows_plain_numbers():
    _, problem = parse_score("11", screener=numeric(low="0.00", high="10.00", step="0.50"))
    assert problem == "11 is out of range: scores go from 0 to 10"


@pytest.mark.parametrize("raw", ["abc", "12abc", "", "   ", "1,2,3", "--1"])
def test_not_a_number(raw):
    score, problem = parse_score(raw, screener=numeric())
    assert score is None
    assert problem == f"'{raw.strip()}' is not a number"


@pytest.mark.parametrize("raw", ["NaN", "nan", "sNaN", "inf", "-inf", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_numbers(raw):
    assert parse_score(raw, screener=numeric()) == (None, f"'{raw}' is not a number")


def test_wrong_step():
    assert parse_score("42.5", screener=numeric()) == (
        None,
        "42.5 is not a possible score (steps of 1)",
    )
    assert parse_score("7.25", screener=numeric(high="10", step="0.5")) == (
        None,
        "7.25 is not a possible score (steps of 0.5)",
    )


def test_steps_count_from_the_lowest_score():
    screener = numeric(low="1", high="9", step="2")  # 1, 3, 5, 7, 9
    assert parse_score("5", screener=screener) == (D(5), None)
    assert parse_score("4", screener=screener)[1] == "4 is not a possible score (steps of 2)"


@pytest.mark.parametrize(
    ("raw", "score"),
    [("Struggling", 1), ("thriving", 4), ("EMERGING", 2), ("  Developing ", 3)],
)
def test_ordinal_by_level_name_case_insensitive(raw, score):
    assert parse_score(raw, screener=ordinal()) == (D(score), None)


@pytest.mark.parametrize(("raw", "score"), [("1", 1), ("4", 4), ("03", 3)])
def test_ordinal_by_index(raw, score):
    assert parse_score(raw, screener=ordinal()) == (D(score), None)


@pytest.mark.parametrize("raw", ["0", "5", "Great", "", "2.5", "-1"])
def test_ordinal_not_a_level(raw):
    score, problem = parse_score(raw, screener=ordinal())
    assert score is None
    assert problem == (
        f"'{raw}' is not one of the levels: Struggling, Emerging, Developing, Thriving"
    )


# Found while writing these tests: "²".isdigit() is True but int("²") raises, so typing ² in an
# ordinal cell was a 500. Now a message.
@pytest.mark.parametrize("raw", ["²", "¹", "①"])
def test_ordinal_unicode_digits_are_a_message_not_a_crash(raw):
    score, problem = parse_score(raw, screener=ordinal())
    assert score is None and problem.startswith(f"'{raw}' is not one of the levels")


def test_scores_display_as_typed():
    assert plain(D("100.00")) == "100"
    assert plain(D("2.50")) == "2.5"
    assert score_display(D("42.00"), numeric()) == "42"
    assert score_display(D("3"), ordinal()) == "Developing"
    assert score_display(D("9"), ordinal()) == "9"  # no such level: the number


# 3. bands_replace ---------------------------------------------------------------------------


def saved(screener, grade="03", season="fall"):
    with district_context(screener.district_id):
        return list(
            BenchmarkBand.objects.filter(screener=screener, grade=grade, season=season)
            .order_by("rank")
            .values_list("name", "min_score", "max_score", "rank", "meets_benchmark")
        )


def replace(screener, bands, grade="03", season="fall", actor=SYSTEM):
    with district_context(screener.district_id):
        return services.bands_replace(
            actor=actor, screener=screener, grade=grade, season=season, bands=bands
        )


def test_ranks_go_from_most_need_when_higher_is_better(district):
    screener = make_screener(district)
    shuffled = specs(READING)
    shuffled = [shuffled[2], shuffled[0], shuffled[3], shuffled[1]]
    replace(screener, shuffled)
    assert [(name, rank) for name, *_, rank, _ in saved(screener)] == [
        ("Intensive", 0),
        ("Strategic", 1),
        ("At benchmark", 2),
        ("Exceeding", 3),
    ]
    assert saved(screener)[0][1:3] == (D("0"), D("34"))
    assert [meets for *_, meets in saved(screener)] == [False, False, True, True]


def test_ranks_are_reversed_when_lower_is_better(district):
    screener = make_screener(
        district,
        "Risk Survey",
        focus_area=focus_area(district, "well_being"),
        max_score=D(20),
        higher_is_better=False,
    )
    replace(
        screener,
        [band("Low risk", 0, 5, meets=True), band("Some risk", 6, 12), band("High risk", 13, 20)],
    )
    assert [(name, rank) for name, *_, rank, _ in saved(screener)] == [
        ("High risk", 0),
        ("Some risk", 1),
        ("Low risk", 2),
    ]


def test_bad_cut_points_raise_and_write_nothing(district):
    screener = make_screener(district)
    replace(screener, specs(READING))
    before = saved(screener)
    with district_context(district):
        ids = set(BenchmarkBand.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as raised:
        replace(screener, [band("Low", 0, 60), band("High", 50, 100)])
    assert raised.value.messages == ["Low (0–60) and High (50–100) overlap"]
    assert saved(screener) == before
    with district_context(district):
        assert set(BenchmarkBand.objects.values_list("pk", flat=True)) == ids


def test_bad_cut_points_on_a_new_grade_write_nothing(district):
    screener = make_screener(district)
    with pytest.raises(ValidationError):
        replace(screener, [band("Low", 0, 30), band("High", 40, 100)], grade="04")
    assert saved(screener, grade="04") == []


def test_replacing_one_grade_and_season_leaves_the_others(district):
    screener = make_screener(district)
    replace(screener, specs(READING), grade="03", season="fall")
    replace(screener, specs(READING), grade="03", season="winter")
    replace(screener, [band("All", 0, 100, meets=True)], grade="03", season="fall")
    assert [row[0] for row in saved(screener, season="fall")] == ["All"]
    assert len(saved(screener, season="winter")) == 4


def test_replacing_bands_needs_manage_district(district, teacher_user, admin_user):
    screener = make_screener(district)
    with pytest.raises(PermissionDenied):
        replace(screener, specs(READING), actor=actor_of(teacher_user, district))
    assert saved(screener) == []
    replace(screener, specs(READING), actor=actor_of(admin_user, district))
    assert len(saved(screener)) == 4


def test_copying_bands_to_other_grades_and_seasons(district):
    screener = make_screener(district)
    replace(screener, specs(READING))
    with district_context(district):
        copied = services.bands_copy(
            actor=SYSTEM, screener=screener, source=("03", "fall"), targets=[("04", "spring")]
        )
    assert copied == 1
    assert saved(screener, "04", "spring") == saved(screener, "03", "fall")


def test_bandspec_is_a_value():
    assert band("A", 0, 1) == BandSpec("A", "A label", "#2e7d32", D(0), D(1))
