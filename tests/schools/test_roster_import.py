"""Roster import: the OneRoster bundle, end to end through the services (dry run, commit)."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

import schools.roster.apply as apply_module
from crsys.imports.problems import InputRejected
from crsys.tenancy.context import district_context
from districts.models import Membership, User
from districts.permissions import SYSTEM
from schools import services
from schools.models import (
    Classroom,
    Enrolment,
    RosterImport,
    School,
    SchoolYear,
    StaffAssignment,
    Student,
)
from schools.roster.generate import generate_bundle
from schools.roster.spreadsheet import read_table
from tests.schools.bundles import (
    CLASSES,
    ENROLLMENTS,
    ORGS,
    SESSIONS,
    USERS,
    add_lines,
    bundle,
    drop_line,
    replace_line,
)

pytestmark = pytest.mark.django_db(transaction=False)
ROSTER_TABLES = [School, SchoolYear, Classroom, Student, Enrolment, StaffAssignment]


def run(district, data: bytes, *, commit: bool = True, name: str = "roster.zip",
        allow_mass_withdrawal: bool = False, user=None):  # fmt: skip
    with district_context(district):
        roster_import = services.roster_import_upload(
            district=district, actor=SYSTEM, name=name, data=data, kind="oneroster", check=False,
            user=user,
        )  # fmt: skip
        roster_import = services.roster_import_check(roster_import=roster_import)
        if commit and roster_import.status == RosterImport.Status.READY:
            if allow_mass_withdrawal:
                services.allow_mass_withdrawal_of(roster_import, allow=True)
                roster_import.save(update_fields=["options"])
            roster_import = services.roster_import_commit(roster_import=roster_import)
    return roster_import


def counts_in(district) -> dict:
    return {m.__name__: m.objects.for_district(district).count() for m in ROSTER_TABLES}


def problems_of(roster_import) -> list[str]:
    return [f"{p['file']}|{p['row']}|{p['column']}|{p['message']}" for p in roster_import.problems]


def assert_rejected(district, data, *expected_fragments):
    before = counts_in(district)
    users_before = User.objects.count()
    roster_import = run(district, data)
    assert roster_import.status == RosterImport.Status.INVALID, roster_import.preview
    text = "\n".join(problems_of(roster_import))
    for fragment in expected_fragments:
        assert fragment in text, text
    assert counts_in(district) == before  # nothing written
    assert User.objects.count() == users_before
    return roster_import


# The happy path -------------------------------------------------------------------------


def test_dry_run_counts_then_commit_writes_exactly_that(district):
    checked = run(district, bundle(), commit=False)
    assert checked.status == RosterImport.Status.READY
    assert checked.preview["students"] == {"create": 3, "update": 0, "withdraw": 0}
    assert counts_in(district)["Student"] == 0  # a dry run writes nothing
    committed = run(district, bundle())
    assert committed.status == RosterImport.Status.COMMITTED
    assert committed.counts == checked.preview
    assert counts_in(district) == {
        "School": 2, "SchoolYear": 1, "Classroom": 2, "Student": 3, "Enrolment": 3,
        "StaffAssignment": 3,  # two school placements and one class
    }  # fmt: skip
    with district_context(district):
        ada = Student.objects.get(student_number="1001")
        assert (ada.given_name, ada.family_name, ada.grade, ada.school.code) == (
            "Ada", "Lovelace", "03", "ASP",
        )  # fmt: skip
        assert Classroom.objects.get(sourced_id="c1").school_year.name == "2026-2027"


def test_reimporting_the_same_files_changes_nothing(district):
    run(district, bundle())
    again = run(district, bundle())
    assert again.status == RosterImport.Status.COMMITTED
    assert all(not any(c.values()) for c in again.counts.values()), again.counts


def test_staff_get_accounts_without_passwords_and_memberships(district):
    run(district, bundle())
    tess = User.objects.get(email="tess@alpha.example")
    assert not tess.has_usable_password()
    with district_context(district):
        roles = set(Membership.objects.filter(user=tess).values_list("role", "school__code"))
        assert roles == {("teacher", "ASP")}
        pia = Membership.objects.get(user__email="pia@alpha.example")
        assert (pia.role, pia.school.code) == ("principal", "BIR")
        teaching = StaffAssignment.objects.get(user=tess, classroom__isnull=False)
        assert teaching.classroom.sourced_id == "c1"


def test_missing_rows_of_a_full_import_are_withdrawn_not_deleted(district):
    run(district, bundle())
    users = drop_line(USERS, "u3,")
    enrollments = drop_line(ENROLLMENTS, "e3,")
    result = run(district, bundle({"users.csv": users, "enrollments.csv": enrollments}),
                 allow_mass_withdrawal=True)  # fmt: skip
    assert result.counts["students"]["withdraw"] == 1
    assert result.counts["enrolments"]["withdraw"] == 1
    with district_context(district):
        alan = Student.objects.get(student_number="1003")
        assert not alan.is_active
        enrolment = Enrolment.objects.get(sourced_id="e3")
        assert not enrolment.is_active and enrolment.end_date is not None


def test_tobedeleted_rows_are_withdrawn(district):
    run(district, bundle())
    users = replace_line(USERS, "u2,", USERS.splitlines()[2].replace("active", "tobedeleted", 1))
    result = run(district, bundle({"users.csv": users}), allow_mass_withdrawal=True)
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    with district_context(district):
        assert not Student.objects.get(student_number="1002").is_active


def test_a_student_moving_school_keeps_their_history(district):
    run(district, bundle())
    users = replace_line(USERS, "u1,", "u1,active,,true,s2,student,,,Ada,Lovelace,,1001,,,,,07,")
    enrollments = add_lines(drop_line(ENROLLMENTS, "e1,"),
                            "e9,active,,c2,s2,u1,student,false,2026-11-01,")  # fmt: skip
    run(district, bundle({"users.csv": users, "enrollments.csv": enrollments}))
    with district_context(district):
        ada = Student.objects.get(student_number="1001")
        assert ada.school.code == "BIR"
        history = list(Enrolment.objects.filter(student=ada).order_by("pk")
                       .values_list("classroom__sourced_id", "is_active"))  # fmt: skip
        assert history == [("c1", False), ("c2", True)]


def test_utf8_with_a_byte_order_mark_reads_like_utf8(district):
    data = bundle(raw={name: "\ufeff".encode() + text.encode() for name, text in
                       {"users.csv": USERS, "orgs.csv": ORGS}.items()})  # fmt: skip
    assert run(district, data).status == RosterImport.Status.COMMITTED


def test_unknown_extra_columns_are_ignored_and_listed(district):
    users = USERS.replace("password\n", "password,favouriteColour\n", 1)
    result = run(district, bundle({"users.csv": users}))
    assert result.status == RosterImport.Status.COMMITTED
    assert any("favouriteColour" in w for w in result.warnings)


def test_formula_like_cells_are_stored_as_text(district):
    users = replace_line(USERS, "u1,", "u1,active,,true,s1,student,,,=HYPERLINK(\"x\"),+Lovelace,,"
                         "1001,,,,,03,")  # fmt: skip
    run(district, bundle({"users.csv": users}))
    with district_context(district):
        ada = Student.objects.get(student_number="1001")
    assert (ada.given_name, ada.family_name) == ('=HYPERLINK("x")', "+Lovelace")


# Bad input: a clear message naming file, row and column, and nothing written ---------------


def test_latin1_file_is_refused_by_name(district):
    users = USERS.replace("Grace", "Gráce")
    assert_rejected(district, bundle({"users.csv": users}, encoding="latin-1"),
                    "users.csv|3|None|is not UTF-8")  # fmt: skip


def test_missing_required_column(district):
    users = USERS.replace("givenName,", "given,").replace(",Ada,", ",Ada,", 1)
    assert_rejected(district, bundle({"users.csv": users}), "users.csv|1|givenName|required column")


def test_duplicate_sourced_ids(district):
    users = add_lines(USERS, "u1,active,,true,s1,student,,,Ada,Again,,1099,,,,,03,")
    expected = "users.csv|7|sourcedId|sourcedId 'u1' appears again (first on row 2)"
    assert_rejected(district, bundle({"users.csv": users}), expected)


def test_enrolment_pointing_at_unknown_class_or_user(district):
    enrollments = add_lines(ENROLLMENTS, "e8,active,,c404,s1,u1,student,false,2026-09-01,",
                            "e9,active,,c1,s1,ghost,student,false,2026-09-01,")  # fmt: skip
    assert_rejected(district, bundle({"enrollments.csv": enrollments}),
                    "enrollments.csv|6|classSourcedId|class 'c404' is not in classes.csv",
                    "enrollments.csv|7|userSourcedId|user 'ghost'")  # fmt: skip


def test_class_at_unknown_school(district):
    classes = add_lines(CLASSES, "c3,active,,Lost class,05,,,homeroom,,s404,t1,,,")
    assert_rejected(district, bundle({"classes.csv": classes}),
                    "classes.csv|4|schoolSourcedId|school 's404' is not in orgs.csv")  # fmt: skip


def test_malformed_dates(district):
    enrollments = replace_line(ENROLLMENTS, "e1,", "e1,active,,c1,s1,u1,student,false,09/01/2026,")
    sessions = replace_line(SESSIONS, "y1,", "y1,active,,2026-2027,schoolYear,2026-09-01,someday,,"
                            "2027")  # fmt: skip
    assert_rejected(district, bundle({"enrollments.csv": enrollments,
                                      "academicSessions.csv": sessions}),
                    "enrollments.csv|2|beginDate|'09/01/2026' is not a date as YYYY-MM-DD",
                    "academicSessions.csv|2|endDate|'someday' is not a date")  # fmt: skip


def test_zip_without_a_file_its_manifest_lists(district):
    assert_rejected(district, bundle(drop=["enrollments.csv"]),
                    "enrollments.csv|None|None|is missing from the zip, but manifest.csv lists "
                    "it as bulk")  # fmt: skip


def test_zip_with_files_in_nested_folders(district):
    assert_rejected(
        district, bundle(folder="export/2026/"), "export/2026/orgs.csv|None|None|is inside a folder"
    )


def test_not_a_zip(district):
    assert_rejected(district, b"sourcedId,name\n1,x\n", "roster.zip|None|None|this is not a zip")


def test_zip_bomb_is_refused_before_it_is_expanded(district, settings):
    settings.ROSTER_MAX_UNZIPPED_BYTES = 50_000_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("manifest.csv", "orgs.csv"):
            archive.writestr(name, "a")
        archive.writestr("users.csv", b"0" * 60_000_000)
    data = out.getvalue()
    assert len(data) < 200_000
    assert_rejected(district, data, "it expands to 60 MB", "looks like a zip bomb")


def test_file_over_the_size_limit_is_refused_at_upload(district, settings):

    settings.ROSTER_MAX_UPLOAD_BYTES = 1_000
    with district_context(district), pytest.raises(ValidationError, match="the limit is"):
        services.roster_import_upload(
            district=district, actor=SYSTEM, name="big.zip", data=b"x" * 2_000, kind="oneroster"
        )
    assert not RosterImport.objects.for_district(district).exists()


def test_duplicate_student_numbers(district):
    users = add_lines(USERS, "u4,active,,true,s1,student,,,Ada,Twin,,1001,,,,,03,")
    assert_rejected(district, bundle({"users.csv": users}),
                    "users.csv|7|identifier|student number '1001' appears again")  # fmt: skip


def test_a_failure_while_writing_leaves_nothing_half_written(district, monkeypatch):

    real = apply_module.insert_rows
    calls = []

    def failing_insert(model, *args, **kwargs):
        calls.append(model)
        if model is Enrolment:
            raise RuntimeError("disk full")
        return real(model, *args, **kwargs)

    monkeypatch.setattr(apply_module, "insert_rows", failing_insert)
    result = run(district, bundle())
    assert Enrolment in calls  # schools and students were written before the failure…
    assert result.status == RosterImport.Status.FAILED
    assert counts_in(district) == dict.fromkeys(counts_in(district), 0)  # …and rolled back
    assert not User.objects.filter(email="tess@alpha.example").exists()


# The command line ------------------------------------------------------------------------


def test_import_roster_command_dry_run_then_commit(district, tmp_path, capsys):
    path = tmp_path / "roster.zip"
    path.write_bytes(bundle())
    call_command("import_roster", "--district", "alpha", str(path), "--dry-run")
    assert "would change" in capsys.readouterr().out
    assert counts_in(district)["Student"] == 0
    call_command("import_roster", "--district", "alpha", str(path))
    assert counts_in(district)["Student"] == 3
    call_command("import_roster", "--district", "alpha", str(path))
    assert capsys.readouterr().out.strip().endswith("0 changes")


def test_import_roster_command_exits_non_zero_with_row_errors(district, tmp_path, capsys):

    path = tmp_path / "bad.zip"
    path.write_bytes(bundle({"classes.csv": add_lines(CLASSES, "c3,active,,X,05,,,,,s9,t1,,,")}))
    with pytest.raises(CommandError, match="1 problems, nothing written"):
        call_command("import_roster", "--district", "alpha", str(path))
    assert "classes.csv, row 4, column schoolSourcedId: school 's9' is not in orgs.csv" in (
        capsys.readouterr().err
    )
    assert counts_in(district)["School"] == 0


def test_import_roster_command_unknown_district(tmp_path):

    with pytest.raises(CommandError, match="no district has the slug 'nowhere'"):
        call_command("import_roster", "--district", "nowhere", str(tmp_path / "x.zip"))


def test_generated_bundle_imports_cleanly(district):
    data = generate_bundle(slug="alpha", schools=3, students=200,
                           today=datetime.date(2026, 10, 1))  # fmt: skip
    result = run(district, data)
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert result.counts["students"]["create"] == 200


def test_an_xlsx_that_is_a_zip_bomb_is_refused_before_it_is_read(settings):

    settings.ROSTER_MAX_UNZIPPED_BYTES = 50_000_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 60_000_000)
    with pytest.raises(InputRejected) as rejected:
        read_table("students.xlsx", out.getvalue())
    text = " ".join(str(p) for p in rejected.value.problems)
    assert "expands to 60 MB" in text and "zip bomb" in text
