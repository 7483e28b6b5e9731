"""Rostering pages: schools, school, classroom, student profile and student search.

Who sees which student (DESIGN §4) is decided in ``schools.selectors.visible_students``; these
tests check it through the pages a person actually opens.
"""

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from districts.models import Role
from schools.models import StaffAssignment, StudentFlag, StudentFlagValue
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

FAMILY = "Rowan"  # every roster student's family name, so one search lists all one may see
ALL = {"Mina", "Theo", "Enda", "Wendy", "Farah"}
AT_SCHOOL = {"Mina", "Theo", "Enda", "Wendy"}


@pytest.fixture
def year(district):
    today = timezone.localdate()
    return SchoolYearFactory(
        district=district, name="This year", start_date=today - datetime.timedelta(days=90),
        end_date=today + datetime.timedelta(days=200),
    )  # fmt: skip


@pytest.fixture
def roster(district, school, year, teacher_user):
    """At Alpha Elementary: 3A (taught by ``teacher_user``) and 4B; Elsewhere Middle: 7C.

    Mina is in 3A now; Enda left 3A (end date); Wendy's 3A enrolment was withdrawn
    (inactive); Theo is in 4B; Farah is at the other school.
    """
    other_school = SchoolFactory(district=district, name="Elsewhere Middle", code="EM")
    room = ClassroomFactory(district=district, school=school, school_year=year, name="3A",
                            grades=["03"])  # fmt: skip
    other_room = ClassroomFactory(district=district, school=school, school_year=year, name="4B",
                                  grades=["04"])  # fmt: skip
    far_room = ClassroomFactory(district=district, school=other_school, school_year=year,
                                name="7C", grades=["07"])  # fmt: skip

    def student(given, number, grade="03", at=school):
        return StudentFactory(district=district, school=at, given_name=given,
                              family_name=FAMILY, student_number=number, grade=grade)  # fmt: skip

    mina = student("Mina", "310001")
    theo = student("Theo", "310002", grade="04")
    enda = student("Enda", "310003")
    wendy = student("Wendy", "310004")
    farah = student("Farah", "420001", grade="07", at=other_school)
    enrol(mina, room, start_date=year.start_date)
    enrol(theo, other_room, start_date=year.start_date)
    enrol(enda, room, start_date=year.start_date, end_date=timezone.localdate())
    enrol(wendy, room, start_date=year.start_date, is_active=False)
    enrol(farah, far_room, start_date=year.start_date)
    teach(teacher_user, room)
    return {"room": room, "other_room": other_room, "far_room": far_room,
            "other_school": other_school, "mina": mina, "theo": theo, "enda": enda,
            "wendy": wendy, "farah": farah}  # fmt: skip


def user_for(district, school, roster, who):
    """A user of alpha for one line of the visibility table."""
    if who == "admin":
        return member(district, Role.DISTRICT_ADMIN)
    if who == "leader":
        return member(district, Role.DISTRICT_LEADER)
    if who == "other_support":
        return member(district, Role.SUPPORT_STAFF, school=roster["other_school"])
    return member(district, Role(who), school=school)


def get(client, user, path, **extra):
    client.force_login(user)
    return client.get(path, **extra)


def body_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def result_names(response) -> set[str]:
    """Given names in the search results table."""
    results = body_of(response).split('id="results"', 1)[1]
    return set(re.findall(rf"{FAMILY}, (\w+)</a>", results))


def search(client, q, **extra):
    return client.get("/d/alpha/students/", {"q": q}, **extra)


# 1. Who sees which student ------------------------------------------------------------------

VISIBILITY = [
    ("teacher", {"Mina"}),
    ("principal", AT_SCHOOL),
    ("vice_principal", AT_SCHOOL),
    ("support_staff", AT_SCHOOL),
    ("other_support", {"Farah"}),
    ("district_leader", ALL),
    ("district_admin", ALL),
]


@pytest.mark.parametrize(("who", "visible"), VISIBILITY)
def test_student_page_and_search_per_role(client, district, school, roster, teacher_user,
                                          who, visible):  # fmt: skip
    if who == "teacher":
        user = teacher_user  # teaches 3A
    elif who.startswith("district"):
        user = user_for(district, school, roster, who.removeprefix("district_"))
    else:
        user = user_for(district, school, roster, who)
    client.force_login(user)
    for name in ALL:
        status = client.get(f"/d/alpha/students/{roster[name.lower()].pk}/").status_code
        assert status == (200 if name in visible else 404), (who, name)
    assert result_names(search(client, FAMILY)) == visible


def test_teacher_sees_only_current_active_enrolments_in_classes_they_teach(
    client, roster, teacher_user
):
    client.force_login(teacher_user)
    assert client.get(f"/d/alpha/students/{roster['mina'].pk}/").status_code == 200
    for name in ("enda", "wendy", "theo", "farah"):  # ended, withdrawn, not taught, elsewhere
        assert client.get(f"/d/alpha/students/{roster[name].pk}/").status_code == 404, name
        assert result_names(search(client, roster[name].given_name)) == set()
        assert result_names(search(client, roster[name].student_number)) == set()


def test_teacher_who_no_longer_teaches_the_class_sees_nobody(client, roster, teacher_user):

    StaffAssignment.objects.for_district(roster["room"].district_id).filter(
        user=teacher_user
    ).update(is_active=False)
    client.force_login(teacher_user)
    assert client.get(f"/d/alpha/students/{roster['mina'].pk}/").status_code == 404
    assert client.get(f"/d/alpha/classrooms/{roster['room'].pk}/").status_code == 404
    assert result_names(search(client, FAMILY)) == set()


def test_another_districts_ids_are_not_found_under_alpha(
    client, district, other_district, admin_user, roster
):
    beta_school = SchoolFactory(district=other_district, name="Beta High")
    beta_room = ClassroomFactory(district=other_district, school=beta_school)
    beta_student = StudentFactory(district=other_district, school=beta_school,
                                  given_name="Bea", family_name=FAMILY)  # fmt: skip
    enrol(beta_student, beta_room)
    client.force_login(admin_user)
    assert client.get(f"/d/alpha/students/{beta_student.pk}/").status_code == 404
    assert client.get(f"/d/alpha/schools/{beta_school.pk}/").status_code == 404
    assert client.get(f"/d/alpha/classrooms/{beta_room.pk}/").status_code == 404
    assert "Bea" not in result_names(search(client, FAMILY))
    assert result_names(search(client, beta_student.student_number)) == set()
    assert "Beta High" not in body_of(client.get("/d/alpha/schools/"))


# 2. Search ----------------------------------------------------------------------------------


def test_search_by_name_fragment_and_student_number_prefix(client, admin_user, roster):
    client.force_login(admin_user)
    assert result_names(search(client, "ina")) == {"Mina"}  # inside the given name
    assert result_names(search(client, "OWA")) == ALL  # inside the family name, any case
    assert result_names(search(client, "3100")) == {"Mina", "Theo", "Enda", "Wendy"}
    assert result_names(search(client, "310002")) == {"Theo"}  # exact number
    assert result_names(search(client, "0002")) == set()  # a number matches by prefix only


def test_search_by_preferred_name(client, district, admin_user, roster):
    roster["wendy"].preferred_name = "Winnie"
    roster["wendy"].save()
    client.force_login(admin_user)
    assert result_names(search(client, "winn")) == {"Winnie"}  # the list shows preferred names


def test_search_every_word_must_match(client, admin_user, roster):
    client.force_login(admin_user)
    assert result_names(search(client, "mina rowan")) == {"Mina"}
    assert result_names(search(client, "  rowan   4200 ")) == {"Farah"}
    response = search(client, "mina theo")
    assert result_names(response) == set()
    assert "No student you can see matches" in body_of(response)


def test_search_leaves_out_withdrawn_students_and_shows_nothing_without_a_query(
    client, admin_user, roster
):
    roster["theo"].is_active = False
    roster["theo"].save()
    client.force_login(admin_user)
    assert result_names(search(client, FAMILY)) == ALL - {"Theo"}
    body = body_of(client.get("/d/alpha/students/"))
    assert "<table" not in body and "No student you can see matches" not in body


def test_htmx_search_returns_only_the_results_partial(client, admin_user, roster):
    client.force_login(admin_user)
    response = search(client, "mina", HTTP_HX_REQUEST="true")
    body = body_of(response)
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body and "<form" not in body and "Find a student</h1>" not in body
    assert result_names(response) == {"Mina"}
    full = body_of(search(client, "mina"))
    assert "<html" in full and 'role="search"' in full and "Rowan, Mina" in full


# htmx 2 sends HX-Request: true with HX-History-Restore-Request: true on Back after a cache
# miss and swaps the answer into <body>: it needs the whole page. The partial and the page share
# a URL (hx-push-url), so the response must vary on HX-Request for the browser cache.
def test_htmx_history_restore_gets_the_whole_page_and_responses_vary_on_hx_request(
    client, admin_user, roster
):
    client.force_login(admin_user)
    partial = search(client, "mina", HTTP_HX_REQUEST="true")
    restore = search(client, "mina", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    vary = {h.strip().lower() for h in partial.get("Vary", "").split(",")}
    assert "hx-request" in vary
    assert "<html" in body_of(restore) and 'role="search"' in body_of(restore)


# 3. Student profile -------------------------------------------------------------------------


@pytest.fixture
def flags(district, roster):
    ell = StudentFlag.objects.create(district=district, code="ell",
                                     label="English-language learner", sensitive=True)  # fmt: skip
    new = StudentFlag.objects.create(district=district, code="new", label="New to the school",
                                     sensitive=False)  # fmt: skip
    for flag in (ell, new):
        StudentFlagValue.objects.create(district=district, student=roster["mina"], flag=flag)
    return ell, new


@pytest.mark.parametrize(
    ("who", "sees_sensitive"),
    [
        ("principal", True),
        ("vice_principal", True),
        ("support_staff", True),
        ("admin", True),
        ("teacher", False),  # teaches Mina
        ("leader", False),
    ],
)
def test_sensitive_flags_only_for_roles_that_may_see_them(client, district, school, roster,
                                                          teacher_user, flags, who,
                                                          sees_sensitive):  # fmt: skip
    user = teacher_user if who == "teacher" else user_for(district, school, roster, who)
    body = body_of(get(client, user, f"/d/alpha/students/{roster['mina'].pk}/"))
    assert '<li class="flag">New to the school</li>' in body
    assert ('<li class="flag">English-language learner</li>' in body) == sees_sensitive
    assert ("English-language learner" in body) == sees_sensitive  # nowhere else either


def test_sensitive_flag_needs_the_capability_at_the_students_school(
    client, district, roster, flags
):
    # A support worker elsewhere who also teaches Mina's class sees her, not her ELL flag.
    user = member(district, Role.SUPPORT_STAFF, school=roster["other_school"])
    teach(user, roster["room"])
    body = body_of(get(client, user, f"/d/alpha/students/{roster['mina'].pk}/"))
    assert "New to the school" in body and "English-language learner" not in body


def enrolment_rows(body: str) -> list[tuple[str, ...]]:
    section = body.split('id="enrolments"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<tr>" + r"<td>(.*?)</td>" * 6 + r"</tr>", section)


def test_profile_shows_enrolment_history_across_schools(
    client, district, school, roster, admin_user
):
    old_year = SchoolYearFactory(district=district, name="Last year",
                                 start_date=datetime.date(2024, 9, 1),
                                 end_date=datetime.date(2025, 6, 30))  # fmt: skip
    old_room = ClassroomFactory(district=district, school=roster["other_school"],
                                school_year=old_year, name="2Z", grades=["02"])  # fmt: skip
    started, ended = datetime.date(2024, 9, 3), datetime.date(2025, 6, 27)
    enrol(roster["mina"], old_room, start_date=started, end_date=ended)
    principal = member(district, Role.PRINCIPAL, school=school)
    for user in (admin_user, principal):
        body = body_of(get(client, user, f"/d/alpha/students/{roster['mina'].pk}/"))
        rows = enrolment_rows(body)
        assert rows == [
            ("3A", "Alpha Elementary", "This year",
             formats.date_format(roster["room"].school_year.start_date), "—", "In this class"),
            ("2Z", "Elsewhere Middle", "Last year", formats.date_format(started),
             formats.date_format(ended), "Not in this class now"),
        ]  # fmt: skip
        assert "Student number 310001" in body and "Grade 03" in body


def test_profile_marks_ended_and_withdrawn_enrolments(client, roster, admin_user):
    client.force_login(admin_user)
    ended = enrolment_rows(body_of(client.get(f"/d/alpha/students/{roster['enda'].pk}/")))
    withdrawn = enrolment_rows(body_of(client.get(f"/d/alpha/students/{roster['wendy'].pk}/")))
    assert ended[0][4:] == (formats.date_format(timezone.localdate()), "Not in this class now")
    assert withdrawn[0][5] == "Withdrawn"


# 4. School and classroom pages ---------------------------------------------------------------


def test_principal_sees_grades_classes_and_staff(client, district, school, roster, teacher_user):
    teacher_user.full_name = "Tess Teacher"
    teacher_user.save()
    principal = member(district, Role.PRINCIPAL, school=school)
    body = body_of(get(client, principal, f"/d/alpha/schools/{school.pk}/"))
    assert 'id="grades-heading">Students by grade</h2>' in body
    # Mina, Enda, Wendy in grade 3 (enrolments do not matter here), Theo in grade 4.
    assert "<tr><td>03</td><td>3</td></tr>" in body
    assert "<tr><td>04</td><td>1</td></tr>" in body
    assert 'id="classes-heading">Classes</h2>' in body
    assert ">3A</a></td><td>03</td><td>1</td>" in body  # only Mina is enrolled now
    assert ">4B</a></td><td>04</td><td>1</td>" in body
    assert ">7C</a>" not in body
    assert 'id="staff-heading">Staff</h2>' in body
    assert "<tr><td>Tess Teacher</td><td>Teacher</td><td>3A</td></tr>" in body


def test_teacher_sees_only_their_classes_on_their_school_page(
    client, district, school, roster, teacher_user
):
    colleague = member(district, Role.TEACHER, school=school, full_name="Cole League")
    teach(colleague, roster["other_room"])
    body = body_of(get(client, teacher_user, f"/d/alpha/schools/{school.pk}/"))
    assert 'id="classes-heading">Your classes</h2>' in body
    assert ">3A</a>" in body and ">4B</a>" not in body
    assert "Students by grade" not in body
    assert "staff-heading" not in body and "Cole League" not in body
    # The school page of another school is not theirs to open.
    assert client.get(f"/d/alpha/schools/{roster['other_school'].pk}/").status_code == 404


def test_school_list_per_role(client, district, school, roster, teacher_user, admin_user):
    body = body_of(get(client, admin_user, "/d/alpha/schools/"))
    assert "Alpha Elementary" in body and "Elsewhere Middle" in body
    assert "2 schools you can see" in body
    body = body_of(get(client, teacher_user, "/d/alpha/schools/"))
    assert "Alpha Elementary" in body and "Elsewhere Middle" not in body


def test_classroom_page_lists_only_current_enrolments(client, roster, teacher_user):
    body = body_of(get(client, teacher_user, f"/d/alpha/classrooms/{roster['room'].pk}/"))
    assert "Rowan, Mina" in body
    assert "Enda" not in body and "Wendy" not in body and "Theo" not in body
    assert "1 student<" in body
    assert "(teacher)" in body


def test_classroom_page_access(client, district, school, roster, teacher_user):
    client.force_login(teacher_user)
    assert client.get(f"/d/alpha/classrooms/{roster['other_room'].pk}/").status_code == 404
    assert client.get(f"/d/alpha/classrooms/{roster['far_room'].pk}/").status_code == 404
    elsewhere = member(district, Role.PRINCIPAL, school=roster["other_school"])
    client.force_login(elsewhere)
    assert client.get(f"/d/alpha/classrooms/{roster['room'].pk}/").status_code == 404
    assert client.get(f"/d/alpha/classrooms/{roster['far_room'].pk}/").status_code == 200
    client.force_login(member(district, Role.PRINCIPAL, school=school))
    assert client.get(f"/d/alpha/classrooms/{roster['other_room'].pk}/").status_code == 200


# The classroom page offers "Enter screener results" exactly to those the grid opens for
# (screeners.permissions); a leader, principal or support member used to get the button and a 403.
@pytest.mark.parametrize(
    "role", [Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER, Role.PRINCIPAL, Role.SUPPORT_STAFF, None]
)
def test_classroom_page_offers_result_entry_only_where_the_grid_opens(client, district, school,
                                                                      roster, teacher_user,
                                                                      role):  # fmt: skip
    room = roster["room"]
    user = teacher_user if role is None else member(district, role, school=school)
    client.force_login(user)
    grid = f"/d/alpha/classrooms/{room.pk}/screening/"
    offered = grid in body_of(client.get(f"/d/alpha/classrooms/{room.pk}/"))
    assert offered == (client.get(grid).status_code == 200), role


# A student of another school who takes a class here is the principal's student too: listed
# on the class page, and their profile opens (fixed by widening visible_students).
def test_classroom_page_lists_only_students_the_viewer_can_open(client, district, school,
                                                                 roster):  # fmt: skip
    enrol(roster["farah"], roster["room"])  # Elsewhere Middle's Farah also takes 3A here
    client.force_login(member(district, Role.PRINCIPAL, school=school))
    body = body_of(client.get(f"/d/alpha/classrooms/{roster['room'].pk}/"))
    listed = re.findall(r'href="/d/alpha/students/(\d+)/"', body)
    assert listed
    for pk in listed:
        assert client.get(f"/d/alpha/students/{pk}/").status_code == 200, pk


# "Today" is the district's: at 20:00 in Edmonton on a year's last day it is already tomorrow
# in UTC, and the page must still show that year's classes, not next year's.
def test_school_page_uses_the_districts_today(client, district, school, monkeypatch):
    local = timezone.now().astimezone(zoneinfo.ZoneInfo(district.time_zone))
    evening = local.replace(hour=20, minute=0, second=0, microsecond=0)  # 02:00/03:00 UTC
    last_day = evening.date()
    ending = SchoolYearFactory(district=district, name="Ending",
                               start_date=last_day - datetime.timedelta(days=300),
                               end_date=last_day)  # fmt: skip
    coming = SchoolYearFactory(district=district, name="Coming",
                               start_date=last_day + datetime.timedelta(days=60),
                               end_date=last_day + datetime.timedelta(days=360))  # fmt: skip
    ClassroomFactory(district=district, school=school, school_year=ending, name="Old class")
    ClassroomFactory(district=district, school=school, school_year=coming, name="New class")
    principal = member(district, Role.PRINCIPAL, school=school)
    client.force_login(principal)
    monkeypatch.setattr(timezone, "now", lambda: evening.astimezone(datetime.UTC))
    body = body_of(client.get(f"/d/alpha/schools/{school.pk}/"))
    assert ">Old class</a>" in body and ">New class</a>" not in body


# 5. Query counts -----------------------------------------------------------------------------
# Each bound is the count seen on PostgreSQL, which is the SQLite count + 2, so it holds on
# both. Every page pays for session, user, district, grants, the district switcher and the
# district_context savepoint and its release; PostgreSQL adds the row-level-security
# set_config on entry and its restore on exit (production: one transaction, no restore).


def queries_for(client, path, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_school_list_query_count(client, district, admin_user, django_assert_max_num_queries):
    year = SchoolYearFactory(district=district)
    for _ in range(20):
        room = ClassroomFactory(district=district, school_year=year)
        StudentFactory(district=district, school=room.school)
    client.force_login(admin_user)
    # Seen: 8 on SQLite (+ the schools with their counts), 10 on PostgreSQL.
    with django_assert_max_num_queries(10):
        body = body_of(client.get("/d/alpha/schools/"))
    assert "20 schools you can see" in body


def test_school_page_query_count(client, district, school, year, django_assert_max_num_queries):
    for n in range(15):
        room = ClassroomFactory(district=district, school=school, school_year=year,
                                name=f"Room {n:02d}")  # fmt: skip
        teach(member(district, Role.TEACHER, school=school), room)
        for _ in range(7 if n < 10 else 6):  # 100 students
            enrol(StudentFactory(district=district, school=school, grade=f"{n % 6 + 1:02d}"),
                  room)  # fmt: skip
    client.force_login(member(district, Role.PRINCIPAL, school=school))
    # Seen: 12 on SQLite (+ school, year, classrooms, grade counts, staff), 14 on PostgreSQL.
    with django_assert_max_num_queries(14):
        body = body_of(client.get(f"/d/alpha/schools/{school.pk}/"))
    assert body.count('href="/d/alpha/classrooms/') == 15


def classroom_with(district, school, year, n: int):
    room = ClassroomFactory(district=district, school=school, school_year=year, name="Big")
    teach(member(district, Role.TEACHER, school=school), room)
    for _ in range(n):
        enrol(StudentFactory(district=district, school=school), room)
    return room


@pytest.mark.parametrize("size", [5, 30])
def test_classroom_page_query_count(client, district, school, year, admin_user, size,
                                    django_assert_max_num_queries):  # fmt: skip
    room = classroom_with(district, school, year, size)
    client.force_login(admin_user)
    # Seen: 10 on SQLite (+ classroom, teachers, students), 12 on PostgreSQL; 5 or 30 alike.
    with django_assert_max_num_queries(12):
        body = body_of(client.get(f"/d/alpha/classrooms/{room.pk}/"))
    assert f"{size} students<" in body


@pytest.mark.parametrize("size", [5, 30])
def test_search_query_count(client, district, school, admin_user, size,
                            django_assert_max_num_queries):  # fmt: skip
    for _ in range(size):
        StudentFactory(district=district, school=school, family_name="Quill")
    client.force_login(admin_user)
    # Seen: 8 on SQLite (+ the students), 10 on PostgreSQL; 5 or 30 matches alike (25 shown).
    with django_assert_max_num_queries(10):
        response = search(client, "quill")
    assert body_of(response).count('href="/d/alpha/students/') - 1 == min(size, 25)


def test_query_counts_do_not_grow_with_rows(client, district, school, year, admin_user):
    room = classroom_with(district, school, year, 5)
    client.force_login(admin_user)
    pages = [
        ("/d/alpha/schools/", {}),
        (f"/d/alpha/schools/{school.pk}/", {}),
        (f"/d/alpha/classrooms/{room.pk}/", {}),
        ("/d/alpha/students/", {"q": "a"}),
    ]
    for path, params in pages:
        queries_for(client, path, **params)  # warm up anything cached per process
    small = [queries_for(client, path, **params) for path, params in pages]
    for _ in range(25):
        enrol(StudentFactory(district=district, school=school, given_name="Ana"), room)
    more_room = ClassroomFactory(district=district, school=school, school_year=year)
    teach(member(district, Role.TEACHER, school=school), more_room)
    SchoolFactory(district=district)
    assert [queries_for(client, path, **params) for path, params in pages] == small


# 6. HTML escaping ----------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


def test_student_names_are_escaped(client, district, school, admin_user):
    student = StudentFactory(district=district, school=school, given_name=SCRIPT,
                             family_name="Xss", student_number="999001")  # fmt: skip
    client.force_login(admin_user)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    profile = body_of(client.get(f"/d/alpha/students/{student.pk}/"))
    assert SCRIPT not in profile and escaped in profile
    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
        found = body_of(search(client, "xss", **extra))
        assert SCRIPT not in found and f"Xss, {escaped}" in found
    echoed = body_of(search(client, SCRIPT))  # the query is echoed back, escaped
    assert SCRIPT not in echoed and escaped in echoed
