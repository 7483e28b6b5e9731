"""People at several schools, and several grades (issue 9 item 11): a student listed at two
schools keeps a home school and is on the other's roll too, where its principal finds them; a
staff member keeps every school; several grades are one grade, said so in the dry run."""

import pytest

from crsys.tenancy.context import district_context
from districts.models import Membership, Role
from districts.permissions import actor_from_memberships
from schools import selectors
from schools.models import RosterImport, School, StaffAssignment, Student, StudentSchool
from schools.roster.people import read_people
from tests.factories import member
from tests.schools.bundles import (
    FILES_12,
    ROLES_12,
    USERS,
    USERS_12,
    add_lines,
    bundle,
    delta_manifest,
    only,
    replace_line,
)
from tests.schools.test_import_pages import upload
from tests.schools.test_roster_import import problems_of, run

pytestmark = pytest.mark.django_db

ALAN = "u3,active,,true,{orgs},student,,,Alan,Turing,,1003,,,,,07,"
ALAN_TWO_SCHOOLS = ALAN.format(orgs='"s2,s1"')


def users_with(line: str, start: str = "u3,") -> str:
    return replace_line(USERS, start, line)


def also_at(district) -> set[tuple[str, str, bool]]:
    with district_context(district):
        return set(
            StudentSchool.objects.values_list(
                "student__student_number", "school__code", "is_active"
            )
        )


def people_of(roster_import) -> list[dict]:
    if not roster_import.people_file:
        return []  # nobody created, changed or withdrawn
    roster_import.people_file.open("rb")
    try:
        return read_people(roster_import.people_file.read())
    finally:
        roster_import.people_file.close()


def actor_of(user, district):
    return actor_from_memberships(
        user, district, Membership.objects.for_district(district).filter(user=user)
    )


# Students at several schools -----------------------------------------------------------------


def test_a_student_at_two_schools_keeps_a_home_school_and_is_on_the_others_roll(district):
    # given: Alan is listed at Birch (first: his home school) and at Aspen
    data = bundle({"users.csv": users_with(ALAN_TWO_SCHOOLS)})
    # when
    checked = run(district, data, commit=False)
    result = run(district, data)
    # then: the dry run names him, and the commit keeps both schools
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    alan = [p for p in people_of(checked) if p["key"] == "1003"]
    assert [(p["change"], p["school"], p["details"]) for p in alan] == [
        ("create", "Birch Middle", "also at Aspen Elementary")
    ]
    assert checked.preview["other_schools"] == {"create": 1, "update": 0, "withdraw": 0}
    assert any("1 students are listed at several schools; each keeps their primary school as "
               "home school and is also on the roll of the others (rows 4)" in w
               for w in checked.warnings)  # fmt: skip
    with district_context(district):
        assert Student.objects.get(sourced_id="u3").school.code == "BIR"
    assert also_at(district) == {("1003", "ASP", True)}


def test_reimporting_changes_nothing_and_a_file_without_the_second_school_removes_it(district):
    two_schools = bundle({"users.csv": users_with(ALAN_TWO_SCHOOLS)})
    run(district, two_schools)
    # when: the same file again
    again = run(district, two_schools)
    # then: nothing to do
    assert again.counts["other_schools"] == {"create": 0, "update": 0, "withdraw": 0}
    assert [p for p in people_of(again) if p["key"] == "1003"] == []
    assert also_at(district) == {("1003", "ASP", True)}
    # when: a later file lists Alan at Birch only
    one_school = bundle({"users.csv": users_with(ALAN.format(orgs="s2"))})
    checked = run(district, one_school, commit=False)
    result = run(district, one_school)
    # then: the dry run says so by name, and Aspen's roll no longer has him
    assert [(p["change"], p["details"]) for p in people_of(checked) if p["key"] == "1003"] == [
        ("update", "no longer at Aspen Elementary")
    ]
    assert result.counts["other_schools"] == {"create": 0, "update": 0, "withdraw": 1}
    assert also_at(district) == {("1003", "ASP", False)}
    # and listing him there again brings the same row back
    run(district, two_schools)
    assert also_at(district) == {("1003", "ASP", True)}


def test_a_delta_users_file_names_a_listed_students_schools_in_full(district):
    run(district, bundle({"users.csv": users_with(ALAN_TWO_SCHOOLS)}))
    header = USERS.splitlines()[0]
    # when: a delta changes Ada only: Alan keeps both schools
    ada = "u1,active,,true,s1,student,,,Ada,Byron,,1001,,,,,03,"
    result = run(district, only({"manifest.csv": delta_manifest({"users": "delta"}),
                                 "users.csv": f"{header}\n{ada}\n"}))  # fmt: skip
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert also_at(district) == {("1003", "ASP", True)}
    # when: a delta lists Alan at Birch only
    alan = ALAN.format(orgs="s2")
    run(district, only({"manifest.csv": delta_manifest({"users": "delta"}),
                        "users.csv": f"{header}\n{alan}\n"}))  # fmt: skip
    assert also_at(district) == {("1003", "ASP", False)}


def test_a_withdrawn_student_leaves_every_roll(district):
    run(district, bundle({"users.csv": users_with(ALAN_TWO_SCHOOLS)}))
    gone = ALAN_TWO_SCHOOLS.replace(",active,", ",tobedeleted,")
    result = run(district, bundle({"users.csv": users_with(gone)}), allow_mass_withdrawal=True)
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert also_at(district) == {("1003", "ASP", False)}


def test_oneroster_12_secondary_student_roles_are_kept_and_a_delta_without_roles_keeps_them(
    district,
):
    # given: a 1.2 bundle where Alan (primary at Birch) also has a secondary role at Aspen
    roles = add_lines(ROLES_12, "r9,active,2026-08-20T10:00:00.000Z,u3,secondary,student,,,s1,")
    result = run(district, bundle({**FILES_12, "roles.csv": roles}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    with district_context(district):
        assert Student.objects.get(sourced_id="u3").school.code == "BIR"
    assert also_at(district) == {("1003", "ASP", True)}
    # when: a 1.2 delta changes Alan's name and sends no roles for him
    header = USERS_12.splitlines()[0]
    alan = next(line for line in USERS_12.splitlines() if line.startswith("u3,"))
    delta = only({
        "manifest.csv": delta_manifest({"users": "delta"}, version="1.2"),
        "users.csv": f"{header}\n{alan.replace(',Turing,', ',Turing-Smith,')}\n",
    })  # fmt: skip
    changed = run(district, delta)
    # then: he keeps both schools
    assert changed.status == RosterImport.Status.COMMITTED, problems_of(changed)
    assert also_at(district) == {("1003", "ASP", True)}


def test_the_spreadsheet_path_leaves_other_schools_alone(
    client, admin_user, district, django_capture_on_commit_callbacks
):
    # given: Alan on Aspen's roll too, from OneRoster
    run(district, bundle({"users.csv": users_with(ALAN_TWO_SCHOOLS)}))
    client.force_login(admin_user)
    # when: a students spreadsheet changes his grade
    data = b"student_number,given_name,family_name,grade,school_code\n1003,Alan,Turing,08,BIR\n"
    upload(client, data, "students.csv", kind="students",
           capture=django_capture_on_commit_callbacks)  # fmt: skip
    roster_import = RosterImport.objects.for_district(district).order_by("-id").first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/d/alpha/imports/{roster_import.pk}/columns/", {
            "student_number": "student_number", "given_name": "given_name",
            "family_name": "family_name", "grade": "grade", "school_code": "school_code",
        })  # fmt: skip
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.READY, roster_import.problems
    assert "other_schools" not in roster_import.preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/d/alpha/imports/{roster_import.pk}/commit/")
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTED
    # then: his grade changed and he is still on Aspen's roll
    with district_context(district):
        assert Student.objects.get(sourced_id="u3").grade == "08"
    assert also_at(district) == {("1003", "ASP", True)}


# Who sees a student of two schools -----------------------------------------------------------


def test_the_second_schools_principal_finds_the_student_and_its_teachers_do_not(client, district):
    # given: Alan at home at Birch, also on Aspen's roll, in no class at Aspen
    run(district, bundle({"users.csv": users_with(ALAN_TWO_SCHOOLS)}))
    with district_context(district):
        aspen = School.objects.get(code="ASP")
        alan = Student.objects.get(sourced_id="u3")
        principal = member(district, Role.PRINCIPAL, school=aspen)
        teacher = member(district, Role.TEACHER, school=aspen)
        # then: Aspen's principal sees him: list, search, school filter, his page
        seen = selectors.visible_students(actor=actor_of(principal, district))
        assert alan in seen
        found = selectors.search_students(actor=actor_of(principal, district), query="Turing")
        assert list(found) == [alan]
        # and an Aspen teacher who does not teach him does not
        assert alan not in selectors.visible_students(actor=actor_of(teacher, district))
    client.force_login(principal)
    api = client.get(f"/api/v1/d/alpha/students/?school={aspen.pk}").json()
    assert "1003" in {s["student_number"] for s in api["results"]}
    page = client.get(f"/d/alpha/students/{alan.pk}/").content.decode()
    assert "also at Aspen Elementary" in page
    client.force_login(teacher)
    assert client.get(f"/d/alpha/students/{alan.pk}/").status_code == 404
    # and once the file drops Aspen, its principal no longer sees him
    run(district, bundle({"users.csv": users_with(ALAN.format(orgs="s2"))}))
    with district_context(district):
        assert alan not in selectors.visible_students(actor=actor_of(principal, district))


def test_visible_students_stays_one_query_for_a_principal(district, django_assert_num_queries):
    run(district, bundle({"users.csv": users_with(ALAN_TWO_SCHOOLS)}))
    with district_context(district):
        principal = member(district, Role.PRINCIPAL, school=School.objects.get(code="ASP"))
        actor = actor_of(principal, district)
        with django_assert_num_queries(1):
            numbers = {s.student_number for s in selectors.visible_students(actor=actor)}
    assert numbers == {"1001", "1002", "1003"}


# Staff at several schools, district staff ----------------------------------------------------


def test_a_teacher_listed_at_two_schools_is_kept_at_both(district):
    tess = 't1,active,,true,"s1,s2",teacher,,,Tess,Teacher,,T1,tess@alpha.example,,,,,'
    result = run(district, bundle({"users.csv": users_with(tess, "t1,")}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    with district_context(district):
        roles = set(Membership.objects.filter(user__email="tess@alpha.example",
                    is_active=True).values_list("role", "school__code"))  # fmt: skip
        placed = set(StaffAssignment.objects.filter(
            user__email="tess@alpha.example", classroom__isnull=True, is_active=True
        ).values_list("school__code", flat=True))  # fmt: skip
    assert roles == {(Role.TEACHER, "ASP"), (Role.TEACHER, "BIR")}
    assert placed == {"ASP", "BIR"}


def test_oneroster_12_district_administrator_becomes_district_staff(district):
    header = USERS_12.splitlines()[0]
    dana = ("d9,active,2026-08-20T10:00:00.000Z,true,dana,,Dana,District,,D9,dana@alpha.example"
            ",,,,,,M-D9,,,,,d1,")  # fmt: skip
    assert len(dana.split(",")) == len(header.split(","))
    users = add_lines(USERS_12, dana)
    roles = add_lines(
        ROLES_12, "r9,active,2026-08-20T10:00:00.000Z,d9,primary,districtAdministrator,,,d1,"
    )
    result = run(district, bundle({**FILES_12, "users.csv": users, "roles.csv": roles}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    with district_context(district):
        assert set(Membership.objects.filter(user__email="dana@alpha.example", is_active=True)
                   .values_list("role", "school")) == {(Role.DISTRICT_LEADER, None)}  # fmt: skip


# Several grades ------------------------------------------------------------------------------


@pytest.mark.parametrize("grades", ['"03,04"', '"04,03"'])
def test_several_grades_keep_the_lowest_and_the_dry_run_says_whose(district, grades):
    ada = f"u1,active,,true,s1,student,,,Ada,Lovelace,,1001,,,,,{grades},"
    data = bundle({"users.csv": users_with(ada, "u1,")})
    checked = run(district, data, commit=False)
    assert any(
        "1 students list several grades; crsys keeps one current grade per student, the "
        "lowest: row 2 (Ada Lovelace:"
        in w
        and "-> 03)" in w
        for w in checked.warnings
    ), checked.warnings
    result = run(district, data)
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    with district_context(district):
        assert Student.objects.get(sourced_id="u1").grade == "03"
