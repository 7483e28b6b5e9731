"""The roster import as a district admin does it in the browser (Django test client)."""

import csv
import io

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crsys.tenancy.context import district_context
from districts.models import Role
from schools.models import RosterImport, Student, StudentFlag, StudentFlagValue
from tests.factories import SchoolFactory, member
from tests.schools.bundles import USERS, add_lines, bundle

pytestmark = pytest.mark.django_db
IMPORTS = "/d/alpha/imports/"


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(client, data: bytes, name: str, kind: str = "oneroster", **extra):
    with_commit = extra.pop("capture")
    with with_commit(execute=True):
        response = client.post(
            IMPORTS, {"kind": kind, "file": SimpleUploadedFile(name, data)}, **extra
        )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return response["Location"]


def test_upload_check_preview_commit(admin, district, django_capture_on_commit_callbacks):
    # given: an uploaded bundle, checked by the (eager) Celery task after the upload commits
    detail = upload(admin, bundle(), "roster.zip", capture=django_capture_on_commit_callbacks)
    page = admin.get(detail).content.decode()
    assert "Ready to commit" in page and "Commit this import" in page
    assert Student.objects.for_district(district).count() == 0
    # when: the admin commits
    roster_import = RosterImport.objects.for_district(district).get()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"{IMPORTS}{roster_import.pk}/commit/")
    # then
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTED
    assert Student.objects.for_district(district).count() == 3
    history = admin.get(IMPORTS).content.decode()
    assert "roster.zip" in history and "Committed" in history and "admin@alpha.example" in history
    # and a second commit of the same import is refused
    response = admin.post(f"{IMPORTS}{roster_import.pk}/commit/", follow=True)
    assert "Only a checked import" in response.content.decode()


def test_progress_partial_polls_while_busy_and_stops_when_done(admin, district):
    with district_context(district):
        busy = RosterImport.objects.create(district=district, kind="oneroster",
                                           original_name="x.zip", status="checking")  # fmt: skip
    html = admin.get(f"{IMPORTS}{busy.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and "<progress" in html and "<html" not in html
    busy.status = "ready"
    busy.save()
    html = admin.get(f"{IMPORTS}{busy.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html and "Ready to commit" in html


def test_problems_are_shown_and_downloadable_with_formulas_escaped(
    admin, district, django_capture_on_commit_callbacks
):
    users = add_lines(USERS, "=cmd|' /C calc'!A0,active,,true,s404,student,,,X,Y,,9,,,,,03,")
    detail = upload(admin, bundle({"users.csv": users}), "bad.zip",
                    capture=django_capture_on_commit_callbacks)  # fmt: skip
    page = admin.get(detail).content.decode()
    assert "Has errors" in page and "nothing was written" in page
    assert "names no school in orgs.csv" in page
    roster_import = RosterImport.objects.for_district(district).get()
    response = admin.get(f"{IMPORTS}{roster_import.pk}/problems.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["file", "row", "column", "message"]
    messages = " ".join(cell for row in rows[1:] for cell in row)
    assert "'=cmd" in messages or "=cmd" not in messages
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_only_district_admins_import(client, district, school, teacher_user):
    principal = member(district, Role.PRINCIPAL, school=school)
    for user in (teacher_user, principal):
        client.force_login(user)
        assert client.get(IMPORTS).status_code == 403
        upload_form = {"kind": "oneroster", "file": SimpleUploadedFile("r.zip", bundle())}
        response = client.post(IMPORTS, upload_form)
        assert response.status_code == 403
    assert not RosterImport.objects.for_district(district).exists()


def students_csv(rows: list[str]) -> bytes:
    return ("Student No,First Name,Last Name,Grade,School,ELL\n" + "\n".join(rows)).encode()


def test_students_spreadsheet_with_column_mapping(
    admin, district, django_capture_on_commit_callbacks
):
    SchoolFactory(district=district, code="ASP", name="Aspen")
    StudentFlag.objects.create(district=district, code="ell", label="ELL", sensitive=True)
    data = students_csv(["2001,Ana,Silva,3,ASP,Y", "2002,Ben,Okafor,K,ASP,"])
    detail = upload(admin, data, "students.csv", kind="students",
                    capture=django_capture_on_commit_callbacks)  # fmt: skip
    # An uploaded spreadsheet waits for its columns, guessed from the headers.
    mapping_page = admin.get(detail, follow=True).content.decode()
    assert "Match the columns" in mapping_page
    assert '<option value="Student No" selected>' in mapping_page
    roster_import = RosterImport.objects.for_district(district).get()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"{IMPORTS}{roster_import.pk}/columns/", {
            "student_number": "Student No", "given_name": "First Name",
            "family_name": "Last Name", "grade": "Grade", "school_code": "School",
            "flag:ell": "ELL",
        })  # fmt: skip
    roster_import.refresh_from_db()
    assert roster_import.status == "ready", roster_import.problems
    assert roster_import.preview["students"]["create"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"{IMPORTS}{roster_import.pk}/commit/")
    with district_context(district):
        ana = Student.objects.get(student_number="2001")
        assert (ana.grade, ana.school.code) == ("03", "ASP")
        assert Student.objects.get(student_number="2002").grade == "KG"
        assert list(StudentFlagValue.objects.values_list("student__student_number", "flag__code")
                    ) == [("2001", "ell")]  # fmt: skip


def test_students_spreadsheet_row_errors_name_row_and_column(
    admin, district, django_capture_on_commit_callbacks
):
    SchoolFactory(district=district, code="ASP")
    rows = ["2001,Ana,Silva,3,ASP,", "2001,Ana,Again,3,ASP,", "2003,,Z,purple,NOPE,"]
    data = students_csv(rows)
    upload(admin, data, "s.csv", kind="students", capture=django_capture_on_commit_callbacks)
    roster_import = RosterImport.objects.for_district(district).get()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"{IMPORTS}{roster_import.pk}/columns/", {
            "student_number": "Student No", "given_name": "First Name",
            "family_name": "Last Name", "grade": "Grade", "school_code": "School",
        })  # fmt: skip
    roster_import.refresh_from_db()
    found = {(p["row"], p["column"], p["message"]) for p in roster_import.problems}
    assert (3, "Student No", "student number '2001' appears again (first on row 2)") in found
    assert (4, "First Name", "is empty; a value is required") in found
    assert (4, "Grade", "'purple' is not a grade") in found
    assert (4, "School", "no school has the code or name 'NOPE'") in found
    assert not Student.objects.for_district(district).exists()


def workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return out.getvalue()


def test_xlsx_with_several_sheets_asks_which_one(
    admin, district, django_capture_on_commit_callbacks
):
    SchoolFactory(district=district, code="ASP")
    students = pd.DataFrame({"Student No": ["007"], "First Name": ["Jo"], "Last Name": ["Bond"],
                             "Grade": ["5"], "School": ["ASP"]})  # fmt: skip
    notes = pd.DataFrame({"Note": ["exported from the SIS"]})
    data = workbook({"Notes": notes, "Students": students})
    detail = upload(admin, data, "students.xlsx", kind="students",
                    capture=django_capture_on_commit_callbacks)  # fmt: skip
    page = admin.get(detail, follow=True).content.decode()
    assert "choose the one with the students" in page
    roster_import = RosterImport.objects.for_district(district).get()
    page = admin.get(f"{IMPORTS}{roster_import.pk}/columns/?sheet=Students").content.decode()
    assert '<option value="Student No" selected>' in page
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"{IMPORTS}{roster_import.pk}/columns/", {
            "sheet": "Students", "student_number": "Student No", "given_name": "First Name",
            "family_name": "Last Name", "grade": "Grade", "school_code": "School",
        })  # fmt: skip
    roster_import.refresh_from_db()
    assert roster_import.status == "ready", roster_import.problems
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"{IMPORTS}{roster_import.pk}/commit/")
    with district_context(district):
        assert Student.objects.get().student_number == "007"  # leading zeros kept


def test_import_list_query_count(admin, district, django_assert_max_num_queries):
    with district_context(district):
        for n in range(25):
            RosterImport.objects.create(district=district, kind="oneroster",
                                        original_name=f"{n}.zip", status="committed")  # fmt: skip
    with django_assert_max_num_queries(10):
        assert admin.get(IMPORTS).status_code == 200
