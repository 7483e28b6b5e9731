"""A district admin imports a roster in the browser, then a teacher finds their student."""

import pytest

from districts.models import Role
from schools.models import StaffAssignment
from tests.factories import PASSWORD, DistrictFactory, UserFactory, member
from tests.mfa import pass_second_step
from tests.schools.bundles import bundle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_step(page, email)
    page.wait_for_url(f"{live_server.url}/d/alpha/")


def test_admin_imports_a_bundle_and_a_teacher_finds_their_student(live_server, page, tmp_path):
    district = DistrictFactory(slug="alpha", name="Alpha School District")
    member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example")
    path = tmp_path / "roster.zip"
    path.write_bytes(bundle())

    # The admin uploads; the check runs (Celery, eager here) and the preview shows counts.
    sign_in(page, live_server, "admin@alpha.example")
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("OneRoster bundle (zip)").check()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_text("Ready to commit").wait_for()
    students_row = page.get_by_role("row", name="Students")
    assert students_row.get_by_role("cell").nth(0).inner_text() == "3"
    page.get_by_role("button", name="Commit this import").click()
    page.get_by_text("Status: Committed").wait_for()
    assert page.get_by_role("heading", name="Changes made").is_visible()

    # Tess arrives from the SIS without a password; give her one, as an invitation would.
    tess = UserFactory._meta.model.objects.get(email="tess@alpha.example")
    tess.set_password(PASSWORD)
    tess.save()
    assert StaffAssignment.objects.for_district(district).filter(user=tess).exists()

    sign_in(page, live_server, "tess@alpha.example")
    page.get_by_role("link", name="Find a student").click()
    page.get_by_label("Find a student").fill("lovel")
    page.get_by_role("link", name="Lovelace, Ada").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ada Lovelace")
    # Alan is at another school: Tess's search does not find him.
    page.go_back()
    page.get_by_label("Find a student").fill("turing")
    page.get_by_text("No student you can see matches").wait_for()
