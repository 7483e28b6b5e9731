"""The dry run's list of people in Chromium: searched from the keyboard, readable on a phone,
and clean under axe-core (issue 9 item 9)."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from districts.models import Role
from tests.browser.test_roster_import import sign_in
from tests.factories import DistrictFactory, member
from tests.schools.bundles import USERS, add_lines, bundle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SHOTS = os.environ.get("CRSYS_SCREENSHOTS", "")


def test_admin_finds_a_person_in_the_dry_run_list(live_server, page, tmp_path):
    district = DistrictFactory(slug="alpha", name="Alpha School District")
    member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example")
    users = add_lines(USERS, *[f"n{i},active,,true,s1,student,,,Pupil,Number{i:03d},,{5000 + i},"
                               ",,,,Grade 3," for i in range(55)])  # fmt: skip
    path = tmp_path / "roster.zip"
    path.write_bytes(bundle({"users.csv": users}))
    sign_in(page, live_server, "admin@alpha.example")
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("OneRoster bundle (zip)").check()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_text("Ready to commit").wait_for()
    assert page.get_by_text("Read as OneRoster 1.1").is_visible()
    page.get_by_role("link", name="See who it would change").click()
    assert page.get_by_text("Page 1 of 2").is_visible()
    # keyboard only: type a name, Enter submits the search
    page.get_by_label("Find a person").focus()
    page.keyboard.type("lovelace")
    page.keyboard.press("Enter")
    page.get_by_role("row", name="Ada Lovelace").wait_for()
    assert page.get_by_role("row").count() == 2  # header and Ada
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.url.split("?")[0])
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/import-people-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        found = Axe().run(page, options=WCAG).response["violations"]
        assert not found, [f"{v['id']}: {v['nodes'][0]['target']}" for v in found]
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/import-people-{width}.png", full_page=True)
