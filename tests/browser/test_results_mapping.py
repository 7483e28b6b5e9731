"""A district admin imports a wide results file whose columns need the mapping step."""

import pytest

from districts.models import Role
from screeners.models import ScreenerResult
from tests.factories import PASSWORD, DistrictFactory, SchoolFactory, member
from tests.mfa import pass_second_step
from tests.screeners.fixtures import screened_class

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_maps_a_wide_files_columns_and_commits(live_server, page, tmp_path):
    district = DistrictFactory(slug="alpha", name="Alpha School District")
    world = screened_class(district, SchoolFactory(district=district, name="Aspen", code="ASP"))
    member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example")
    path = tmp_path / "export.csv"
    path.write_text("Student ID,First Name,ORF\n700,Ana,61\n701,Bo,\n", encoding="utf-8")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill("admin@alpha.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_step(page, "admin@alpha.example")
    page.wait_for_url(f"{live_server.url}/d/alpha/")
    page.goto(f"{live_server.url}/d/alpha/screening/{world['window'].pk}/")
    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_text("Status: Has errors").wait_for()
    # The columns are labelled selects: keyboard and screen-reader usable.
    page.get_by_label("ORF").select_option(label="Reading")
    page.get_by_label("First Name").select_option(label="Not a score: ignore")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"/tmp/enrol-mapping-{width}.png", full_page=True)
    page.get_by_role("button", name="Check again with these columns").click()
    page.get_by_text("Ready to commit").wait_for()
    assert page.get_by_text("1 blank score: not screened").is_visible()
    page.get_by_role("button", name="Commit these results").click()
    page.get_by_text("Status: Committed").wait_for()
    assert ScreenerResult.objects.for_district(district).get().score == 61
