import datetime

import pytest
from rest_framework.test import APIClient

from districts.models import Role
from schools.models import Classroom, StudentFlag, StudentFlagValue
from tests.factories import (
    ClassroomFactory,
    SchoolFactory,
    SchoolYearFactory,
    StudentFactory,
    enrol,
    member,
    teach,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def roster(district, school):
    year = SchoolYearFactory(district=district)
    room = ClassroomFactory(district=district, school=school, school_year=year, name="3A",
                            grades=["03"])  # fmt: skip
    other_room = ClassroomFactory(district=district, school=school, school_year=year, name="4B",
                                  grades=["04"])  # fmt: skip
    other_school = SchoolFactory(district=district, name="Elsewhere")
    mine = StudentFactory(district=district, school=school, given_name="Mina", grade="03")
    theirs = StudentFactory(district=district, school=school, given_name="Theo", grade="04")
    far = StudentFactory(district=district, school=other_school, given_name="Farah")
    enrol(mine, room)
    enrol(theirs, other_room)
    return {"room": room, "other_room": other_room, "mine": mine, "theirs": theirs, "far": far,
            "year": year, "other_school": other_school}  # fmt: skip


def names(response):
    assert response.status_code == 200, response.content
    return sorted(s["given_name"] for s in response.json()["results"])


def test_students_per_role(api, district, school, roster):
    teacher = member(district, Role.TEACHER, school=school)
    teach(teacher, roster["room"])
    principal = member(district, Role.PRINCIPAL, school=school)
    leader = member(district, Role.DISTRICT_LEADER)
    support_elsewhere = member(district, Role.SUPPORT_STAFF, school=roster["other_school"])
    cases = [
        (teacher, ["Mina"]),
        (principal, ["Mina", "Theo"]),
        (leader, ["Farah", "Mina", "Theo"]),
        (support_elsewhere, ["Farah"]),
    ]
    for user, expected in cases:
        api.force_authenticate(user)
        assert names(api.get("/api/v1/d/alpha/students/")) == expected


def test_student_filters(api, admin_user, roster, school):
    api.force_authenticate(admin_user)
    base = "/api/v1/d/alpha/students/"
    assert names(api.get(f"{base}?classroom={roster['room'].pk}")) == ["Mina"]
    assert names(api.get(f"{base}?grade=04")) == ["Theo"]
    assert names(api.get(f"{base}?school={school.pk}")) == ["Mina", "Theo"]
    assert names(api.get(f"{base}?search=far")) == ["Farah"]
    number = roster["theirs"].student_number
    assert names(api.get(f"{base}?search={number}")) == ["Theo"]


def test_classroom_grade_filter(api, admin_user, roster):
    api.force_authenticate(admin_user)
    response = api.get("/api/v1/d/alpha/classrooms/?grade=04")
    assert [c["name"] for c in response.json()["results"]] == ["4B"]


def test_sensitive_flags_only_for_roles_that_may_see_them(api, district, school, roster):
    ell = StudentFlag.objects.create(district=district, code="ell", label="ELL", sensitive=True)
    new = StudentFlag.objects.create(district=district, code="new", label="New", sensitive=False)
    for flag in (ell, new):
        StudentFlagValue.objects.create(district=district, student=roster["mine"], flag=flag)
    teacher = member(district, Role.TEACHER, school=school)
    teach(teacher, roster["room"])
    principal = member(district, Role.PRINCIPAL, school=school)
    url = f"/api/v1/d/alpha/students/{roster['mine'].pk}/"
    api.force_authenticate(teacher)
    assert api.get(url).json()["flags"] == ["new"]
    api.force_authenticate(principal)
    assert sorted(api.get(url).json()["flags"]) == ["ell", "new"]


def test_admin_writes_and_others_cannot(api, district, admin_user, teacher_user, school, roster):
    payload = {"name": "5C", "school": school.pk, "school_year": roster["year"].pk,
               "grades": ["05"]}  # fmt: skip
    api.force_authenticate(teacher_user)
    assert api.post("/api/v1/d/alpha/classrooms/", payload, format="json").status_code == 403
    api.force_authenticate(admin_user)
    response = api.post("/api/v1/d/alpha/classrooms/", payload, format="json")
    assert response.status_code == 201, response.content
    assert Classroom.objects.for_district(district).filter(name="5C").exists()
    bad = api.post("/api/v1/d/alpha/classrooms/", {**payload, "grades": ["13b"]}, format="json")
    assert bad.status_code == 400 and "grades" in bad.json()
    assert api.delete(f"/api/v1/d/alpha/students/{roster['mine'].pk}/").status_code == 405


def test_ids_of_another_district_are_refused_in_payloads(api, district, other_district, roster):
    foreign_school = SchoolFactory(district=other_district)
    admin = member(district, Role.DISTRICT_ADMIN)
    api.force_authenticate(admin)
    payload = {"name": "X", "school": foreign_school.pk, "school_year": roster["year"].pk}
    response = api.post("/api/v1/d/alpha/classrooms/", payload, format="json")
    assert response.status_code == 400
    assert "school" in response.json()
    assert not Classroom.objects.for_district(other_district).exists()


def test_student_list_query_count(api, admin_user, district, school, roster,
                                  django_assert_max_num_queries):  # fmt: skip
    for _ in range(30):
        StudentFactory(district=district, school=school)
    api.force_authenticate(admin_user)
    with django_assert_max_num_queries(10):
        response = api.get("/api/v1/d/alpha/students/")
    assert response.json()["count"] == 33


def test_school_years_never_overlap_through_the_api_either(client, district, admin_user):
    SchoolYearFactory(
        district=district,
        name="2026–2027",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    client.force_login(admin_user)
    response = client.post(
        "/api/v1/d/alpha/school-years/",
        {"name": "Overlap", "start_date": "2026-10-01", "end_date": "2027-09-30"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "overlaps 2026–2027" in response.json()["start_date"][0]
