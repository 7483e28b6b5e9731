"""Valid OneRoster that real exports send: every spec role, delta bundles of changed files,
1.2 bundles, and messages that say what to change (issue 9 items 5, 7 and 8)."""

import pytest

from crsys.tenancy.context import district_context
from districts.models import Membership
from schools.models import Classroom, Enrolment, RosterImport, StaffAssignment, Student
from schools.selectors import district_today
from tests.schools.bundles import (
    CLASSES,
    ENROLLMENTS,
    FILES_12,
    MANIFEST,
    ORGS,
    USERS,
    USERS_12,
    add_lines,
    bundle,
    delta_manifest,
    only,
    replace_line,
)
from tests.schools.test_roster_import import assert_rejected, counts_in, problems_of, run

pytestmark = pytest.mark.django_db(transaction=False)
USERS_HEADER = USERS.splitlines()[0]
ENROLLMENTS_HEADER = ENROLLMENTS.splitlines()[0]


def bundle_12(files: dict | None = None, *, drop=()) -> bytes:
    return only({n: t for n, t in {**FILES_12, **(files or {})}.items() if n not in drop})


def roles_of(district, email: str) -> set[tuple[str, str]]:
    with district_context(district):
        return set(
            Membership.objects.filter(user__email=email, is_active=True).values_list(
                "role", "school__code"
            )
        )


# Item 5: valid OneRoster that was refused ------------------------------------------------


def test_every_spec_enrolment_role_is_read_and_the_unused_ones_are_counted(district):
    # given: an aide, a proctor and a guardian in users.csv, and enrolments in every role
    users = add_lines(
        USERS,
        "a1,active,,true,s1,aide,,,Avi,Aide,,A1,avi@alpha.example,,,,,",
        "x1,active,,true,s1,proctor,,,Pat,Proctor,,X1,pat@alpha.example,,,,,",
        "g1,active,,true,s1,guardian,,,Gus,Guardian,,,gus@home.example,,,u1,,",
    )
    enrollments = add_lines(
        ENROLLMENTS,
        "e5,active,,c1,s1,a1,aide,false,2026-09-01,",
        "e6,active,,c1,s1,x1,proctor,false,2026-09-01,",
        "e7,active,,c1,s1,g1,guardian,false,2026-09-01,",
        "e8,active,,c1,s1,g1,parent,false,2026-09-01,",
        "e9,active,,c1,s1,g1,relative,false,2026-09-01,",
        "e10,active,,c2,s2,p1,administrator,false,2026-09-01,",
    )
    # when
    result = run(district, bundle({"users.csv": users, "enrollments.csv": enrollments}))
    # then: students, teachers, aides and administrators go in; the rest is counted
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert (
        "enrollments.csv: not imported (crsys keeps students and class staff): "
        "1 with role 'guardian', 1 with role 'parent', 1 with role 'proctor', "
        "1 with role 'relative'" in result.warnings
    )
    assert any("1 with role 'guardian', 1 with role 'proctor'" in w for w in result.warnings)
    with district_context(district):
        in_class = set(
            StaffAssignment.objects.filter(classroom__isnull=False).values_list(
                "user_sourced_id", "role", "classroom__sourced_id"
            )
        )
    assert in_class == {("t1", "teacher", "c1"), ("a1", "aide", "c1"), ("p1", "principal", "c2")}


def test_an_enrolment_role_outside_the_spec_is_refused_with_the_roles_it_may_be(district):
    enrollments = add_lines(ENROLLMENTS, "e5,active,,c1,s1,t1,janitor,false,2026-09-01,")
    assert_rejected(district, bundle({"enrollments.csv": enrollments}),
                    "enrollments.csv|6|role|'janitor' is not a OneRoster enrollment role (one of "
                    "student, teacher, aide, administrator, proctor")  # fmt: skip


def test_a_delta_bundle_carries_only_the_changed_files(district):
    run(district, bundle())
    # given: only manifest.csv and users.csv: one name changed, one student tobedeleted
    users = "\n".join([
        USERS_HEADER,
        "u2,active,2026-10-01T08:00:00Z,true,s1,student,,,Grace,Hopper-Smith,,1002,,,,,03,",
        "u3,tobedeleted,2026-10-01T08:00:00Z,true,s2,student,,,Alan,Turing,,1003,,,,,07,",
    ]) + "\n"  # fmt: skip
    data = only({"manifest.csv": delta_manifest({"users": "delta"}), "users.csv": users})
    # when (one of three students withdrawn: over the share that needs a confirmation)
    result = run(district, data, allow_mass_withdrawal=True)
    # then: the change and the withdrawal, nothing else (absent files are not expected)
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    changed = {entity: c for entity, c in result.counts.items() if any(c.values())}
    assert changed == {
        "students": {"create": 0, "update": 1, "withdraw": 1},
        "enrolments": {"create": 0, "update": 0, "withdraw": 1},  # Alan's, ended with him
    }
    with district_context(district):
        assert Student.objects.get(sourced_id="u2").family_name == "Hopper-Smith"
        assert not Student.objects.get(sourced_id="u3").is_active
        assert Student.objects.get(sourced_id="u1").is_active
        assert Classroom.objects.filter(is_active=True).count() == 2
        assert Enrolment.objects.filter(is_active=True).count() == 2


def test_a_delta_enrolment_file_may_name_records_the_district_already_has(district):
    run(district, bundle())
    enrollments = "\n".join([
        ENROLLMENTS_HEADER,
        "e3,tobedeleted,2026-10-01T08:00:00Z,c2,s2,u3,student,false,2026-09-01,",
        "e20,active,2026-10-01T08:00:00Z,c2,s2,u1,student,false,2026-10-01,",
    ]) + "\n"  # fmt: skip
    data = only({"manifest.csv": delta_manifest({"enrollments": "delta"}),
                 "enrollments.csv": enrollments})  # fmt: skip
    result = run(district, data)
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert result.counts["enrolments"] == {"create": 1, "update": 0, "withdraw": 1}
    assert result.counts["students"] == {"create": 0, "update": 0, "withdraw": 0}


def test_a_file_the_manifest_marks_absent_is_not_read(district):
    run(district, bundle())
    manifest = MANIFEST.replace("file.users,bulk", "file.users,absent")
    result = run(district, bundle({"manifest.csv": manifest, "users.csv": USERS + "junk,,\n"}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert "users.csv: manifest.csv marks it absent, so it was not read" in result.warnings
    assert result.counts["students"] == {"create": 0, "update": 0, "withdraw": 0}


def test_a_blank_student_identifier_falls_back_to_the_sourced_id_and_says_so(district):
    users = replace_line(USERS, "u2,", "u2,active,,true,s1,student,,,Grace,Hopper,,,,,,,03,")
    result = run(district, bundle({"users.csv": users}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert any(
        "1 students have no identifier (student number); their sourcedId is their student "
        "number until the file gives one (rows 3)" in w
        for w in result.warnings
    ), result.warnings
    with district_context(district):
        assert Student.objects.get(sourced_id="u2").student_number == "u2"
    # a later file that gives the number changes it, no clash
    again = run(district, bundle())
    assert again.counts["students"] == {"create": 0, "update": 1, "withdraw": 0}


def test_a_zero_byte_optional_file_is_read_as_empty(district):
    manifest = MANIFEST + "file.courses,bulk\nfile.demographics,bulk\n"
    data = bundle({"manifest.csv": manifest, "courses.csv": "", "demographics.csv": ""})
    result = run(district, data)
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert "courses.csv is empty (0 bytes): read as a file with no rows" in result.warnings
    assert counts_in(district)["Student"] == 3


def test_a_zip_of_one_folder_imports(district):
    result = run(district, bundle(folder="oneroster-export-2026-09-01/"))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert counts_in(district)["Student"] == 3


def test_inactive_status_counts_as_withdrawn(district):
    run(district, bundle())
    users = replace_line(USERS, "u3,", "u3,inactive,,true,s2,student,,,Alan,Turing,,1003,,,,,07,")
    enrollments = replace_line(ENROLLMENTS, "e3,",
                               "e3,inactive,,c2,s2,u3,student,false,2026-09-01,")  # fmt: skip
    result = run(district, bundle({"users.csv": users, "enrollments.csv": enrollments}),
                 allow_mass_withdrawal=True)  # fmt: skip
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert result.counts["students"]["withdraw"] == 1
    with district_context(district):
        assert not Student.objects.get(sourced_id="u3").is_active


# Item 7: OneRoster 1.2 -------------------------------------------------------------------


def test_a_one_roster_1_2_bundle_imports_with_roles_and_preferred_names(district):
    result = run(district, bundle_12())
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert result.source_version == "OneRoster 1.2"
    assert any("1 with role 'guardian'" in w for w in result.warnings)
    with district_context(district):
        ada = Student.objects.get(sourced_id="u1")
        assert (ada.student_number, ada.preferred_name, ada.school.code) == ("1001", "Addie",
                                                                             "ASP")  # fmt: skip
        assert Student.objects.count() == 3
    # multiple roles per user: a teacher at two schools; a principal who also teaches
    assert roles_of(district, "tess@alpha.example") == {("teacher", "ASP"), ("teacher", "BIR")}
    assert roles_of(district, "pia@alpha.example") == {("principal", "BIR"), ("teacher", "ASP")}
    assert run(district, bundle_12()).counts == {
        entity: {"create": 0, "update": 0, "withdraw": 0} for entity in result.counts
    }


def test_a_one_roster_1_2_delta_changes_names_and_roles(district):
    run(district, bundle_12())
    users = "\n".join([
        USERS_12.splitlines()[0],
        "u2,active,2026-10-01T08:00:00Z,true,grace.h,,Grace,Hopper,,1002,,,,,03,,M-1002,,"
        "Gracie,,,s1,",
    ]) + "\n"  # fmt: skip
    roles = "\n".join([
        FILES_12["roles.csv"].splitlines()[0],
        "r5,tobedeleted,2026-10-01T08:00:00Z,t1,secondary,teacher,,,s2,",
    ]) + "\n"  # fmt: skip
    data = only({"manifest.csv": delta_manifest({"users": "delta", "roles": "delta"}, "1.2"),
                 "users.csv": users, "roles.csv": roles})  # fmt: skip
    result = run(district, data)
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    with district_context(district):
        assert Student.objects.get(sourced_id="u2").preferred_name == "Gracie"
        assert Student.objects.get(sourced_id="u2").school.code == "ASP"  # kept without roles
    assert result.counts["students"] == {"create": 0, "update": 1, "withdraw": 0}


def test_a_1_2_bundle_whose_manifest_says_1_1_is_told_what_to_change(district):
    manifest = FILES_12["manifest.csv"].replace("oneroster.version,1.2", "oneroster.version,1.1")
    result = assert_rejected(district, bundle_12({"manifest.csv": manifest}),
                             "users.csv|1|role|required column is missing")  # fmt: skip
    assert "manifest.csv needs oneroster.version,1.2; it says '1.1'" in problems_of(result)[0]


def test_a_1_2_users_file_is_not_asked_for_a_role_column(district):
    result = run(district, bundle_12(), commit=False)
    assert result.status == RosterImport.Status.READY, problems_of(result)
    assert not any("column role" in p for p in problems_of(result))


def test_an_unknown_one_roster_version_is_refused_by_row(district):
    manifest = MANIFEST.replace("oneroster.version,1.1", "oneroster.version,3.0")
    expected = "manifest.csv|3|value|OneRoster version '3.0' is not one crsys reads"
    assert_rejected(district, bundle({"manifest.csv": manifest}), expected)


# Item 8: messages that lead somewhere ----------------------------------------------------


def test_the_dry_run_names_the_version_it_read(district, client, admin_user):
    result = run(district, bundle(), commit=False)
    assert result.source_version == "OneRoster 1.1"
    client.force_login(admin_user)
    page = client.get(result.get_absolute_url()).content.decode()
    assert "Read as <strong>OneRoster 1.1</strong>" in page
    manifest = "\n".join(line for line in MANIFEST.splitlines() if "oneroster.version" not in line)
    unnamed = run(district, bundle({"manifest.csv": manifest + "\n"}), commit=False)
    assert "manifest.csv names no oneroster.version; the files were read as OneRoster 1.1" in (
        unnamed.warnings
    )


def test_an_org_of_another_type_where_a_school_is_needed_is_named(district):
    orgs = add_lines(ORGS, "dep1,active,,Science Department,department,SCI,s2")
    classes = add_lines(CLASSES, "c3,active,,Lab,07,,,scheduled,,dep1,t1,,,",
                        "c4,active,,Board,07,,,scheduled,,d1,t1,,,")  # fmt: skip
    users = add_lines(USERS, "u9,active,,true,d1,student,,,Dee,District,,1009,,,,,07,")
    assert_rejected(
        district,
        bundle({"orgs.csv": orgs, "classes.csv": classes, "users.csv": users}),
        "classes.csv|4|schoolSourcedId|'dep1' is a department in orgs.csv, not a school",
        "classes.csv|5|schoolSourcedId|'d1' is a district in orgs.csv, not a school",
        "users.csv|7|orgSourcedIds|'d1' is a district in orgs.csv, not a school: a student "
        "needs a school",
    )


def test_a_delta_classes_file_may_rename_a_class_without_its_terms(district):
    run(district, bundle())
    classes = CLASSES.splitlines()[0] + "\nc1,active,2026-10-01,Room 3A,03,,,homeroom,,s1,t1,,,\n"
    data = only({"manifest.csv": delta_manifest({"classes": "delta"}), "classes.csv": classes})
    result = run(district, data)
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert result.counts["classrooms"] == {"create": 0, "update": 1, "withdraw": 0}
    with district_context(district):
        room = Classroom.objects.get(sourced_id="c1")
        assert (room.name, room.school_year.sourced_id) == ("Room 3A", "y1")


def test_a_1_2_bundle_with_1_1_role_columns_and_no_roles_file_is_read(district):
    # given: a 1.2 manifest, users.csv in 1.1's shape, no roles.csv (roles marked absent)
    manifest = FILES_12["manifest.csv"].replace("file.roles,bulk", "file.roles,absent")
    manifest = manifest.replace("file.userProfiles,bulk", "file.userProfiles,absent")
    data = bundle_12({"manifest.csv": manifest, "users.csv": USERS},
                     drop=("roles.csv", "userProfiles.csv"))  # fmt: skip
    # when
    result = run(district, data)
    # then
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert any("roles were read from users.csv's role" in w for w in result.warnings)
    assert counts_in(district)["Student"] == 3
    assert roles_of(district, "pia@alpha.example") == {("principal", "BIR")}


def test_a_1_2_role_that_has_ended_or_not_begun_gives_nothing(district):
    roles = (
        FILES_12["roles.csv"]
        .replace(
            "r7,active,2026-08-20T10:00:00.000Z,p1,secondary,teacher,,,s1,",
            "r7,active,2026-08-20T10:00:00.000Z,p1,secondary,teacher,2019-09-01,2020-06-30,s1,",
        )
        .replace(
            "r5,active,2026-08-20T10:00:00.000Z,t1,secondary,teacher,,,s2,",
            "r5,active,2026-08-20T10:00:00.000Z,t1,secondary,teacher,2099-09-01,,s2,",
        )
    )
    # A role whose endDate is today has ended (exclusive, as for enrolments).
    today = district_today(district).isoformat()
    roles = roles.replace(
        "r7,active,2026-08-20T10:00:00.000Z,p1,secondary,teacher,2019-09-01,2020-06-30,s1,",
        f"r7,active,2026-08-20T10:00:00.000Z,p1,secondary,teacher,2019-09-01,{today},s1,",
    )
    result = run(district, bundle_12({"roles.csv": roles}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert "roles.csv: 2 roles are not held today (ended, or not begun) and give nothing" in (
        result.warnings
    )
    assert roles_of(district, "pia@alpha.example") == {("principal", "BIR")}
    assert roles_of(district, "tess@alpha.example") == {("teacher", "ASP")}
