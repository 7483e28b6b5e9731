import datetime
import itertools

import pytest
from django.core.management import CommandError, call_command

from crsys.tenancy.context import district_context
from districts.models import District, Membership, User
from districts.selectors import resolve_actor
from schools.models import Classroom, RosterImport, School, Student
from screeners import demo as screener_demo
from screeners import selectors as screener_selectors
from screeners import services as screener_services
from screeners.models import Screener, ScreenerResult, ScreeningWindow, StudentBandSnapshot
from teams import selectors as team_selectors
from teams import services as team_services
from teams.models import LayerKind, Meeting, Team, TeamLayer

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", slug="demo", password="pw-123456")
    call_command("seed_demo", slug="demo", password="pw-123456", force=True)


def test_seed_demo_is_idempotent_and_two_slugs_are_independent(settings, capsys):
    settings.DEBUG = True
    for _ in range(2):
        call_command("seed_demo", slug="north", password="pw-123456")
    call_command("seed_demo", slug="south", password="pw-123456")
    out = capsys.readouterr().out
    for local in ("admin", "leader", "principal", "teacher", "support"):
        assert f"{local}@north.example" in out and f"{local}@south.example" in out
    north, south = District.objects.get(slug="north"), District.objects.get(slug="south")
    assert School.objects.for_district(north).count() == 6
    assert Student.objects.for_district(north).count() == 1_500
    assert Student.objects.for_district(south).count() == 1_500
    demo_logins = [f"{local}@north.example" for local in ("admin", "leader", "principal",
                                                          "teacher", "support")]  # fmt: skip
    assert Membership.objects.for_district(north).filter(user__email__in=demo_logins).count() == 5
    # The second run imported the same roster again: nothing changed.
    last = RosterImport.objects.for_district(north).order_by("-pk").first()
    assert all(not any(c.values()) for c in last.counts.values())
    with district_context(south):
        emails = set(Membership.objects.values_list("user__email", flat=True))
        assert all(e.endswith("@south.example") for e in emails)
    assert User.objects.get(email="teacher@north.example").check_password("pw-123456")


# The demo, built around "today" -------------------------------------------------------------


def test_the_demo_schedule_has_its_window_open_on_every_day_of_the_school_year():
    # given the demo's school year, summer included
    start, end = datetime.date(2026, 9, 1), datetime.date(2027, 8, 31)
    day = start
    while day <= end:
        # when the demo is built on that day
        schedule = screener_demo.demo_schedule(start=start, end=end, today=day)
        # then one window is open that day, all are inside the year, and none overlap
        spans = sorted(schedule.values())
        assert sum(opens <= day <= closes for opens, closes in spans) == 1, day
        assert all(start <= opens <= closes <= end for opens, closes in spans), (day, spans)
        assert all(a[1] < b[0] for a, b in itertools.pairwise(spans)), (day, spans)
        day += datetime.timedelta(days=1)


def _demo_teacher_actor(district):
    return resolve_actor(user=User.objects.get(email="teacher@demo.example"),
                         district_slug=district.slug)[1]  # fmt: skip


@pytest.mark.parametrize("today", [datetime.date(2026, 12, 1), datetime.date(2027, 7, 14)])
def test_the_demo_on_any_day_has_a_window_open_results_to_enter_and_meetings_closed(
    settings, today
):
    settings.DEBUG = True
    # when the demo is built on that day
    call_command("seed_demo", "--today", today.isoformat(), slug="demo", password="pw-123456")
    district = District.objects.get(slug="demo")
    with district_context(district):
        # then one window is open today, for the demo teacher's class, with results to enter
        window = screener_selectors.entry_window(district_id=district.pk, today=today)
        assert window is not None and window.is_open_on(today)
        teacher = User.objects.get(email="teacher@demo.example")
        classroom = Classroom.objects.get(staff__user=teacher)
        students = list(Student.objects.filter(enrolments__classroom=classroom))
        screener = window.screeners.order_by("pk").first()
        scored = set(
            ScreenerResult.objects.filter(window=window, screener=screener).values_list(
                "student_id", flat=True
            )
        )
        waiting = [s for s in students if s.pk not in scored]
        assert waiting and len(waiting) < len(students)
        outcome = screener_services.result_record(
            actor=_demo_teacher_actor(district), window=window, screener=screener,
            student=waiting[0], raw_score="30", today=today,
        )  # fmt: skip
        assert outcome.error is None and outcome.result is not None
        # earlier windows are closed, with results and a snapshot; later ones have no results
        for other in ScreeningWindow.objects.exclude(pk=window.pk):
            if other.closes_on < today:
                assert other.closed_processed_at is not None, other
                assert StudentBandSnapshot.objects.filter(window=other).exists(), other
            else:
                assert other.opens_on > today
                assert not ScreenerResult.objects.filter(window=other).exists(), other
        assert ScreeningWindow.objects.filter(closes_on__lt=today).count() >= 3
        # every team's meetings are closed, and each team's next meeting is due by today
        assert Meeting.objects.exists()
        assert not Meeting.objects.filter(closed_at__isnull=True).exists()
        for team in Team.objects.filter(meetings__isnull=False).distinct():
            assert team_selectors.next_meeting_date(team=team, today=today) == today, team


def test_seed_demo_runs_again_after_people_formed_teams_and_leaves_their_work_alone(settings):
    settings.DEBUG = True
    today = datetime.date(2026, 12, 1)
    call_command("seed_demo", "--today", today.isoformat(), slug="demo", password="pw-123456")
    district = District.objects.get(slug="demo")
    # given a principal who formed another collaborative team and renamed the demo's
    principal = User.objects.get(email="principal@demo.example")
    with district_context(district):
        school = School.objects.order_by("pk").first()
        actor = resolve_actor(user=principal, district_slug="demo")[1]
        layer = TeamLayer.objects.get(kind=LayerKind.COLLABORATIVE_TEAM_MEETING)
        theirs = team_services.team_create(
            actor=actor, layer=layer, school=school, name="Grade 4 team", cycle_weeks=3
        )
        Team.objects.filter(school=school, layer=layer).exclude(pk=theirs.pk).update(
            name="Our primary team"
        )
        before = _demo_counts()
    # when the demo is seeded again, on a later day
    call_command(
        "seed_demo", "--today", (today + datetime.timedelta(days=3)).isoformat(),
        slug="demo", password="pw-123456",
    )  # fmt: skip
    # then nothing failed, and nothing was added or changed
    with district_context(district):
        assert _demo_counts() == before
        assert Team.objects.get(pk=theirs.pk).name == "Grade 4 team"
        assert Team.objects.filter(name="Our primary team").count() == 1


def _demo_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Team, Meeting, ScreeningWindow, ScreenerResult, Screener)
    }


def test_seed_demo_run_again_weeks_later_opens_a_window_again(settings):
    settings.DEBUG = True
    # given a demo built on 1 December, and run again on 10 January, when none is open
    call_command("seed_demo", "--today", "2026-12-01", slug="demo", password="pw-123456")
    district = District.objects.get(slug="demo")
    later = datetime.date(2027, 1, 10)
    with district_context(district):
        winter = ScreeningWindow.objects.get(
            opens_on__lte="2026-12-01", closes_on__gte="2026-12-01"
        )
        entered = ScreenerResult.objects.filter(window=winter).count()
        assert not ScreeningWindow.objects.filter(opens_on__lte=later, closes_on__gte=later)
    call_command("seed_demo", "--today", later.isoformat(), slug="demo", password="pw-123456")
    # then the same window is open again, its results kept
    with district_context(district):
        winter.refresh_from_db()
        assert winter.is_open_on(later) and winter.closed_processed_at is None
        assert ScreenerResult.objects.filter(window=winter).count() == entered
