"""The window recompute: student snapshots with movement, band counts per scope, idempotence,
atomicity and district isolation. Each test calls ``recompute_window`` inside
``district_context``, as the Celery task does."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import DatabaseError

from crsys.tenancy.context import district_context
from districts.permissions import SYSTEM
from screeners import recompute, services
from screeners.models import (
    BandCountSnapshot,
    BenchmarkBand,
    ScreenerResult,
    ScreeningWindow,
    StudentBandSnapshot,
)
from tests.factories import (
    ClassroomFactory,
    SchoolFactory,
    SchoolYearFactory,
    StudentFactory,
    actor_of,
    enrol,
    focus_area,
)
from tests.screeners.builders import (
    READING,
    READING_GRADE_4,
    add_result,
    band,
    make_screener,
    make_window,
    set_bands,
    specs,
)

pytestmark = pytest.mark.django_db

D = datetime.date
SEASONS = ("fall", "winter")

# Fall: grade 3 bands 0–34 / 35–54 / 55–84 / 85–100; grade 4 bands 0–44 / 45–64 / 65–89 / 90–100.
FALL = {"ana": 40, "ben": 20, "cal": 70, "dee": 50, "eli": 95, "fay": 10}
WINTER = {"ana": 60, "ben": 20, "cal": 40, "dee": 70, "fay": 10, "gus": 90}


@pytest.fixture
def world(district, school):
    """Alpha Elementary: 3A (ana, ben, cal, gus in grade 3) and 4A (dee, eli in grade 4);
    Beta Elementary (of district alpha too): 3B (fay). A fall and a winter window."""
    year = SchoolYearFactory(
        district=district, name="2026–2027", start_date=D(2026, 9, 1), end_date=D(2027, 6, 30)
    )
    screener = make_screener(district)
    set_bands(screener, grades=("03",), seasons=SEASONS, rows=READING)
    set_bands(screener, grades=("04",), seasons=SEASONS, rows=READING_GRADE_4)
    fall = make_window(year, "fall", D(2026, 9, 15), D(2026, 10, 15), [screener])
    winter = make_window(year, "winter", D(2027, 1, 15), D(2027, 2, 15), [screener])
    second_school = SchoolFactory(district=district, name="Second Elementary", code="SE")
    rooms = {
        "3A": ClassroomFactory(district=district, school=school, school_year=year, name="3A"),
        "4A": ClassroomFactory(
            district=district, school=school, school_year=year, name="4A", grades=["04"]
        ),
        "3B": ClassroomFactory(
            district=district, school=second_school, school_year=year, name="3B"
        ),
    }
    placing = {
        "ana": "3A",
        "ben": "3A",
        "cal": "3A",
        "gus": "3A",
        "dee": "4A",
        "eli": "4A",
        "fay": "3B",
    }
    students = {}
    for name, room in placing.items():
        students[name] = StudentFactory(
            district=district,
            school=rooms[room].school,
            given_name=name.title(),
            grade="04" if room == "4A" else "03",
        )
        enrol(students[name], rooms[room])
    for window, scores in ((fall, FALL), (winter, WINTER)):
        for name, score in scores.items():
            add_result(window, screener, students[name], score)
    return {
        "year": year,
        "screener": screener,
        "fall": fall,
        "winter": winter,
        "rooms": rooms,
        "students": students,
        "school": school,
        "second_school": second_school,
    }


def run(window, progress=None):
    with district_context(window.district_id):
        return recompute.recompute_window(
            district_id=window.district_id, window_id=window.pk, progress=progress
        )


def student_rows(window, students):
    names = {s.pk: name for name, s in students.items()}
    with district_context(window.district_id):
        rows = StudentBandSnapshot.objects.filter(window=window).values_list(
            "student_id",
            "grade",
            "score",
            "band__name",
            "band_rank",
            "meets_benchmark",
            "movement",
        )
        return {
            names[sid]: (grade, score, name, rank, meets, movement)
            for sid, grade, score, name, rank, meets, movement in rows
        }


def count_rows(window, scope):
    with district_context(window.district_id):
        return sorted(
            BandCountSnapshot.objects.filter(window=window, scope=scope).values_list(
                "school__name",
                "grade",
                "classroom__name",
                "band_rank",
                "band__name",
                "meets_benchmark",
                "students",
            ),
            key=lambda row: tuple("" if v is None else str(v) for v in row),
        )


def all_values(window):
    """Every snapshot row of the window, without ids and timestamps."""
    skip = {"id", "created_at", "updated_at"}
    with district_context(window.district_id):
        students = [
            {k: v for k, v in row.items() if k not in skip}
            for row in StudentBandSnapshot.objects.filter(window=window)
            .order_by("student_id", "screener_id")
            .values()
        ]
        counts = [
            {k: v for k, v in row.items() if k not in skip}
            for row in BandCountSnapshot.objects.filter(window=window)
            .order_by("scope", "school_id", "grade", "classroom_id", "band_rank")
            .values()
        ]
    return students, counts


# 1. Student snapshots and movement --------------------------------------------------------


def test_first_window_bands_every_result_and_all_are_new(world):
    counts = run(world["fall"])
    assert counts == {"students": 6, "district": 4, "school": 5, "grade": 6, "classroom": 6}
    assert student_rows(world["fall"], world["students"]) == {
        "ana": ("03", Decimal("40"), "Strategic", 1, False, "new"),
        "ben": ("03", Decimal("20"), "Intensive", 0, False, "new"),
        "cal": ("03", Decimal("70"), "At benchmark", 2, True, "new"),
        "dee": ("04", Decimal("50"), "Strategic", 1, False, "new"),
        "eli": ("04", Decimal("95"), "Exceeding", 3, True, "new"),
        "fay": ("03", Decimal("10"), "Intensive", 0, False, "new"),
    }


def test_results_get_their_band_from_the_recompute(world):
    run(world["fall"])
    with district_context(world["fall"].district_id):
        placed = {
            r.student.given_name: (r.band.grade, r.band.name)
            for r in ScreenerResult.objects.filter(window=world["fall"]).select_related(
                "band", "student"
            )
        }
    assert placed["ana".title()] == ("03", "Strategic")
    assert placed["Dee"] == ("04", "Strategic")  # grade 4's own cut points


def test_movement_against_the_previous_window(world):
    run(world["fall"])
    run(world["winter"])
    rows = student_rows(world["winter"], world["students"])
    assert {name: (row[2], row[5]) for name, row in rows.items()} == {
        "ana": ("At benchmark", "up"),  # Strategic → At benchmark
        "ben": ("Intensive", "same"),
        "cal": ("Strategic", "down"),  # At benchmark → Strategic
        "dee": ("At benchmark", "up"),
        "fay": ("Intensive", "same"),
        "gus": ("Exceeding", "new"),  # no fall result
    }
    assert "eli" not in rows  # no winter result, no winter snapshot


def test_movement_when_lower_is_better_follows_need_not_score(district, world):
    risk = make_screener(
        district,
        "Risk Survey",
        focus_area=focus_area(district, "well_being"),
        grades=["03"],
        max_score=Decimal(20),
        higher_is_better=False,
    )
    risk_bands = [
        band("Low risk", 0, 5, meets=True),
        band("Some risk", 6, 12),
        band("High risk", 13, 20),
    ]
    with district_context(district):
        for season in SEASONS:
            services.bands_replace(
                actor=SYSTEM, screener=risk, grade="03", season=season, bands=risk_bands
            )
        for window in (world["fall"], world["winter"]):
            window.screeners.add(risk)
    ana, ben = world["students"]["ana"], world["students"]["ben"]
    add_result(world["fall"], risk, ana, 15)  # high risk
    add_result(world["winter"], risk, ana, 3)  # low risk: a lower score, and better
    add_result(world["fall"], risk, ben, 2)
    add_result(world["winter"], risk, ben, 8)
    run(world["fall"])
    run(world["winter"])
    with district_context(district):
        moves = dict(
            StudentBandSnapshot.objects.filter(window=world["winter"], screener=risk).values_list(
                "student__given_name", "movement"
            )
        )
    assert moves == {"Ana": "up", "Ben": "down"}


# 2. Band counts per scope -------------------------------------------------------------------


def test_counts_per_scope_add_up_and_count_per_band_rank(world):
    run(world["fall"])
    fall = world["fall"]
    school, second = world["school"].name, world["second_school"].name
    # District: one row per rank, whatever the grade (grade 3 and 4 bands share the ranks).
    assert [(r[3], r[4], r[5], r[6]) for r in count_rows(fall, "district")] == [
        (0, "Intensive", False, 2),
        (1, "Strategic", False, 2),
        (2, "At benchmark", True, 1),
        (3, "Exceeding", True, 1),
    ]
    # Alpha Elementary mixes grade 3 and grade 4: ana (grade 3 Strategic) and dee (grade 4
    # Strategic) are in bands with different ids, and count in one row.
    assert [(r[0], r[3], r[6]) for r in count_rows(fall, "school")] == [
        (school, 0, 1),
        (school, 1, 2),
        (school, 2, 1),
        (school, 3, 1),
        (second, 0, 1),
    ]
    assert [(r[0], r[1], r[3], r[6]) for r in count_rows(fall, "grade")] == [
        (school, "03", 0, 1),
        (school, "03", 1, 1),
        (school, "03", 2, 1),
        (school, "04", 1, 1),
        (school, "04", 3, 1),
        (second, "03", 0, 1),
    ]
    assert [(r[2], r[3], r[6]) for r in count_rows(fall, "classroom")] == [
        ("3A", 0, 1),
        ("3A", 1, 1),
        ("3A", 2, 1),
        ("4A", 1, 1),
        ("4A", 3, 1),
        ("3B", 0, 1),  # at Second Elementary
    ]
    for scope in ("district", "school", "grade", "classroom"):
        assert sum(r[6] for r in count_rows(fall, scope)) == 6, scope


def test_each_scope_sums_to_its_students(world):
    run(world["winter"])
    winter = world["winter"]
    students = student_rows(winter, world["students"])
    per_grade = Counter(row[0] for row in students.values())
    assert sum(r[6] for r in count_rows(winter, "district")) == len(students) == 6
    by_school = Counter()
    for r in count_rows(winter, "school"):
        by_school[r[0]] += r[6]
    assert by_school == {world["school"].name: 5, world["second_school"].name: 1}
    by_grade = Counter()
    for r in count_rows(winter, "grade"):
        by_grade[r[1]] += r[6]
    assert by_grade == per_grade == {"03": 5, "04": 1}
    by_room = Counter()
    for r in count_rows(winter, "classroom"):
        by_room[r[2]] += r[6]
    assert by_room == {"3A": 4, "4A": 1, "3B": 1}


def test_classroom_counts_only_current_enrolments(world):
    ana = world["students"]["ana"]
    with district_context(ana.district_id):
        ana.enrolments.update(end_date=D(2026, 10, 30))  # left 3A after the fall window
    run(world["fall"])
    assert sum(r[6] for r in count_rows(world["fall"], "classroom")) == 5
    assert sum(r[6] for r in count_rows(world["fall"], "school")) == 6


# 3. Idempotent, re-banding, atomic ---------------------------------------------------------


def test_running_twice_builds_identical_rows(world):
    run(world["fall"])
    first_counts = run(world["winter"])
    first = all_values(world["winter"])
    second_counts = run(world["winter"])
    assert second_counts == first_counts
    assert all_values(world["winter"]) == first
    assert len(first[0]) == 6 and len(first[1]) == sum(first_counts.values()) - 6


def test_changing_cut_points_then_recomputing_rebands(world):
    run(world["fall"])
    stricter = [
        ("Intensive", "Intensive support needed", "#c62828", 0, 54, False),
        ("Strategic", "Strategic support needed", "#f9a825", 55, 74, False),
        ("At benchmark", "At or above benchmark", "#2e7d32", 75, 89, True),
        ("Exceeding", "Exceeding benchmark", "#1565c0", 90, 100, True),
    ]
    with district_context(world["fall"].district_id):
        services.bands_replace(
            actor=SYSTEM,
            screener=world["screener"],
            grade="03",
            season="fall",
            bands=specs(stricter),
        )
    run(world["fall"])
    rows = student_rows(world["fall"], world["students"])
    assert {name: row[2] for name, row in rows.items()} == {
        "ana": "Intensive",  # 40: was Strategic
        "ben": "Intensive",
        "cal": "Strategic",  # 70: was At benchmark
        "dee": "Strategic",  # grade 4: untouched
        "eli": "Exceeding",
        "fay": "Intensive",
    }
    with district_context(world["fall"].district_id):
        current = set(BenchmarkBand.objects.values_list("pk", flat=True))
        fall_results = ScreenerResult.objects.filter(window=world["fall"])
        used = set(fall_results.values_list("band_id", flat=True))
    assert used <= current
    assert [(r[3], r[6]) for r in count_rows(world["fall"], "district")] == [
        (0, 3),
        (1, 2),
        (3, 1),
    ]


def _raise_after_clearing(pct, message):
    if pct >= 35:  # the old snapshot has just been deleted
        raise RuntimeError("worker killed")


@pytest.mark.parametrize("how", ["python", "sql"])
def test_a_failure_mid_recompute_leaves_the_previous_snapshot(world, monkeypatch, how):
    fall = world["fall"]
    run(fall)
    fall.refresh_from_db()
    built_at = fall.last_recomputed_at
    before = all_values(fall)
    with district_context(fall.district_id):
        ScreenerResult.objects.filter(student=world["students"]["ana"], window=fall).update(
            score=Decimal("99")
        )
        bands_before = sorted(ScreenerResult.objects.values_list("pk", "band_id"))
    progress = None
    if how == "python":
        progress = _raise_after_clearing
        expected = RuntimeError
    else:
        # The first statement after the DELETEs fails in the database.
        monkeypatch.setattr(recompute, "STUDENT_SNAPSHOTS", "INSERT INTO no_such_table VALUES (1)")

        expected = DatabaseError
    with pytest.raises(expected):
        run(fall, progress=progress)
    assert all_values(fall) == before
    with district_context(fall.district_id):
        assert sorted(ScreenerResult.objects.values_list("pk", "band_id")) == bands_before
        assert ScreeningWindow.objects.get(pk=fall.pk).last_recomputed_at == built_at
    monkeypatch.undo()
    run(fall)  # and the next run picks up the change
    assert student_rows(fall, world["students"])["ana"][2] == "Exceeding"


def test_progress_is_reported_in_order(world):
    seen = []
    run(world["fall"], progress=lambda pct, message: seen.append(pct))
    assert seen == sorted(seen) and seen[0] == 5 and seen[-1] == 100


# 4. Districts --------------------------------------------------------------------------------


def test_another_districts_results_never_enter_this_snapshot(world, other_district):
    year = SchoolYearFactory(
        district=other_district, name="2026–2027", start_date=D(2026, 9, 1), end_date=D(2027, 6, 30)
    )
    screener = make_screener(other_district)
    set_bands(screener, grades=("03",), seasons=SEASONS)
    theirs = make_window(year, "fall", D(2026, 9, 15), D(2026, 10, 15), [screener])
    room = ClassroomFactory(district=other_district, school_year=year)
    outsiders = []
    for score in (5, 50, 99):
        student = StudentFactory(district=other_district, school=room.school, grade="03")
        enrol(student, room)
        add_result(theirs, screener, student, score)
        outsiders.append(student)
    # A corrupt row: beta's result filed under alpha's window. Only the district filter
    # (and, on PostgreSQL, row-level security) keeps it out.
    ScreenerResult.objects.create(
        district=other_district,
        window=world["fall"],
        screener=screener,
        student=outsiders[0],
        score=Decimal("60"),
    )
    run(theirs)
    counts = run(world["fall"])
    assert counts["students"] == 6
    fall = world["fall"]
    with district_context(fall.district_id):
        ids = set(
            StudentBandSnapshot.objects.filter(window=fall).values_list("student_id", flat=True)
        )
        assert ids == {s.pk for n, s in world["students"].items() if n in FALL}
    assert StudentBandSnapshot.objects.for_district(other_district).filter(window=fall).count() == 0
    for scope in ("district", "school", "grade", "classroom"):
        assert sum(r[6] for r in count_rows(fall, scope)) == 6
    # Beta's own snapshot holds beta's students only, and none of alpha's.
    with district_context(other_district):
        assert StudentBandSnapshot.objects.count() == 3
        assert set(StudentBandSnapshot.objects.values_list("student_id", flat=True)) == {
            s.pk for s in outsiders
        }
        assert (
            sum(
                BandCountSnapshot.objects.filter(scope="district").values_list(
                    "students", flat=True
                )
            )
            == 3
        )


# 5. Bands edited after a recompute, students promoted after a window ----------------------------
# Found while writing these tests: bands_replace deleted and recreated the bands, and the
# snapshots' band keys cascade, so relabelling a band silently emptied that grade's dashboards
# in every window of the season (past years too). Bands are now updated in place and the
# windows that used them are recomputed.


def test_relabelling_bands_keeps_existing_dashboards(world):
    run(world["fall"])
    before = all_values(world["fall"])
    relabelled = [(n, f"{label} (reworded)", c, lo, hi, m) for n, label, c, lo, hi, m in READING]
    with district_context(world["fall"].district_id):
        services.bands_replace(
            actor=SYSTEM,
            screener=world["screener"],
            grade="03",
            season="fall",
            bands=specs(relabelled),
        )
        assert ScreenerResult.objects.filter(window=world["fall"], band__isnull=True).count() == 0
    assert all_values(world["fall"]) == before
    with district_context(world["fall"].district_id):
        assert set(
            BenchmarkBand.objects.filter(grade="03", season="fall").values_list("label", flat=True)
        ) == {f"{r[1]} (reworded)" for r in READING}


def test_changing_cut_points_recomputes_the_windows_that_used_them(
    world, django_capture_on_commit_callbacks
):
    run(world["fall"])  # winter has no snapshot yet: nothing to redo there
    stricter = [
        (n, label, c, lo + 20 if lo else 0, min(hi + 20, 100), m)
        for n, label, c, lo, hi, m in READING[:3]
    ]
    with (
        django_capture_on_commit_callbacks(execute=True),
        district_context(world["fall"].district_id),
    ):
        services.bands_replace(
            actor=SYSTEM,
            screener=world["screener"],
            grade="03",
            season="fall",
            bands=specs(stricter),
        )
    rows = student_rows(world["fall"], world["students"])
    # 0–54 / 55–74 / 75–100 now: ana 40 and cal 70 each drop a band.
    assert {name: row[2] for name, row in rows.items() if row[0] == "03"} == {
        "ana": "Intensive",
        "ben": "Intensive",
        "cal": "Strategic",
        "fay": "Intensive",
    }
    with district_context(world["fall"].district_id):
        assert not BenchmarkBand.objects.filter(grade="03", season="fall", rank=3).exists()


# Found while writing these tests: the recompute banded each result by the student's current
# grade (and school), so rebuilding last year's window after promotion re-banded it with the
# next grade's cut points. Results now keep the grade and school they were screened in.
def test_rebuilding_a_past_window_after_promotion_keeps_its_grades(world, admin_user):

    fall = world["fall"]
    ana = world["students"]["ana"]
    with district_context(fall.district_id):
        ScreenerResult.objects.filter(window=fall, student=ana).delete()
        outcome = services.result_record(
            actor=actor_of(admin_user, ana.district),
            window=fall,
            screener=world["screener"],
            student=ana,
            raw_score="40",
            today=D(2026, 10, 1),
        )
        assert outcome.error is None
    run(fall)
    before = student_rows(fall, world["students"])
    assert before["ana"] == ("03", Decimal("40"), "Strategic", 1, False, "new")
    with district_context(fall.district_id):
        type(ana).objects.filter(pk=ana.pk).update(grade="04")  # the next year's roster
    run(fall)  # e.g. an admin corrects one of last fall's results
    assert student_rows(fall, world["students"])["ana"] == before["ana"]


# Regression test for a fixed bug: screeners/services.py:286-288 (_after_change) and …
def test_a_late_correction_updates_the_next_windows_movement(
    world, admin_user, django_capture_on_commit_callbacks
):

    fall, winter = world["fall"], world["winter"]
    run(fall)
    run(winter)
    ben = world["students"]["ben"]
    assert student_rows(winter, world["students"])["ben"][5] == "same"  # Intensive both times
    with django_capture_on_commit_callbacks(execute=True), district_context(fall.district_id):
        outcome = services.result_record(  # in February, an admin corrects ben's fall score
            actor=actor_of(admin_user, ben.district),
            window=fall,
            screener=world["screener"],
            student=ben,
            raw_score="90",
            today=D(2027, 2, 20),
        )
        assert outcome.error is None
    assert student_rows(fall, world["students"])["ben"][2] == "Exceeding"  # fall was rebuilt
    assert student_rows(winter, world["students"])["ben"][5] == "down"  # still says "same"
