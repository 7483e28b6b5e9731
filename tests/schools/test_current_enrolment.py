"""Issue 9 item 1: an enrolment is current when the district's today is within its begin and
end dates (either blank; as in OneRoster, the begin date inclusive, the end date exclusive).
One rule (``schools.models.current_enrolment``), used everywhere:

- a code rule forbids any other way of saying "current" in the apps, the demo and bench;
- the ORM rule, its SQL twin (the recompute) and the definition agree on every combination;
- a OneRoster bundle with a future end date shows its students on the class page, the
  teacher's result grid, the team's list, the school page, coverage and class dashboard
  counts; a past end date removes them; a future begin date doesn't show them yet.
"""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from districts.models import Role, User
from districts.selectors import resolve_actor
from schools.models import (
    Classroom,
    Enrolment,
    RosterImport,
    SchoolYear,
    Student,
    current_enrolment,
    current_enrolment_sql,
)
from schools.roster.apply import withdrawal_end_date
from schools.selectors import district_today
from screeners import recompute
from screeners.models import BandCountSnapshot
from teams import selectors as team_selectors
from teams import services as team_services
from teams.models import LayerKind, Team, TeamMember
from tests.factories import ClassroomFactory, SchoolYearFactory, StudentFactory, member
from tests.schools.bundles import ENROLLMENTS, SESSIONS, bundle
from tests.schools.test_roster_import import run
from tests.screeners.builders import add_result, make_screener, make_window, set_bands

ROOT = Path(__file__).resolve().parent.parent.parent
SCANNED = ["crsys", "districts", "schools", "teams", "continuum", "screeners", "bench"]
THE_RULE = "schools/models.py"

# Ways of deciding "current" other than the rule: a blank end date taken to mean "still
# there", or the enrolment's own flags and dates filtered by hand.
FORBIDDEN_TEXT = [
    (re.compile(r"\b(end_date|ended_at)__isnull"), "an open end date is not 'current'"),
    (re.compile(r"\b(end_date|ended_at)\s+IS\s+NULL(?!\s+OR)", re.I), "SQL: an open end date"),
    (re.compile(r"enrolments__(is_active|start_date|end_date)"), "enrolment flags by hand"),
]
ENROLMENT_FIELDS = re.compile(r"^(is_active|start_date|end_date)(__|$)")


def _sources():
    for app in SCANNED:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def _hand_filters_on_enrolments(source: str) -> list[int]:
    """Lines of ``Enrolment.objects…filter/exclude(is_active=…, end_date…=…)``: a hand-made
    'current' on the Enrolment manager instead of ``.current(on=…)``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in {"filter", "exclude", "get"}:
            continue
        if "Enrolment.objects" not in ast.unparse(node.func.value):
            continue
        if any(k.arg and ENROLMENT_FIELDS.match(k.arg) for k in node.keywords):
            lines.append(node.lineno)
    return lines


def offenders_in(path_name: str, source: str) -> list[str]:
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        for pattern, why in FORBIDDEN_TEXT:
            if pattern.search(line):
                found.append(f"{path_name}:{number}: {why}: {line.strip()}")
    found += [
        f"{path_name}:{n}: filter Enrolment.objects with .current(on=…)"
        for n in _hand_filters_on_enrolments(source)
    ]
    return found


def test_current_is_decided_by_the_one_rule_everywhere():
    offenders = []
    for path in _sources():
        name = str(path.relative_to(ROOT))
        if name != THE_RULE:
            offenders += offenders_in(name, path.read_text())
    assert offenders == [], "use schools.models.current_enrolment (or its SQL twin)"


@pytest.mark.parametrize(
    "old",
    [
        "Enrolment.objects.for_district(d).filter(is_active=True, end_date__isnull=True)",
        "Enrolment.objects.filter(classroom=c, is_active=True)",
        "Student.objects.filter(enrolments__is_active=True, enrolments__classroom=c)",
        'SQL = "JOIN schools_enrolment e ON e.is_active AND e.end_date IS NULL"',
    ],
)
def test_the_code_rule_catches_the_old_ways(old):
    # The code this issue replaced, in each of its forms: the rule would have failed on it.
    assert offenders_in("x.py", old + "\n")


def test_the_code_rule_lets_the_rule_through():
    ok = (
        "Enrolment.objects.current(on=today).filter(classroom=c)\n"
        'Student.objects.filter(current_enrolment(on=today, prefix="enrolments"))\n'
        'SQL = "(e.end_date IS NULL OR e.end_date > %(on)s)"\n'
    )
    assert offenders_in("x.py", ok) == []


# The rule itself: ORM, SQL and the definition agree --------------------------------------

TODAY = datetime.date(2026, 12, 1)
DATES = {"blank": None, "past": TODAY - datetime.timedelta(days=30), "today": TODAY,
         "future": TODAY + datetime.timedelta(days=30)}  # fmt: skip


def by_definition(e: Enrolment, on: datetime.date) -> bool:
    return (
        e.is_active
        and (e.start_date is None or e.start_date <= on)
        and (e.end_date is None or e.end_date > on)
    )


def test_orm_and_sql_rule_agree_with_the_definition(district, school):
    with district_context(district):
        year = SchoolYearFactory(district=district)
        room = ClassroomFactory(district=district, school=school, school_year=year)
        enrolments = [
            Enrolment.objects.create(
                student=StudentFactory(district=district, school=school),
                classroom=room,
                start_date=start,
                end_date=end,
                is_active=active,
            )
            for start in DATES.values()
            for end in DATES.values()
            for active in (True, False)
            if not (start and end and end < start)
        ]
        expected = {e.pk for e in enrolments if by_definition(e, TODAY)}
        orm = set(Enrolment.objects.current(on=TODAY).values_list("pk", flat=True))
        q = set(Enrolment.objects.filter(current_enrolment(on=TODAY)).values_list("pk", flat=True))
        via_student = set(
            Student.objects.filter(current_enrolment(on=TODAY, prefix="enrolments")).values_list(
                "enrolments__pk", flat=True
            )
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.id FROM schools_enrolment e WHERE e.district_id = %(d)s "
                f"AND {current_enrolment_sql('e')}",
                {"d": district.pk, "on": TODAY},
            )
            sql = {row[0] for row in cursor.fetchall()}
    assert expected == orm == q == via_student == sql
    # Begins today: there; ends today: gone (OneRoster's endDate is exclusive).
    assert 0 < len(expected) < len(enrolments)


# Behaviour, from a OneRoster bundle ------------------------------------------------------


def _bundle_with_dates(district, begin: int | None, end: int | None) -> bytes:
    """The test bundle, its school year around today, students enrolled from ``begin`` to
    ``end`` days from the district's today (None: blank), the teacher with no dates."""
    today = district_today(district)

    def _iso(days: int | None) -> str:
        return "" if days is None else (today + datetime.timedelta(days)).isoformat()

    year_start, year_end = _iso(-120), _iso(200)
    sessions = SESSIONS.replace("2026-09-01", year_start).replace("2027-06-30", year_end)
    sessions = sessions.replace("2027-01-31", year_end)
    enrollments = "\n".join(
        line if not line.startswith("e") or ",student," not in line
        else ",".join(line.split(",")[:8] + [_iso(begin), _iso(end)])
        for line in ENROLLMENTS.replace("2026-09-01", year_start).splitlines()
    ) + "\n"  # fmt: skip
    return bundle({"academicSessions.csv": sessions, "enrollments.csv": enrollments})


def _seen_by_the_teacher(district) -> dict:
    """What Tess (who teaches c1: Ada and Grace) and the principal find, on every page that
    decides who is in a class now."""

    tess = User.objects.get(email="tess@alpha.example")
    today = district_today(district)
    with district_context(district):
        room = Classroom.objects.get(sourced_id="c1")
        year = SchoolYear.objects.get(sourced_id="y1")
        layers = {x.kind: x for x in team_services.layers_ensure(district_id=district.pk)}
        team = Team.objects.create(
            layer=layers[LayerKind.COLLABORATIVE_TEAM_MEETING], school=room.school, name="G3"
        )
        TeamMember.objects.create(team=team, user=tess)
        screener = make_screener(district, grades=("03",))
        set_bands(screener)
        window = make_window(
            year, "winter", today - datetime.timedelta(3), today + datetime.timedelta(10),
            [screener],
        )  # fmt: skip
        for student in Student.objects.filter(school=room.school):
            add_result(window, screener, student, 60)
        recompute.recompute_window(district_id=district.pk, window_id=window.pk)
        in_class_counts = sum(
            BandCountSnapshot.objects.filter(
                window=window, scope="classroom", classroom=room
            ).values_list("students", flat=True)
        )
    principal = member(district, Role.PRINCIPAL, school=room.school, email="pri@alpha.example")
    client = Client()
    client.force_login(tess)

    def names(url, user=tess) -> set[str]:
        client.force_login(user)
        page = client.get(url).content.decode()
        return {n for n in ("Lovelace", "Hopper") if n in page}

    slug = {"district_slug": district.slug}

    actor = resolve_actor(user=tess, district_slug=district.slug)[1]
    with district_context(district):
        meeting = team_services.meeting_create(actor=actor, team=team, date=today)
        team_list = set(
            team_selectors.team_students(team=team, actor=actor).values_list(
                "family_name", flat=True
            )
        )

    api = APIClient()
    api.force_authenticate(tess)
    api_mine = api.get(f"/api/v1/d/{district.slug}/students/").json()["results"]
    api.force_authenticate(principal)
    api_in_class = api.get(f"/api/v1/d/{district.slug}/students/?classroom={room.pk}").json()
    client.force_login(principal)
    school_page = client.get(
        reverse("schools:school", kwargs={**slug, "school_pk": room.school_id})
    )
    counts = {c.pk: c.student_count for c in school_page.context["classrooms"]}
    coverage = client.get(
        reverse("teams:school_coverage", kwargs={**slug, "school_pk": room.school_id})
    )
    return {
        "class page": names(reverse("schools:classroom", kwargs={**slug, "classroom_pk": room.pk})),
        "result grid": names(
            reverse("screeners:result_grid", kwargs={**slug, "classroom_pk": room.pk})
        ),
        "class dashboard": names(
            reverse("screeners:classroom_dashboard", kwargs={**slug, "classroom_pk": room.pk})
        ),
        "team list": team_list & {"Lovelace", "Hopper"},
        "API: the teacher's students": {r["family_name"] for r in api_mine},
        "API: the class filter": {r["family_name"] for r in api_in_class["results"]},
        # The meeting page folds its students table; ?students=1 opens it, as without script.
        "meeting page": names(
            reverse("teams:meeting", kwargs={**slug, "meeting_pk": meeting.pk}) + "?students=1"
        ),
        "school page count": counts[room.pk],
        "coverage teams": {
            r.student.family_name: r.teams for r in coverage.context["page"].object_list
        }.get("Lovelace"),
        "class counts in the snapshot": in_class_counts,
    }


BOTH = {"Lovelace", "Hopper"}
SHOWN = {
    "class page": BOTH,
    "result grid": BOTH,
    "class dashboard": BOTH,
    "team list": BOTH,
    "API: the teacher's students": BOTH,
    "API: the class filter": BOTH,
    "meeting page": BOTH,
    "school page count": 2,
    "coverage teams": ["G3"],
    "class counts in the snapshot": 2,
}
NOT_SHOWN = {
    "class page": set(),
    "result grid": set(),
    "class dashboard": set(),
    "team list": set(),
    "API: the teacher's students": set(),
    "API: the class filter": set(),
    "meeting page": set(),
    "school page count": 0,
    "coverage teams": [],
    "class counts in the snapshot": 0,
}


@pytest.mark.parametrize(
    ("begin", "end", "expected"),
    [
        pytest.param(-30, 60, SHOWN, id="future end date: there"),
        pytest.param(-30, 1, SHOWN, id="ends tomorrow: there today"),
        pytest.param(0, None, SHOWN, id="begins today: there"),
        pytest.param(-30, 0, NOT_SHOWN, id="ends today: gone (endDate is exclusive)"),
        pytest.param(None, None, SHOWN, id="no dates: there"),
        pytest.param(-60, -1, NOT_SHOWN, id="past end date: gone"),
        pytest.param(7, 90, NOT_SHOWN, id="future begin date: not yet"),
        pytest.param(7, None, NOT_SHOWN, id="future begin date, no end date: not yet"),
    ],
)
def test_enrolment_dates_decide_who_is_in_the_class(district, begin, end, expected):
    # given: the district's OneRoster bundle, with the students' enrolment dates
    roster_import = run(district, _bundle_with_dates(district, begin, end))
    assert roster_import.status == RosterImport.Status.COMMITTED, roster_import.problems
    # when / then: every page agrees
    assert _seen_by_the_teacher(district) == expected


def test_a_withdrawal_keeps_an_enrolment_that_had_ended_and_never_ends_one_before_it_begins(
    district, school
):
    """An import's withdrawal ends enrolments today, but leaves a past end date as it was and
    ends one not yet begun where it begins (end >= start always)."""

    today = datetime.date(2026, 12, 1)
    june, march = datetime.date(2026, 6, 30), datetime.date(2027, 3, 1)
    with district_context(district):
        year = SchoolYearFactory(district=district)
        classroom = ClassroomFactory(district=district, school=school, school_year=year)
        spans = {
            "open": (None, None),
            "ends later": (None, datetime.date(2027, 6, 30)),
            "ended in June": (None, june),
            "begins in March": (march, None),
        }
        made = {
            name: Enrolment.objects.create(
                student=StudentFactory(district=district, school=school),
                classroom=classroom,
                start_date=start,
                end_date=end,
            )
            for name, (start, end) in spans.items()
        }
        Enrolment.objects.filter(pk__in=[e.pk for e in made.values()]).update(
            is_active=False, end_date=withdrawal_end_date(today)
        )
        ends = {name: Enrolment.objects.get(pk=e.pk).end_date for name, e in made.items()}
    assert ends == {
        "open": today,
        "ends later": today,
        "ended in June": june,
        "begins in March": march,
    }
