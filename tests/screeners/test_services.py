"""Screener services: the schedule, deleting screeners, recording results, asking for a
recompute."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from crsys.tenancy.context import district_context
from districts.models import Role
from districts.permissions import SYSTEM
from screeners import services
from screeners.models import Screener, ScreenerResult, ScreeningWindow, StudentBandSnapshot
from screeners.tasks import progress_key, recompute_window_task
from tests.factories import (
    ClassroomFactory,
    SchoolYearFactory,
    StudentFactory,
    actor_of,
    enrol,
    focus_area,
    member,
    teach,
)
from tests.screeners.builders import add_result, make_screener, make_window, set_bands

pytestmark = pytest.mark.django_db

D = datetime.date
OPEN_DAY = D(2026, 10, 1)  # inside the fall window
AFTER_CLOSE = D(2026, 10, 20)


@pytest.fixture
def year(district):
    return SchoolYearFactory(
        district=district, name="2026–2027", start_date=D(2026, 9, 1), end_date=D(2027, 6, 30)
    )


@pytest.fixture
def last_year(district):
    return SchoolYearFactory(
        district=district, name="2025–2026", start_date=D(2025, 9, 1), end_date=D(2026, 6, 30)
    )


@pytest.fixture
def screener(district):
    screener = make_screener(district)
    set_bands(screener, grades=("03",))
    return screener


@pytest.fixture
def fall(year, screener):
    return make_window(year, "fall", D(2026, 9, 15), D(2026, 10, 15), [screener])


@pytest.fixture
def room(district, school, year, teacher_user):
    room = ClassroomFactory(district=district, school=school, school_year=year, name="3A")
    teach(teacher_user, room)
    return room


@pytest.fixture
def mina(district, school, room):
    student = StudentFactory(
        district=district, school=school, given_name="Mina", family_name="Rowan", grade="03"
    )
    enrol(student, room)
    return student


def windows(district):
    with district_context(district):
        return list(
            ScreeningWindow.objects.order_by("opens_on").values_list(
                "school_year__name", "season", "opens_on", "closes_on"
            )
        )


def save_window(year, season, opens_on, closes_on, screeners=(), **kwargs):
    with district_context(year.district_id):
        return services.window_save(
            actor=SYSTEM,
            school_year=year,
            season=season,
            opens_on=opens_on,
            closes_on=closes_on,
            screeners=list(screeners),
            grades=[],
            **kwargs,
        )


# 1. The schedule -------------------------------------------------------------------------------


def test_overlapping_window_is_refused_and_the_message_names_the_other(district, year, fall):
    with pytest.raises(ValidationError) as raised:
        save_window(year, "winter", D(2026, 10, 10), D(2026, 11, 20))
    assert raised.value.messages == ["overlaps Fall 2026–2027 (15 Sep 2026 to 15 Oct 2026)"]
    assert len(windows(district)) == 1


def test_windows_sharing_a_day_overlap_but_the_next_day_is_fine(district, year, fall):
    with pytest.raises(ValidationError, match="overlaps Fall 2026–2027"):
        save_window(year, "winter", D(2026, 10, 15), D(2026, 11, 1))
    save_window(year, "winter", D(2026, 10, 16), D(2026, 11, 1))
    assert len(windows(district)) == 2


def test_window_outside_its_school_year_is_refused(district, year):
    with pytest.raises(ValidationError) as raised:
        save_window(year, "spring", D(2027, 6, 20), D(2027, 7, 10))
    assert raised.value.messages == [
        "20 Jun 2027 to 10 Jul 2027 is not inside the school year 2026–2027 "
        "(1 Sep 2026 to 30 Jun 2027)"
    ]
    with pytest.raises(ValidationError, match="not inside the school year"):
        save_window(year, "fall", D(2026, 8, 25), D(2026, 9, 10))
    assert windows(district) == []


def test_a_season_may_have_a_second_window_told_apart_by_its_name(district, year, fall):
    """A fall screening and a fall re-screen: nothing downstream needs one window per season
    (bands are per season, movement is measured window to window by date)."""
    again = save_window(year, "fall", D(2026, 11, 1), D(2026, 11, 15), name="Fall re-screen")
    assert len(windows(district)) == 2
    assert str(again) == "Fall re-screen 2026–2027"


def test_closing_before_opening_is_refused(district, year):
    with pytest.raises(ValidationError, match="closes on 10 Sep 2026, before it opens on 20 Sep"):
        save_window(year, "fall", D(2026, 9, 20), D(2026, 9, 10))
    assert windows(district) == []


def test_editing_a_window_does_not_overlap_itself(district, year, fall, screener):
    save_window(year, "fall", D(2026, 9, 20), D(2026, 10, 20), [screener], window=fall)
    assert windows(district) == [("2026–2027", "fall", D(2026, 9, 20), D(2026, 10, 20))]


def test_another_districts_windows_do_not_overlap_ours(district, other_district, year):
    theirs = SchoolYearFactory(
        district=other_district,
        name="2026–2027",
        start_date=year.start_date,
        end_date=year.end_date,
    )
    save_window(theirs, "fall", D(2026, 9, 15), D(2026, 10, 15))
    save_window(year, "fall", D(2026, 9, 15), D(2026, 10, 15))
    assert len(windows(district)) == 1 and len(windows(other_district)) == 1


def test_copying_last_years_schedule_shifts_the_dates(district, year, last_year, screener):
    retired = make_screener(district, "Old Screener", is_archived=True)
    save_window(last_year, "fall", D(2025, 9, 15), D(2025, 10, 15), [screener, retired])
    save_window(last_year, "winter", D(2026, 1, 15), D(2026, 2, 13), [screener])
    with district_context(district):
        ScreeningWindow.objects.filter(season="winter").update(grades=["03", "04"])
        made = services.schedule_copy_from_last_year(actor=SYSTEM, school_year=year)
    assert len(made) == 2
    # 2025-09-01 → 2026-09-01: 365 days later.
    assert windows(district)[2:] == [
        ("2026–2027", "fall", D(2026, 9, 15), D(2026, 10, 15)),
        ("2026–2027", "winter", D(2027, 1, 15), D(2027, 2, 13)),
    ]
    with district_context(district):
        fall = ScreeningWindow.objects.get(school_year=year, season="fall")
        winter = ScreeningWindow.objects.get(school_year=year, season="winter")
        assert list(fall.screeners.all()) == [screener]  # the archived one stays behind
        assert winter.grades == ["03", "04"]


def test_copying_a_schedule_twice_is_refused(district, year, last_year, screener):
    save_window(last_year, "fall", D(2025, 9, 15), D(2025, 10, 15), [screener])
    with district_context(district):
        services.schedule_copy_from_last_year(actor=SYSTEM, school_year=year)
    with district_context(district), pytest.raises(ValidationError, match="overlaps Fall"):
        services.schedule_copy_from_last_year(actor=SYSTEM, school_year=year)
    assert len(windows(district)) == 2


def test_copying_with_no_earlier_year_is_refused(district, year):
    with district_context(district), pytest.raises(ValidationError, match="no earlier school"):
        services.schedule_copy_from_last_year(actor=SYSTEM, school_year=year)


# 2. Deleting and archiving screeners -----------------------------------------------------------


def test_a_screener_with_results_cannot_be_deleted_only_archived(district, fall, screener, mina):
    add_result(fall, screener, mina, 40)
    with district_context(district):
        with pytest.raises(ValidationError) as raised:
            services.screener_delete(actor=SYSTEM, screener=screener)
        assert raised.value.messages == [
            "Reading Benchmark has 1 results and cannot be deleted; archive it instead"
        ]
        assert Screener.objects.filter(pk=screener.pk).exists()
        services.screener_archive(actor=SYSTEM, screener=screener)
        screener.refresh_from_db()
        assert screener.is_archived
        services.screener_archive(actor=SYSTEM, screener=screener, archived=False)
        screener.refresh_from_db()
        assert not screener.is_archived


def test_a_screener_without_results_can_be_deleted(district, screener):
    with district_context(district):
        services.screener_delete(actor=SYSTEM, screener=screener)
        assert not Screener.objects.exists()


# 3. Recording results --------------------------------------------------------------------------


def record(actor, window, screener, student, raw, today=OPEN_DAY, user=None):
    with district_context(window.district_id):
        return services.result_record(
            actor=actor,
            window=window,
            screener=screener,
            student=student,
            raw_score=raw,
            today=today,
            user=user,
        )


def results(district):
    with district_context(district):
        return list(ScreenerResult.objects.values_list("student_id", "score", "band__name"))


def test_teacher_records_a_score_for_their_student(district, teacher_user, fall, screener, mina):
    outcome = record(
        actor_of(teacher_user, district), fall, screener, mina, "40", user=teacher_user
    )
    assert outcome.error is None and outcome.warning is None
    assert outcome.band.name == "Strategic"
    assert outcome.result.score == Decimal("40")
    assert results(district) == [(mina.pk, Decimal("40"), "Strategic")]
    with district_context(district):
        assert ScreenerResult.objects.get().entered_by == teacher_user


def test_recording_again_replaces_the_score_and_band(district, teacher_user, fall, screener, mina):
    actor = actor_of(teacher_user, district)
    record(actor, fall, screener, mina, "40")
    outcome = record(actor, fall, screener, mina, "90")
    assert outcome.band.name == "Exceeding"
    assert results(district) == [(mina.pk, Decimal("90"), "Exceeding")]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("101", "101 is out of range: scores go from 0 to 100"),
        ("forty", "'forty' is not a number"),
        ("40.5", "40.5 is not a possible score (steps of 1)"),
    ],
)
def test_a_bad_score_is_an_error_and_nothing_is_saved(
    district, teacher_user, fall, screener, mina, raw, message
):
    actor = actor_of(teacher_user, district)
    record(actor, fall, screener, mina, "40")
    outcome = record(actor, fall, screener, mina, raw)
    assert (outcome.result, outcome.band, outcome.error) == (None, None, message)
    assert results(district) == [(mina.pk, Decimal("40"), "Strategic")]


def test_a_student_of_a_class_they_do_not_teach(
    district, school, year, teacher_user, fall, screener, room
):
    other_room = ClassroomFactory(district=district, school=school, school_year=year, name="3B")
    theo = StudentFactory(district=district, school=school, grade="03")
    enrol(theo, other_room)
    outcome = record(actor_of(teacher_user, district), fall, screener, theo, "40")
    assert outcome.error == "you cannot enter results for this student"
    assert results(district) == []


def test_a_principal_cannot_enter_results(district, school, fall, screener, mina):
    principal = member(district, Role.PRINCIPAL, school=school)
    outcome = record(actor_of(principal, district), fall, screener, mina, "40")
    assert outcome.error == "you cannot enter results for this student"
    assert results(district) == []


def test_a_student_not_enrolled_in_the_windows_school_year(
    district, teacher_user, admin_user, last_year, screener, mina
):
    last_fall = make_window(last_year, "fall", D(2025, 9, 15), D(2025, 10, 15), [screener])
    # Mina's teacher teaches her this year, not in the window's year: not theirs to score.
    outcome = record(
        actor_of(teacher_user, district), last_fall, screener, mina, "40", today=D(2025, 10, 1)
    )
    assert outcome.error == "you cannot enter results for this student"
    outcome = record(
        actor_of(admin_user, district), last_fall, screener, mina, "40", today=D(2025, 10, 1)
    )
    assert outcome.error == "Mina Rowan is not enrolled in 2025–2026"
    assert results(district) == []


def test_a_withdrawn_enrolment_does_not_count(district, admin_user, school, year, fall, screener):
    theo = StudentFactory(
        district=district, school=school, given_name="Theo", family_name="Quill", grade="03"
    )
    enrol(
        theo, ClassroomFactory(district=district, school=school, school_year=year), is_active=False
    )
    outcome = record(actor_of(admin_user, district), fall, screener, theo, "40")
    assert outcome.error == "Theo Quill is not enrolled in 2026–2027"


@pytest.mark.parametrize(
    ("today", "message"),
    [
        (
            AFTER_CLOSE,
            "the Fall 2026–2027 window closed on 15 Oct 2026; changes need a district admin",
        ),
        (D(2026, 9, 10), "the Fall 2026–2027 window is not open yet: it opens on 15 Sep 2026"),
    ],
    ids=["after", "before"],
)
def test_closed_window_refuses_a_teacher_in_human_dates(
    district, teacher_user, fall, screener, mina, today, message
):
    outcome = record(actor_of(teacher_user, district), fall, screener, mina, "40", today=today)
    assert outcome.error == message
    assert results(district) == []


def test_closed_window_allows_a_district_admin_with_a_warning(
    district, admin_user, fall, screener, mina
):
    outcome = record(actor_of(admin_user, district), fall, screener, mina, "40", today=AFTER_CLOSE)
    assert outcome.error is None
    assert outcome.warning == "entered outside the window (15 Sep 2026 to 15 Oct 2026)"
    assert outcome.band.name == "Strategic"
    assert results(district) == [(mina.pk, Decimal("40"), "Strategic")]


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_score_deletes_the_result(district, teacher_user, fall, screener, mina, blank):
    actor = actor_of(teacher_user, district)
    record(actor, fall, screener, mina, "40")
    outcome = record(actor, fall, screener, mina, blank)
    assert outcome == services.Outcome(None, None)
    assert results(district) == []


def test_a_grade_the_screener_is_not_given_in(district, teacher_user, school, room, fall, screener):
    older = StudentFactory(district=district, school=school, grade="05")
    enrol(older, room)
    outcome = record(actor_of(teacher_user, district), fall, screener, older, "40")
    assert outcome.error == "Reading Benchmark is not given in grade 05"
    assert results(district) == []


def test_a_grade_the_window_does_not_screen(district, teacher_user, year, screener, mina):
    window = make_window(year, "fall", D(2026, 9, 15), D(2026, 10, 15), [screener], ["04"])
    outcome = record(actor_of(teacher_user, district), window, screener, mina, "40")
    assert outcome.error == "the Fall 2026–2027 window does not screen grade 03"


def test_a_screener_not_in_the_window_or_archived(district, teacher_user, fall, screener, mina):
    actor = actor_of(teacher_user, district)
    other = make_screener(
        district, "Numeracy Screener", focus_area=focus_area(district, "numeracy")
    )
    assert record(actor, fall, other, mina, "4").error == (
        "Numeracy Screener is not part of the Fall 2026–2027 window"
    )
    Screener.objects.for_district(district).filter(pk=screener.pk).update(is_archived=True)
    screener.refresh_from_db()
    assert (
        "is not part of the Fall 2026–2027 window"
        in record(actor, fall, screener, mina, "40").error
    )
    assert results(district) == []


def test_a_grade_without_bands_is_an_error(district, teacher_user, school, room, fall, screener):
    fourth = StudentFactory(district=district, school=school, grade="04")  # bands: grade 3 only
    enrol(fourth, room)
    outcome = record(actor_of(teacher_user, district), fall, screener, fourth, "40")
    assert outcome.error == "Reading Benchmark has no bands for grade 04 in Fall"
    assert results(district) == []


# 4. Asking for a recompute ----------------------------------------------------------------------
# Celery is eager in the tests: a queued task runs at once, when the edit's transaction commits
# (``django_capture_on_commit_callbacks(execute=True)`` stands in for the commit).


@pytest.fixture
def queued(monkeypatch):
    """The recompute tasks queued (window ids), still running them."""

    calls = []
    original = recompute_window_task.apply_async

    def spy(*args, **kwargs):
        calls.append(kwargs["kwargs"]["window_id"])
        return original(*args, **kwargs)

    monkeypatch.setattr(recompute_window_task, "apply_async", spy)
    return calls


def test_request_recompute_is_debounced(district, fall, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_recompute(fall)
        services.request_recompute(fall)
        services.request_recompute(fall)
    assert queued == [fall.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.request_recompute(fall)  # still within the debounce period
    assert queued == [fall.pk]
    cache.clear()  # the debounce period is over
    with django_capture_on_commit_callbacks(execute=True):
        services.request_recompute(fall)
    assert queued == [fall.pk, fall.pk]


def test_debounce_is_per_window(
    district, year, fall, screener, queued, django_capture_on_commit_callbacks
):
    winter = make_window(year, "winter", D(2027, 1, 15), D(2027, 2, 15), [screener])
    with django_capture_on_commit_callbacks(execute=True):
        services.request_recompute(fall)
        services.request_recompute(winter)
    assert queued == [fall.pk, winter.pk]


def test_nothing_is_queued_before_the_commit(
    district, fall, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_recompute(fall)
    assert callbacks and queued == []


def test_editing_in_a_closed_window_runs_one_recompute(
    district,
    admin_user,
    fall,
    screener,
    mina,
    school,
    room,
    queued,
    django_capture_on_commit_callbacks,
):
    theo = StudentFactory(district=district, school=school, grade="03")
    enrol(theo, room)
    actor = actor_of(admin_user, district)
    with django_capture_on_commit_callbacks(execute=True):
        record(actor, fall, screener, mina, "40", today=AFTER_CLOSE)
        record(actor, fall, screener, theo, "90", today=AFTER_CLOSE)
    assert queued == [fall.pk]  # two edits, one recompute
    fall.refresh_from_db()
    assert fall.last_recomputed_at is not None
    assert cache.get(progress_key(fall.pk)) == {"pct": 100, "message": "Done"}
    with district_context(district):
        snapshot = StudentBandSnapshot.objects.order_by("score").values_list(
            "student_id", "band__name", "movement"
        )
        assert list(snapshot) == [(mina.pk, "Strategic", "new"), (theo.pk, "Exceeding", "new")]


def test_editing_after_the_window_was_processed_requests_a_recompute(
    district, admin_user, fall, screener, mina, queued, django_capture_on_commit_callbacks
):
    with district_context(district):
        ScreeningWindow.objects.filter(pk=fall.pk).update(closed_processed_at="2026-10-16T06:00Z")
    fall.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        record(actor_of(admin_user, district), fall, screener, mina, "", today=OPEN_DAY)
    assert queued == [fall.pk]


def test_editing_in_an_open_window_does_not_recompute(
    district, teacher_user, fall, screener, mina, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(actor_of(teacher_user, district), fall, screener, mina, "40")
    assert queued == []
    fall.refresh_from_db()
    assert fall.last_recomputed_at is None


def test_a_refused_edit_does_not_recompute(
    district, teacher_user, fall, screener, mina, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = record(
            actor_of(teacher_user, district), fall, screener, mina, "40", today=AFTER_CLOSE
        )
    assert outcome.error and queued == []


class RolledBack(Exception):
    pass


# Found while writing these tests: request_recompute set the debounce key before the commit,
# so a rolled-back edit (a failed request, an import's dry run) swallowed the recompute of
# every edit in the next 30 s. Fixed in services.request_recompute (decided at commit).
def test_a_rolled_back_edit_does_not_swallow_the_next_recompute(
    district, admin_user, fall, screener, mina, queued, django_capture_on_commit_callbacks
):
    actor = actor_of(admin_user, district)
    with django_capture_on_commit_callbacks(execute=True), district_context(district):
        try:
            with transaction.atomic():
                services.result_record(
                    actor=actor,
                    window=fall,
                    screener=screener,
                    student=mina,
                    raw_score="20",
                    today=AFTER_CLOSE,
                )
                raise RolledBack
        except RolledBack:
            pass
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True):
        outcome = record(actor, fall, screener, mina, "40", today=AFTER_CLOSE)
        assert outcome.error is None
    assert queued == [fall.pk]
    fall.refresh_from_db()
    assert fall.last_recomputed_at is not None


def test_closing_due_windows_queues_each_recompute_only_when_the_marks_commit(
    district, fall, queued, django_capture_on_commit_callbacks
):
    with district_context(district):
        with django_capture_on_commit_callbacks() as callbacks:
            assert services.windows_close_due(district_id=district.pk, today=AFTER_CLOSE) == 1
            assert queued == []  # not while the mark can still roll back
        assert len(callbacks) == 1
        # Once marked, the periodic task finds nothing more to close.
        assert services.windows_close_due(district_id=district.pk, today=AFTER_CLOSE) == 0


def test_a_rolled_back_close_neither_marks_nor_queues(
    district, fall, queued, django_capture_on_commit_callbacks
):
    with (
        district_context(district),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.windows_close_due(district_id=district.pk, today=AFTER_CLOSE)
        raise RuntimeError
    fall.refresh_from_db()
    assert fall.closed_processed_at is None and queued == []
