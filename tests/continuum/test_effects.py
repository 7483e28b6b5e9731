"""What is working: band movement of the students who received a support, beside students
of the same starting band, grade and school who did not, computed set-based after each
window's recompute, and shown only as counts to the roles allowed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from continuum import effect_selectors, effects
from continuum.models import PlanStatus, SupportEffect
from crsys.tenancy.context import district_context
from tests.continuum.effect_world import cohort, recompute, two_windows
from tests.teams.conftest import actor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(scene, django_capture_on_commit_callbacks):
    district = scene["district"]
    windows = two_windows(district)
    # 12 received it (6 moved up a band, 1 up two, 5 stayed); 8 like them did not (2 up).
    cohort(district, scene["aspen"], scene["divisional"], windows,
           received=[40] * 6 + [60] + [20] * 5, others=[45, 45] + [10] * 6)  # fmt: skip
    # A discontinued plan: in neither group.
    cohort(district, scene["aspen"], scene["divisional"], windows, received=[90], others=[],
           status=PlanStatus.DISCONTINUED)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        recompute(district, windows["fall"], windows["winter"])
    return {**scene, **windows}


def test_the_recompute_task_writes_the_counts_beside_the_comparison(worked):
    with district_context(worked["district"]):
        rows = list(SupportEffect.objects.all())
    assert len(rows) == 1
    row = rows[0]
    assert (row.support_id, row.window_id, row.previous_window_id) == (
        worked["divisional"].pk, worked["winter"].pk, worked["fall"].pk)  # fmt: skip
    assert (row.school_id, row.grade, row.start_rank) == (worked["aspen"].pk, "03", 0)
    assert (row.received, row.received_up, row.received_same, row.received_down) == (12, 7, 5, 0)
    assert (row.others, row.others_up, row.others_same, row.others_down) == (8, 2, 6, 0)


def test_running_it_again_writes_the_same_rows(worked):
    district = worked["district"]
    with district_context(district):
        before = list(SupportEffect.objects.values_list(*effect_selectors.COUNTS))
        written = effects.effects_recompute(
            district_id=district.pk, window_id=worked["winter"].pk, now=timezone.now()
        )
        after = list(SupportEffect.objects.values_list(*effect_selectors.COUNTS))
    assert written == 1 and before == after


def test_the_first_window_has_nothing_to_compare_with(worked):
    with district_context(worked["district"]):
        assert not SupportEffect.objects.filter(window=worked["fall"]).exists()


def test_a_plan_outside_the_time_between_windows_does_not_count(
    scene, django_capture_on_commit_callbacks
):
    district = scene["district"]
    windows = two_windows(district)
    # Started after the winter window opened: the winter scores came before it.
    cohort(district, scene["aspen"], scene["divisional"], windows, received=[60] * 3,
           others=[20], start=datetime.date(2026, 2, 1))  # fmt: skip
    # Ended (six weeks) before the fall window closed.
    cohort(district, scene["aspen"], scene["aspen_own"], windows, received=[60] * 3,
           others=[], start=datetime.date(2025, 8, 1))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        recompute(district, windows["fall"], windows["winter"])
    with district_context(district):
        assert SupportEffect.objects.count() == 0


def test_principals_and_district_leaders_read_counts_teachers_none(worked):
    district = worked["district"]
    with district_context(district):
        admin = effect_selectors.support_effects(actor=actor_of(worked["admin"], district))
        principal = effect_selectors.support_effects(actor=actor_of(worked["principal"], district))
        other = effect_selectors.support_effects(
            actor=actor_of(worked["birch_principal"], district)
        )
        teacher = effect_selectors.support_effects(actor=actor_of(worked["teacher"], district))
    assert [(e.received.students, e.received.up, e.others.students) for e in admin] == [(12, 7, 8)]
    assert principal == admin  # the students are all Aspen's
    assert other == [] and teacher == []
    effect = admin[0]
    assert (effect.received.up_percent, effect.others.up_percent) == (58, 25)
    assert not effect.is_small


def test_the_what_is_working_page_shows_counts_and_says_they_are_not_proof(client, worked):
    client.force_login(worked["principal"])
    page = client.get("/d/alpha/continuum/working/").content.decode()
    assert "Check-in / check-out" in page
    assert "<strong>12</strong> students" in page and "<strong>8</strong> students" in page
    assert "58% up (7)" in page and "25% up (2)" in page
    assert "not proof" in page and "Aspen School" in page  # the scope, in words
    assert "Small sample" not in page
    for word in ("caused by", "because of", "effective"):
        assert word not in page.lower()


def test_a_small_sample_is_greyed_and_says_so_in_words(
    client, scene, django_capture_on_commit_callbacks
):
    district = scene["district"]
    windows = two_windows(district)
    cohort(district, scene["aspen"], scene["divisional"], windows, received=[60] * 3,
           others=[20] * 4)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        recompute(district, windows["fall"], windows["winter"])
    client.force_login(scene["admin"])
    page = client.get("/d/alpha/continuum/working/").content.decode()
    assert 'class="small-sample"' in page
    assert "Small sample: fewer than 10 students" in page
    grid = client.get("/d/alpha/continuum/").content.decode()
    assert "100% of 3 moved up a band" in grid and "(small sample)" in grid


def test_teachers_see_no_counts_anywhere(client, worked):
    client.force_login(worked["teacher"])
    assert client.get("/d/alpha/continuum/working/").status_code == 403
    support = client.get(f"/d/alpha/continuum/supports/{worked['divisional'].pk}/")
    grid = client.get("/d/alpha/continuum/").content.decode()
    for page in (support.content.decode(), grid):
        assert "moved up" not in page and "What is working" not in page


def test_another_schools_principal_sees_none_of_aspens_counts(client, worked):
    client.force_login(worked["birch_principal"])
    page = client.get("/d/alpha/continuum/working/").content.decode()
    assert "Check-in / check-out" not in page and "Nothing to show yet" in page
    support = client.get(f"/d/alpha/continuum/supports/{worked['divisional'].pk}/")
    assert "No band movement yet" in support.content.decode()


def test_the_support_page_shows_each_pair_of_windows(client, worked):
    client.force_login(worked["admin"])
    page = client.get(f"/d/alpha/continuum/supports/{worked['divisional'].pk}/").content.decode()
    assert "Fall → Winter 2026" in page and "Reading Benchmark" in page


@pytest.mark.parametrize("window", ["x", "\x00", "9" * 30, "-1", "1.5"])
def test_a_bad_window_is_a_form_error_not_a_crash(client, worked, window):
    client.force_login(worked["admin"])
    response = client.get("/d/alpha/continuum/working/", {"window": window})
    if window == "\x00":  # refused before any view (crsys's NUL-byte guard)
        assert response.status_code == 400
    else:
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
