"""Shapes found in public OneRoster test bundles (issue 9, "Done when"), rebuilt from our own
data: each imports, or is refused with words that say exactly what to change.

Tried: catalyst/moodle-enrol_oneroster tests/fixtures/csv_data/*.zip (1.1 and 1.2) and
oat-sa/oneroster-import data/samples/OneRosterv1p1BaseCSV (a 1.0-shaped bundle labelled 1.1).
"""

import datetime

import pytest

from crsys.tenancy.context import district_context
from schools.models import RosterImport, Student
from tests.schools.bundles import (
    ENROLLMENTS,
    FILES_12,
    MANIFEST,
    MANIFEST_12,
    ROLES_12,
    USERS,
    bundle,
    delta_manifest,
    only,
    replace_line,
)
from tests.schools.test_roster_import import assert_rejected, problems_of, run

pytestmark = pytest.mark.django_db


# manifest.csv: a file.<name> line with no value (catalyst v1p2_full_dataset) -----------------


def test_a_blank_mode_for_a_file_crsys_does_not_import_is_said_and_the_bundle_imports(district):
    manifest = replace_line(MANIFEST_12, "file.userProfiles,", "file.userProfiles,")
    manifest += "file.scoreScales,\nfile.userResources,\n"
    result = run(district, bundle({**FILES_12, "manifest.csv": manifest}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert any("no value is a mode for file.scoreScales: write bulk (the file is complete), "
               "delta (changed rows only) or absent (not sent); crsys does not import that file"
               in w for w in result.warnings), result.warnings  # fmt: skip


def test_a_blank_mode_for_a_file_crsys_imports_is_refused_saying_what_to_write(district):
    manifest = replace_line(MANIFEST_12, "file.users,", "file.users,")
    row = MANIFEST_12.splitlines().index("file.users,bulk") + 1
    assert_rejected(
        district, bundle({**FILES_12, "manifest.csv": manifest}),
        f"manifest.csv|{row}|value|no value is a mode for file.users: write bulk (the file is "
        "complete), delta (changed rows only) or absent (not sent)",
    )  # fmt: skip


# enrollments.csv naming a user whose role disagrees (catalyst Test_full_data_set) --------------


def test_an_enrollment_whose_role_disagrees_with_the_users_names_both_roles(district):
    # Tess is a teacher in users.csv; this enrollment makes her a student.
    enrollments = ENROLLMENTS + "e9,active,,c1,s1,t1,student,false,2026-09-01,\n"
    assert_rejected(
        district, bundle({"enrollments.csv": enrollments}),
        "enrollments.csv|6|userSourcedId|user 't1' has role teacher in users.csv, but this "
        "enrollment is as student: the two must agree (fix the enrollment's role or the user's)",
    )  # fmt: skip


def test_an_enrollment_of_someone_not_in_users_csv_says_so(district):
    enrollments = ENROLLMENTS + "e9,active,,c1,s1,nobody,student,false,2026-09-01,\n"
    assert_rejected(
        district, bundle({"enrollments.csv": enrollments}),
        "enrollments.csv|6|userSourcedId|user 'nobody' is not in users.csv (nor already in "
        "crsys with role student)",
    )  # fmt: skip


def test_an_enrollment_of_a_user_whose_12_roles_have_all_ended_says_which_file(district):
    # catalyst v1p2_full_dataset: every role in roles.csv ended before today.
    roles = replace_line(ROLES_12, "r1,", "r1,active,2026-08-20T10:00:00.000Z,u1,primary,student,"
                         "2019-09-01,2020-06-30,s1,")  # fmt: skip
    assert_rejected(
        district, bundle({**FILES_12, "roles.csv": roles}),
        "enrollments.csv|2|userSourcedId|user 'u1' holds no role today (roles.csv lists none for "
        "it, or they have ended or not begun); an enrollment as student needs the user to hold "
        "role student in roles.csv",
    )  # fmt: skip


# Headers in older or looser spellings (oat-sa OneRosterv1p1BaseCSV) ----------------------------


def test_demographics_with_oneroster_10_and_lower_case_headers_is_read(district):
    # OneRoster 1.0 called demographics' key userSourcedId; exports write birthdate.
    demographics = (
        "userSourcedId,status,dateLastModified,birthdate,sex\nu1,active,,2017-05-04,female\n"
    )
    manifest = MANIFEST + "file.demographics,bulk\n"
    result = run(district, bundle({"manifest.csv": manifest, "demographics.csv": demographics}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert any("demographics.csv: read column userSourcedId as sourcedId, birthdate as birthDate"
               in w for w in result.warnings), result.warnings  # fmt: skip
    with district_context(district):
        assert Student.objects.get(sourced_id="u1").birth_date == datetime.date(2017, 5, 4)


def test_a_header_only_file_missing_a_column_is_an_empty_file_not_a_refusal(district):
    # given: a district with its roster
    run(district, bundle())
    # when: a delta carries an academicSessions.csv with a 1.0 header and no rows
    header = USERS.splitlines()[0]
    ada = "u1,active,,true,s1,student,,,Ada,Byron,,1001,,,,,03,"
    result = run(district, only({
        "manifest.csv": delta_manifest({"users": "delta", "academicSessions": "delta"}),
        "academicSessions.csv": "sourcedId,status,dateLastModified,title,type,startDate,endDate,"
                                "parentSourcedId\n",
        "users.csv": f"{header}\n{ada}\n",
    }))  # fmt: skip
    # then
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    with district_context(district):
        assert Student.objects.get(sourced_id="u1").family_name == "Byron"


def test_header_cells_left_empty_are_dropped_not_named_to_the_admin(district):
    # catalyst v1p2_full_dataset: roles.csv's header ends in ",," (two empty cells).
    lines = ROLES_12.splitlines()
    roles = "\n".join([lines[0] + ",,", *lines[1:]]) + "\n"
    result = run(district, bundle({**FILES_12, "roles.csv": roles}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert "roles.csv: ignored 2 columns with no header and no values" in result.warnings
    assert not any("Unnamed" in w for w in result.warnings), result.warnings
