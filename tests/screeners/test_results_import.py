"""Results files: the command line and the window page, all or nothing, row-level problems."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from crsys.tenancy.context import district_context
from districts.permissions import SYSTEM
from screeners import services
from screeners.models import ResultImport, Screener, ScreenerResult
from tests.factories import StudentFactory, focus_area
from tests.screeners.fixtures import BANDS, screened_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district, school):
    return screened_class(district, school)


def csv_file(tmp_path, text: str):
    path = tmp_path / "results.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_command_imports_and_reimports_nothing(district, world, tmp_path, capsys):
    path = csv_file(tmp_path, "Student Number,Screener,Score\n700,Reading,45\n701,reading,80\n")
    args = ["import_results", "--district", "alpha", "--window", str(world["window"].pk), path]
    call_command(*args, "--dry-run")
    assert "would save: 2 new" in capsys.readouterr().out
    assert not ScreenerResult.objects.for_district(district).exists()
    call_command(*args)
    call_command(*args)
    assert "saved: 0 new, 0 changed, 2 unchanged" in capsys.readouterr().out
    with district_context(district):
        assert sorted(ScreenerResult.objects.values_list("band__name", flat=True)) == [
            "At benchmark",
            "Strategic",
        ]


def test_command_reports_every_bad_row_and_writes_nothing(district, world, tmp_path, capsys):
    path = csv_file(
        tmp_path,
        "student number,screener,score\n"
        "700,Reading,45\n"  # fine
        "700,Reading,50\n"  # duplicate
        "999,Reading,50\n"  # unknown student
        "701,Reading,140\n"  # out of range
        "702,Mathz,3\n"  # unknown screener
        "702,Reading,lots\n",
    )  # not a number
    with pytest.raises(CommandError, match="5 problems, nothing written"):
        call_command(
            "import_results", "--district", "alpha", "--window", str(world["window"].pk), path
        )
    err = capsys.readouterr().err
    assert "row 3, column student number: 700 has a second Reading result (first on row 2)" in err
    assert "row 4, column student number: no student has the number '999'" in err
    assert "row 5, column score: 140 is out of range" in err
    assert "row 6, column screener: 'Mathz' is not a screener" in err
    assert "row 7, column score: 'lots' is not a number" in err
    assert not ScreenerResult.objects.for_district(district).exists()


def test_missing_column_and_student_not_enrolled(district, school, world, tmp_path, capsys):

    StudentFactory(district=district, school=school, student_number="800", grade="03")
    with pytest.raises(CommandError):
        call_command(
            "import_results",
            "--district",
            "alpha",
            "--window",
            str(world["window"].pk),
            csv_file(tmp_path, "student number,score\n700,4\n"),
        )
    assert "no 'screener' column" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command(
            "import_results",
            "--district",
            "alpha",
            "--window",
            str(world["window"].pk),
            csv_file(tmp_path, "student number,screener,score\n800,Reading,50\n"),
        )
    assert "is not enrolled in" in capsys.readouterr().err


def test_window_page_upload_check_and_commit(
    client, district, admin_user, world, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    window = world["window"]
    upload = SimpleUploadedFile("r.csv", b"student number,screener,score\n700,Reading,61\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/d/alpha/screening/{window.pk}/imports/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Ready to commit" in page and "Would save: 1 new" in page
    result_import = ResultImport.objects.for_district(district).get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/d/alpha/screening/imports/{result_import.pk}/commit/")
    result_import.refresh_from_db()
    assert result_import.status == "committed"
    assert ScreenerResult.objects.for_district(district).get().score == 61


def test_teachers_cannot_import_results(client, world):
    client.force_login(world["teacher"])
    upload = SimpleUploadedFile("r.csv", b"student number,screener,score\n700,Reading,61\n")
    response = client.post(f"/d/alpha/screening/{world['window'].pk}/imports/", {"file": upload})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "sheet", "message"),
    [
        ("r.csv", "S" * 121, "Sheet: Ensure this value has at most 120 characters"),
        ("r.csv", "a\x00b", "contains a NUL character"),
    ],
)
def test_an_over_long_name_or_sheet_is_refused_not_truncated(
    client, district, admin_user, world, name, sheet, message
):
    client.force_login(admin_user)
    upload = SimpleUploadedFile(name, b"student number,screener,score\n700,Reading,61\n")
    response = client.post(
        f"/d/alpha/screening/{world['window'].pk}/imports/",
        {"file": upload, "sheet": sheet},
        follow=True,
    )
    assert message in response.content.decode()
    assert not ResultImport.objects.for_district(district).exists()


def test_a_file_name_too_long_to_store_is_refused(district, world):
    """Uploads arrive with names Django has already cut to 255; the command line passes the
    file's own name, which is refused rather than cut."""

    with district_context(district), pytest.raises(ValidationError, match="longer than 255"):
        services.result_import_upload(
            actor=SYSTEM, window=world["window"], name=f"{'r' * 260}.csv", data=b"x", check=False
        )


# A results file credits its uploader, as the grid and the bulk API credit whoever typed:
# imported rows had no enterer, and a changed row kept the previous one (a teacher named for
# an administrator's correction).
def test_imported_results_are_credited_to_the_uploader(
    client, district, admin_user, world, django_capture_on_commit_callbacks
):
    # given: 700 has a result the teacher entered; 701 has none
    window, kids = world["window"], world["students"]
    with district_context(district):
        ScreenerResult.objects.create(
            district=district, window=window, screener=world["reading"], student=kids[0],
            score=10, grade="03", school=kids[0].school, entered_by=world["teacher"],
        )  # fmt: skip
    # when: the admin imports a new score for both
    client.force_login(admin_user)
    text = b"student number,screener,score\n700,Reading,61\n701,Reading,62\n"
    upload = SimpleUploadedFile("r.csv", text)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/d/alpha/screening/{window.pk}/imports/", {"file": upload})
    result_import = ResultImport.objects.for_district(district).get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/d/alpha/screening/imports/{result_import.pk}/commit/")
    # then: both rows name the admin
    rows = ScreenerResult.objects.for_district(district).values_list("score", "entered_by")
    assert sorted(rows) == [(61, admin_user.pk), (62, admin_user.pk)]


# Wide files, as screening platforms export them (issue 9 item 12) ------------------------

# One row per student, one column per measure; names, grade, a percentile and a measure the
# window does not give ride along; Bo was absent (blank), Cy scored 80.
PLATFORM_EXPORT = (
    "{student},Last Name,First Name,Grade,Reading Score,Reading Percentile,Math Score,"
    "Assessment Date\n"
    "700,Lee,Ana,3,45,32,51,2026-11-20\n"
    "701,Kim,Bo,3,,,,\n"
    "702,Ng,Cy,3,80,91,,2026-11-21\n"
)


@pytest.mark.parametrize("student", ["Student ID", "Student Number", "StudentID", "Local ID"])
def test_a_wide_platform_export_imports_with_blanks_as_not_screened(
    district, world, tmp_path, capsys, student
):
    path = csv_file(tmp_path, PLATFORM_EXPORT.format(student=student))
    call_command("import_results", "--district", "alpha", "--window", str(world["window"].pk), path)
    out = capsys.readouterr().out
    assert "saved: 2 new" in out
    assert "1 blank score: not screened" in out
    assert "Reading Percentile" in out and "Math Score" in out  # ignored, and said so
    with district_context(district):
        scores = dict(ScreenerResult.objects.values_list("student__student_number", "score"))
    assert scores == {"700": 45, "702": 80}  # Bo: not screened, not refused


def test_a_blank_score_in_a_long_file_is_not_screened(district, world, tmp_path, capsys):
    path = csv_file(tmp_path, "Student ID,Screener,Score\n700,Reading,\n701,Reading,61\n")
    call_command("import_results", "--district", "alpha", "--window", str(world["window"].pk), path)
    out = capsys.readouterr().out
    assert "saved: 1 new" in out and "1 blank score: not screened" in out


def test_a_wide_column_that_could_be_two_screeners_is_named(district, world, tmp_path, capsys):

    with district_context(district):
        math = Screener.objects.create(
            name="Math", focus_area=focus_area(district, "numeracy"), grades=["03"]
        )
        services.bands_replace(actor=SYSTEM, screener=math, grade="03", season="fall", bands=BANDS)
        fluency = Screener.objects.create(
            name="Reading Fluency", focus_area=focus_area(district, "literacy"), grades=["03"]
        )
        services.bands_replace(
            actor=SYSTEM, screener=fluency, grade="03", season="fall", bands=BANDS
        )
        world["window"].screeners.add(math, fluency)
    # "Reading Fluency Score" is Reading Fluency's (the longer name), "Grade" no one's
    path = csv_file(
        tmp_path, "Local ID,Grade,Reading Fluency Score,Math Reading Composite\n700,3,45,50\n"
    )
    with pytest.raises(CommandError):
        call_command(
            "import_results", "--district", "alpha", "--window", str(world["window"].pk), path
        )
    err = capsys.readouterr().err
    assert "column Math Reading Composite: could be Math or Reading: rename the column" in err
    assert "column Grade" not in err and "Reading Fluency Score" not in err  # placed
    assert not ScreenerResult.objects.for_district(district).exists()


def test_a_wide_file_with_no_screener_column_says_what_to_name_them(
    district, world, tmp_path, capsys
):
    path = csv_file(tmp_path, "Student ID,Name,Grade\n700,Ana,3\n")
    with pytest.raises(CommandError):
        call_command(
            "import_results", "--district", "alpha", "--window", str(world["window"].pk), path
        )
    assert "name each score column after its screener (Reading)" in capsys.readouterr().err


def test_the_mapping_step_resolves_a_column_the_importer_cannot_place(
    client, district, admin_user, world, django_capture_on_commit_callbacks
):

    with district_context(district):
        fluency = Screener.objects.create(
            name="Reading Fluency", focus_area=focus_area(district, "literacy"), grades=["03"]
        )
        services.bands_replace(
            actor=SYSTEM, screener=fluency, grade="03", season="fall", bands=BANDS
        )
        world["window"].screeners.add(fluency)
    client.force_login(admin_user)
    window = world["window"]
    # given: a platform export whose columns name no screener the importer can place
    upload = SimpleUploadedFile("wide.csv", b"Student ID,First Name,Read,ORF\n700,Ana,61,\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/d/alpha/screening/{window.pk}/imports/", {"file": upload})
    page = client.get(response["Location"]).content.decode()
    assert "no column is a screener of the window" in page
    assert "Columns of the file" in page and "First Name" in page and "ORF" in page
    result_import = ResultImport.objects.for_district(district).get()
    assert result_import.columns == ["First Name", "Read", "ORF"]
    # when: the admin says Read is Reading, ORF is Reading Fluency
    mapping = {"column_0": "0", "column_1": str(world["reading"].pk), "column_2": str(fluency.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/d/alpha/screening/imports/{result_import.pk}/columns/", mapping)
    result_import.refresh_from_db()
    # then: checked again, ready; Ana's Reading is 61 and her blank ORF is not screened
    assert result_import.status == "ready", result_import.problems
    assert result_import.preview["create"] == 1
    assert any("1 blank score: not screened" in w for w in result_import.warnings)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/d/alpha/screening/imports/{result_import.pk}/commit/")
    with district_context(district):
        assert list(ScreenerResult.objects.values_list("screener__name", "score")) == [
            ("Reading", 61)
        ]
