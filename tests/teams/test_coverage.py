"""Every child has a team, visibly: the school page of who has (not) been discussed."""

import datetime

import pytest

from crsys.tenancy.context import district_context
from districts.models import Role
from screeners.models import ScreenerResult
from screeners.recompute import recompute_window
from tests.factories import member
from tests.screeners.fixtures import screened_class
from tests.teams.conftest import discuss_ada

pytestmark = pytest.mark.django_db


def test_undiscussed_students_in_the_intensive_band_stand_out(
    client, district, school, world, django_assert_max_num_queries
):
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
        discuss_ada(district, world)
        # the meeting happened within this cycle
        world["meeting"].date = datetime.date.today()
        world["meeting"].save()
    principal = member(district, Role.PRINCIPAL, school=school)
    client.force_login(principal)
    url = f"/d/alpha/schools/{school.pk}/teams/"
    with django_assert_max_num_queries(16):
        body = client.get(url).content.decode()
    first_row = body.index(low.family_name)
    assert first_row < body.index(high.family_name) < body.index(world["ada"].family_name)
    assert "Intensive, not discussed" in body[first_row : first_row + 600]
    assert "Grade 3 team" in body  # Ada was discussed by her team
    client.force_login(world["tess"])
    assert client.get(url).status_code == 403
