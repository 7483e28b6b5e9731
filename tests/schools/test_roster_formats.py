"""Spellings and formats real files use (issue 9 item 11): grades as SIS write them, schools
by name or code in a spreadsheet, US dates when the admin says so."""

import datetime

import pytest

from crsys.tenancy.context import district_context
from districts.models import Membership, Role
from schools.grades import GRADE_CODES, normalize_grade
from schools.models import RosterImport, Student
from tests.factories import SchoolFactory
from tests.schools.bundles import USERS, bundle, replace_line
from tests.schools.test_import_pages import IMPORTS, upload
from tests.schools.test_roster_import import problems_of, run


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


SPELLINGS = {
    "K": "KG", "kg": "KG", "Kindergarten": "KG", "Grade K": "KG", "0": "KG",
    "PreK": "PK", "Pre-K": "PK", "pre-kindergarten": "PK", "PK4": "PK", "-1": "PK",
    "TK": "TK", "Transitional Kindergarten": "TK",
    "Grade 1": "01", "1": "01", "01": "01", "1st": "01", "Gr. 10": "10", "12": "12",
    "Ungraded": "UG", "Other": "Other", "Preschool": "PR",
}  # fmt: skip


@pytest.mark.parametrize("spelling,code", SPELLINGS.items())
def test_grade_spellings_map_to_ceds_codes(spelling, code):
    assert normalize_grade(spelling) == code


@pytest.mark.parametrize("code", GRADE_CODES)
def test_every_ceds_code_reads_as_itself(code):
    assert normalize_grade(code) == code


@pytest.mark.parametrize("nonsense", ["purple", "14", "Grade", "K-12", ""])
def test_what_is_not_a_grade_stays_refused(nonsense):
    assert normalize_grade(nonsense) is None


@pytest.mark.django_db
def test_a_oneroster_file_with_spelled_out_grades_imports(district):
    users = replace_line(USERS, "u1,", "u1,active,,true,s1,student,,,Ada,Lovelace,,1001,,,,,"
                         "Kindergarten,")  # fmt: skip
    users = replace_line(users, "u2,", "u2,active,,true,s1,student,,,Grace,Hopper,,1002,,,,,"
                         "Grade 3,")  # fmt: skip
    result = run(district, bundle({"users.csv": users}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    with district_context(district):
        assert dict(Student.objects.values_list("student_number", "grade")) == {
            "1001": "KG", "1002": "03", "1003": "07"}  # fmt: skip


@pytest.mark.django_db
def test_a_spreadsheet_names_schools_by_name_and_writes_us_dates(
    admin,
    district,
    django_capture_on_commit_callbacks,
):
    # given: schools named, not coded; dates month first
    SchoolFactory(district=district, code="ASP", name="Aspen Elementary")
    SchoolFactory(district=district, code="BIR", name="Birch Middle")
    data = (
        b"Student ID,First Name,Last Name,Grade Level,School Name,DOB\n"
        b"2001,Ana,Silva,Kindergarten,Aspen Elementary,9/14/2020\n"
        b"2002,Ben,Okafor,Grade 7,birch middle,12/01/2013\n"
        b"2003,Cy,Ng,PreK,BIR,\n"
    )
    upload(admin, data, "students.csv", kind="students",
           capture=django_capture_on_commit_callbacks)  # fmt: skip
    roster_import = RosterImport.objects.for_district(district).get()
    mapping = {"student_number": "Student ID", "given_name": "First Name",
               "family_name": "Last Name", "grade": "Grade Level", "school_code": "School Name",
               "birth_date": "DOB"}  # fmt: skip
    # when: the admin says the dates are US
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"{IMPORTS}{roster_import.pk}/columns/", {**mapping, "date_order": "us"})
    roster_import.refresh_from_db()
    assert roster_import.status == "ready", roster_import.problems
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"{IMPORTS}{roster_import.pk}/commit/")
    # then
    with district_context(district):
        got = {s.student_number: (s.grade, s.school.code, s.birth_date)
               for s in Student.objects.select_related("school")}  # fmt: skip
    assert got == {
        "2001": ("KG", "ASP", datetime.date(2020, 9, 14)),
        "2002": ("07", "BIR", datetime.date(2013, 12, 1)),
        "2003": ("PK", "BIR", None),
    }


@pytest.mark.django_db
def test_us_dates_read_as_iso_are_named_by_row_with_the_format(
    admin,
    district,
    django_capture_on_commit_callbacks,
):
    SchoolFactory(district=district, code="ASP", name="Aspen Elementary")
    data = b"Student ID,First Name,Last Name,Grade,School,DOB\n2001,Ana,Silva,1,ASP,9/14/2020\n"
    upload(admin, data, "students.csv", kind="students",
           capture=django_capture_on_commit_callbacks)  # fmt: skip
    roster_import = RosterImport.objects.for_district(district).get()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"{IMPORTS}{roster_import.pk}/columns/", {
            "student_number": "Student ID", "given_name": "First Name",
            "family_name": "Last Name", "grade": "Grade", "school_code": "School",
            "birth_date": "DOB",
        })  # fmt: skip
    roster_import.refresh_from_db()
    found = {(p["row"], p["column"], p["message"]) for p in roster_import.problems}
    assert (2, "DOB", "'9/14/2020' is not a date as YYYY-MM-DD") in found


@pytest.mark.django_db
def test_district_administrators_become_district_staff_and_leave_with_their_row(district):
    # given: 1.1's administrator of the district org
    dana = "d9,active,,true,d1,administrator,,,Dana,District,,D9,dana@alpha.example,,,,,"
    users = USERS + dana + "\n"
    # when
    checked = run(district, bundle({"users.csv": users}), commit=False)
    result = run(district, bundle({"users.csv": users}))
    # then: a district leader (reads every school), listed by name before the commit
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert any(c["words"] == "becomes district leader (district staff: reads every school)"
               and c["email"] == "dana@alpha.example" for c in checked.role_changes)  # fmt: skip
    with district_context(district):
        dana_roles = set(Membership.objects.filter(user__email="dana@alpha.example",
                         is_active=True).values_list("role", "school"))  # fmt: skip
    assert dana_roles == {(Role.DISTRICT_LEADER, None)}
    # and a file that marks her tobedeleted ends it
    gone = run(district, bundle({"users.csv": USERS + dana.replace(",active,", ",tobedeleted,")
                                 + "\n"}))  # fmt: skip
    assert gone.status == RosterImport.Status.COMMITTED, problems_of(gone)
    with district_context(district):
        assert not Membership.objects.filter(
            user__email="dana@alpha.example", is_active=True
        ).exists()


@pytest.mark.django_db
def test_a_student_at_several_schools_has_the_primary_one_as_home_school_and_said_so(district):
    # The other schools are kept too: tests/schools/test_roster_schools.py.
    users = replace_line(USERS, "u3,", "u3,active,,true,\"s2,s1\",student,,,Alan,Turing,,1003,,,"
                         ",,07,")  # fmt: skip
    result = run(district, bundle({"users.csv": users}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert any("1 students are listed at several schools" in w for w in result.warnings)
    with district_context(district):
        assert Student.objects.get(sourced_id="u3").school.code == "BIR"
