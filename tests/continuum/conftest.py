"""The continuum's scene: two schools, their principals, a teacher, a district admin, and
a support on each continuum (the divisional one, and each school's own)."""

from __future__ import annotations

import datetime

import pytest

from continuum import services
from continuum.models import FocusArea, Tier
from crsys.tenancy.context import district_context
from districts.models import Role
from schools.selectors import district_today
from tests.factories import (
    ClassroomFactory,
    SchoolFactory,
    SchoolYearFactory,
    StudentFactory,
    enrol,
    member,
    teach,
)
from tests.teams.conftest import actor_of


@pytest.fixture
def scene(district):
    services.continuum_defaults_ensure(district_id=district.pk)
    aspen = SchoolFactory(district=district, name="Aspen School", code="ASP")
    birch = SchoolFactory(district=district, name="Birch School", code="BIR")
    people = {
        "admin": member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example"),
        "principal": member(district, Role.PRINCIPAL, school=aspen, email="pat@alpha.example"),
        "teacher": member(district, Role.TEACHER, school=aspen, email="tess@alpha.example"),
        "birch_principal": member(district, Role.PRINCIPAL, school=birch, email="bo@alpha.example"),
    }
    with district_context(district):
        areas = {a.key: a for a in FocusArea.objects.all()}
        tiers = {t.number: t for t in Tier.objects.all()}
        admin = actor_of(people["admin"], district)
        divisional = services.support_create(
            actor=admin, school_id=None, name="Check-in / check-out",
            focus_area=areas["well_being"], tier=tiers[2], provider="Classroom teacher",
        )  # fmt: skip
        aspen_own = services.support_create(
            actor=actor_of(people["principal"], district), school_id=aspen.pk,
            name="Aspen reading buddies", focus_area=areas["literacy"], tier=tiers[2],
        )  # fmt: skip
        birch_own = services.support_create(
            actor=actor_of(people["birch_principal"], district), school_id=birch.pk,
            name="Birch math club", focus_area=areas["numeracy"], tier=tiers[3],
        )  # fmt: skip
    return {
        "district": district, "aspen": aspen, "birch": birch, "areas": areas, "tiers": tiers,
        "divisional": divisional, "aspen_own": aspen_own, "birch_own": birch_own, **people,
    }  # fmt: skip


@pytest.fixture
def pupils(scene):
    district = scene["district"]
    today = district_today(district)
    with district_context(district):
        year = SchoolYearFactory(
            district=district, start_date=today - datetime.timedelta(days=60),
            end_date=today + datetime.timedelta(days=250),
        )  # fmt: skip
        room = ClassroomFactory(district=district, school=scene["aspen"], school_year=year)
        mine = StudentFactory(district=district, school=scene["aspen"], given_name="Mia")
        enrol(mine, room)
        teach(scene["teacher"], room)
        theirs = StudentFactory(district=district, school=scene["birch"], given_name="Bo")
    return {"mine": mine, "theirs": theirs, "today": today}
