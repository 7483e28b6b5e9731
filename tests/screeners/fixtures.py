"""A small screened district for the API and import tests."""

import datetime
from decimal import Decimal

from crsys.tenancy.context import district_context
from districts.models import Role
from districts.permissions import SYSTEM
from screeners import services
from screeners.bands import BandSpec
from screeners.models import ScreeningWindow
from tests.factories import (
    ClassroomFactory,
    SchoolYearFactory,
    ScreenerFactory,
    StudentFactory,
    enrol,
    member,
    teach,
)

BANDS = [
    BandSpec("Intensive", "Intensive support", "#c62828", Decimal(0), Decimal(39)),
    BandSpec("Strategic", "Strategic support", "#f9a825", Decimal(40), Decimal(59)),
    BandSpec("At benchmark", "At or above benchmark", "#2e7d32", Decimal(60), Decimal(100), True),
]


def screened_class(district, school, *, open_window: bool = True, students: int = 3) -> dict:
    today = datetime.date.today()
    with district_context(district):
        year = SchoolYearFactory(
            district=district,
            start_date=today - datetime.timedelta(days=60),
            end_date=today + datetime.timedelta(days=250),
        )
        room = ClassroomFactory(district=district, school=school, school_year=year)
        reading = ScreenerFactory(district=district, name="Reading", grades=["03"])
        services.bands_replace(
            actor=SYSTEM, screener=reading, grade="03", season="fall", bands=BANDS
        )
        opens = today - datetime.timedelta(days=10 if open_window else 40)
        closes = (
            today + datetime.timedelta(days=10)
            if open_window
            else today - datetime.timedelta(days=5)
        )
        window = ScreeningWindow.objects.create(
            school_year=year, season="fall", opens_on=opens, closes_on=closes
        )
        window.screeners.add(reading)
        kids = [
            StudentFactory(district=district, school=school, grade="03", student_number=f"70{n}")
            for n in range(students)
        ]
        for kid in kids:
            enrol(kid, room)
    teacher = member(district, Role.TEACHER, school=school)
    teach(teacher, room)
    return {
        "year": year,
        "room": room,
        "reading": reading,
        "window": window,
        "students": kids,
        "teacher": teacher,
    }
