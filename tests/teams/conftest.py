"""A collaborative team with two teachers, a student and a first meeting."""

import datetime

import pytest

from crsys.tenancy.context import district_context
from districts.models import Role
from teams import services
from tests.factories import (
    ClassroomFactory,
    SchoolYearFactory,
    StudentFactory,
    TeamFactory,
    TeamMemberFactory,
    actor_of,
    enrol,
    member,
    teach,
)


@pytest.fixture
def world(district, school):
    with district_context(district):
        team = TeamFactory(district=district, school=school, name="Grade 3 team")
        year = SchoolYearFactory(district=district)
        room = ClassroomFactory(district=district, school=school, school_year=year)
        ada = StudentFactory(district=district, school=school, given_name="Ada")
        enrol(ada, room)
    tess = member(district, Role.TEACHER, school=school, email="tess@alpha.example")
    teo = member(district, Role.TEACHER, school=school, email="teo@alpha.example")
    outsider = member(district, Role.TEACHER, school=school, email="out@alpha.example")
    teach(tess, room)
    with district_context(district):
        for user in (tess, teo):
            TeamMemberFactory(team=team, user=user)
        meeting = services.meeting_create(
            actor=actor_of(tess, district), team=team, date=datetime.date(2026, 10, 1)
        )
    return {
        "team": team,
        "meeting": meeting,
        "ada": ada,
        "tess": tess,
        "teo": teo,
        "outsider": outsider,
    }


def discuss_ada(district, world):
    """Tess puts Ada on the team's meeting: the discussion most tests start from."""
    with district_context(district):
        return services.discussion_add(
            actor=actor_of(world["tess"], district),
            meeting=world["meeting"],
            student=world["ada"],
            user=world["tess"],
        )
