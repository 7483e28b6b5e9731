"""Every child has a team, visibly: the school page of who has (not) been discussed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crsys.tenancy.context import district_context
from districts.models import Role
from screeners.models import ScreenerResult
from screeners.recompute import recompute_window
from tests.factories import (
    ClassroomFactory,
    SchoolYearFactory,
    StudentFactory,
    TeamFactory,
    enrol,
    member,
    teach,
)
from tests.screeners.fixtures import screened_class
from tests.teams.conftest import discuss_ada

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_and_high(district, school):
    """A screened class of two: one scored 10 (intensive), one 90, the window recomputed."""
    screened = screened_class(district, school, students=2)
    low, high = screened["students"]
    with district_context(district):
        for student, score in ((low, 10), (high, 90)):
            ScreenerResult.objects.create(
                student=student,
                screener=screened["reading"],
                window=screened["window"],
                score=score,
            )
        recompute_window(district_id=district.pk, window_id=screened["window"].pk)
    return screened, low, high


def test_undiscussed_students_in_the_intensive_band_stand_out(
    client, district, school, world, low_and_high, django_assert_max_num_queries
):
    _, low, high = low_and_high
    with district_context(district):
        discuss_ada(district, world)
        # the meeting happened within this cycle
        world["meeting"].date = datetime.date.today()
        world["meeting"].save()
    principal = member(district, Role.PRINCIPAL, school=school)
    client.force_login(principal)
    url = f"/d/alpha/schools/{school.pk}/teams/"
    # 16, the supports to check (unsupported students, open plans: continuum.alerts), and
    # the audit event every page that shows students appends (ADR 11).
    with django_assert_max_num_queries(19):
        body = client.get(url).content.decode()
    body = body[body.index('id="students-heading"') :]  # the list, not the supports to check
    first_row = body.index(low.family_name)
    assert first_row < body.index(high.family_name) < body.index(world["ada"].family_name)
    assert "Most need" in body[first_row : first_row + 600]
    assert "Most need" not in body[body.index(high.family_name) :]
    assert "Grade 3 team" in body  # Ada was discussed by her team
    client.force_login(world["tess"])
    assert client.get(url).status_code == 403


def _grade5_without_team(district, school, n):
    """A grade 5 class whose teacher is on no team: none of its students has a team."""
    with district_context(district):
        year = SchoolYearFactory(district=district)
        room = ClassroomFactory(district=district, school=school, school_year=year, grades=["05"])
        kids = [
            StudentFactory(district=district, school=school, grade="05", given_name=f"Five{i}")
            for i in range(n)
        ]
        for kid in kids:
            enrol(kid, room)
    teach(member(district, Role.TEACHER, school=school), room)
    return kids


def _rows(body: str) -> list[str]:
    """The student column of the listed rows, in order."""
    table = body.split('aria-labelledby="students-heading"')[1].split("</table>")[0]
    return [cell.split("</a>")[0].split(">")[-1] for cell in table.split('<th scope="row">')[1:]]


def test_students_with_no_team_come_first_and_a_whole_grade_without_a_team_shows(
    client, district, school, world
):
    # given: Ada is in the Grade 3 team (not discussed this cycle); grade 5 has no team
    kids = _grade5_without_team(district, school, 3)
    client.force_login(member(district, Role.PRINCIPAL, school=school))
    url = f"/d/alpha/schools/{school.pk}/teams/"
    # when
    body = client.get(url).content.decode()
    # then: the figures count "has a team" apart from "discussed"
    assert "<strong>4</strong> students" in body
    assert "<strong>3</strong> with no team" in body
    assert "<strong>1</strong> not discussed this cycle" in body
    assert "<strong>0</strong> discussed this cycle" in body
    whole = body.split('id="whole-grades"')[1].split("</p>")[0]
    assert "No team for Grade 5:" in whole and "Grade 3" not in whole
    names = _rows(body)
    assert names[-1].startswith(world["ada"].family_name)
    assert {n.split(",")[0] for n in names[:3]} == {k.family_name for k in kids}
    # and each filter narrows the list, the figures following grade and band
    only = client.get(url, {"status": "not_discussed"}).content.decode()
    assert [n.split(",")[0] for n in _rows(only)] == [world["ada"].family_name]
    grade5 = client.get(url, {"grade": "05"}).content.decode()
    assert len(_rows(grade5)) == 3 and "<strong>3</strong> students" in grade5
    assert "<strong>0</strong> not discussed" in grade5
    nothing = client.get(url, {"band": "-", "status": "discussed"}).content.decode()
    assert "No student matches" in nothing
    refused = client.get(url, {"grade": "ZZ", "status": "no_team"}).content.decode()
    assert "Grade: Select a valid choice" in refused and len(_rows(refused)) == 3


def test_the_band_filter_keeps_the_students_in_that_band(
    client, district, school, world, low_and_high
):
    _, low, high = low_and_high
    client.force_login(member(district, Role.PRINCIPAL, school=school))
    url = f"/d/alpha/schools/{school.pk}/teams/"
    body = client.get(url, {"band": "Intensive"}).content.decode()
    assert [n.split(",")[0] for n in _rows(body)] == [low.family_name]
    unscreened = client.get(url, {"band": "-"}).content.decode()
    assert [n.split(",")[0] for n in _rows(unscreened)] == [world["ada"].family_name]


def test_the_list_comes_fifty_students_a_page(client, district, school, world):
    _grade5_without_team(district, school, 54)
    client.force_login(member(district, Role.PRINCIPAL, school=school))
    url = f"/d/alpha/schools/{school.pk}/teams/"
    first = client.get(url, {"grade": "05"}).content.decode()
    assert len(_rows(first)) == 50 and "Students 1–50 of 54" in first
    assert "Page 1 of 2" in first and "?grade=05&amp;page=2" in first
    second = client.get(url, {"grade": "05", "page": 2}).content.decode()
    assert len(_rows(second)) == 4 and "Students 51–54 of 54" in second
    assert client.get(url, {"page": "junk"}).status_code == 200


def _coverage_queries(client, url) -> int:

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_a_small_or_a_large_school(
    client, district, school, world, django_assert_max_num_queries
):
    screened = screened_class(district, school, students=2)
    with district_context(district):
        for student in screened["students"]:
            ScreenerResult.objects.create(
                student=student, screener=screened["reading"], window=screened["window"], score=50
            )
        recompute_window(district_id=district.pk, window_id=screened["window"].pk)
    client.force_login(member(district, Role.PRINCIPAL, school=school))
    url = f"/d/alpha/schools/{school.pk}/teams/"
    few = _coverage_queries(client, url)
    _grade5_without_team(district, school, 60)
    with district_context(district):
        for n in range(3):
            TeamFactory(district=district, school=school, name=f"Team {n}", members=[world["tess"]])
    discuss_ada(district, world)
    many = _coverage_queries(client, url)
    assert few == many
    # 16, the supports to check (unsupported students, open plans: continuum.alerts), and
    # the audit event every page that shows students appends (ADR 11).
    with django_assert_max_num_queries(19):
        client.get(url)
