"""The leadership scene: two school years, two schools, a screener whose snapshot counts give
each school a result in both years, a literacy priority with a screener measure and a
figure measure, and one person per role."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from crsys.tenancy.context import district_context
from districts.models import Role
from leadership import services
from leadership.models import AssuranceArea
from screeners.models import BandCountSnapshot, BenchmarkBand, ScreeningWindow
from tests.factories import SchoolFactory, SchoolYearFactory, ScreenerFactory, actor_of, member


def counts(window, screener, band_met, band_not, school, met: int, not_met: int) -> None:
    for band, n in ((band_met, met), (band_not, not_met)):
        BandCountSnapshot.objects.create(
            district=window.district, window=window, screener=screener, scope="grade",
            school=school, grade="03", band=band, band_rank=band.rank,
            meets_benchmark=band.meets_benchmark, students=n,
        )  # fmt: skip


@pytest.fixture
def scene(district):
    services.leadership_defaults_ensure(district_id=district.pk)
    today = datetime.date.today()
    last = SchoolYearFactory(
        district=district, name="Last year", start_date=today - datetime.timedelta(days=500),
        end_date=today - datetime.timedelta(days=200),
    )  # fmt: skip
    year = SchoolYearFactory(
        district=district, name="This year", start_date=today - datetime.timedelta(days=100),
        end_date=today + datetime.timedelta(days=200),
    )  # fmt: skip
    aspen = SchoolFactory(district=district, name="Aspen School", code="ASP", grades=["KG", "03"])
    birch = SchoolFactory(district=district, name="Birch School", code="BIR", grades=["10"])
    people = {
        "admin": member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example"),
        "leader": member(district, Role.DISTRICT_LEADER, email="lee@alpha.example",
                         full_name="Lee Leader"),
        "principal": member(district, Role.PRINCIPAL, school=aspen, email="pat@alpha.example",
                            full_name="Pat Principal"),
        "teacher": member(district, Role.TEACHER, school=aspen, email="tess@alpha.example"),
        "birch_principal": member(district, Role.PRINCIPAL, school=birch, email="bo@alpha.example"),
    }  # fmt: skip
    with district_context(district):
        screener = ScreenerFactory(district=district, name="Reading check")
        met = BenchmarkBand.objects.create(
            district=district, screener=screener, grade="03", season="spring", name="At",
            label="At benchmark", colour="#1b7837", min_score=50, max_score=100, rank=1,
            meets_benchmark=True,
        )  # fmt: skip
        not_met = BenchmarkBand.objects.create(
            district=district, screener=screener, grade="03", season="spring", name="Below",
            label="Below benchmark", colour="#d73027", min_score=0, max_score=49, rank=0,
        )  # fmt: skip
        windows = {}
        for key, y in (("last", last), ("this", year)):
            w = ScreeningWindow.objects.create(
                district=district, school_year=y, season="spring", opens_on=y.start_date,
                closes_on=y.start_date + datetime.timedelta(days=20),
            )  # fmt: skip
            w.screeners.add(screener)
            windows[key] = w
        # Aspen: 80% → 30% (very low, declined significantly: concern).
        # Birch: 70% → 90% (very high, improved significantly: excellent).
        counts(windows["last"], screener, met, not_met, aspen, 8, 2)
        counts(windows["this"], screener, met, not_met, aspen, 3, 7)
        counts(windows["last"], screener, met, not_met, birch, 7, 3)
        counts(windows["this"], screener, met, not_met, birch, 9, 1)
        areas = {a.key: a for a in AssuranceArea.objects.all()}
        leader = actor_of(people["leader"], district)
        priority = services.priority_save(
            actor=leader, school_year=year, area=areas["growth"], title="Every child reads",
        )  # fmt: skip
        old_priority = services.priority_save(
            actor=leader, school_year=last, area=areas["growth"], title="Last year's reading",
        )  # fmt: skip
        literacy = services.measure_save(
            actor=leader, priority=priority, name="% at benchmark, grade 3 reading, spring",
            kind="lag", source="screener", screener=screener, grade="03", season="spring",
            target=Decimal(75),
        )  # fmt: skip
        belonging = services.priority_save(
            actor=leader, school_year=year, area=areas["supports"], title="Students belong",
        )  # fmt: skip
        survey = services.measure_save(
            actor=leader, priority=belonging, name="Students who feel they belong",
            kind="lead", source="survey", target=Decimal(85),
        )  # fmt: skip
    return {
        "district": district, "year": year, "last": last, "aspen": aspen, "birch": birch,
        "screener": screener, "windows": windows, "areas": areas, "priority": priority,
        "old_priority": old_priority, "literacy": literacy, "belonging": belonging,
        "survey": survey, **people,
    }  # fmt: skip
