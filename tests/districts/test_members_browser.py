"""The members page in Chromium: usable from the keyboard alone, and clean under axe-core
(WCAG 2.1 A/AA), at desktop and phone widths. Set CRSYS_SCREENSHOTS=<dir> to keep pictures."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from districts.models import Membership, Role
from tests.factories import PASSWORD, DistrictFactory, MembershipFactory, SchoolFactory, member
from tests.mfa import pass_second_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page) -> list[str]:
    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found]


def _shoot(page, name: str) -> None:
    if folder := os.environ.get("CRSYS_SCREENSHOTS"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _wider_than_the_screen(page) -> list[str]:
    """Elements that stick out past the window's right edge (the page would scroll sideways)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"""
    )


@pytest.fixture
def alpha(db):
    district = DistrictFactory(slug="alpha", name="Alpha School District")
    aspen = SchoolFactory(district=district, name="Aspen Heights Elementary")
    birch = SchoolFactory(district=district, name="Birch Hill School")
    member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example", full_name="Dana Admin")
    for n in range(60):
        # Plain names: a Faker "Terry" among them made the search below find two (flaky).
        MembershipFactory(
            district=district,
            role=Role.TEACHER,
            school=(aspen, birch)[n % 2],
            user__full_name=f"Colleague {n}",
        )
    teacher = member(district, Role.TEACHER, school=aspen, email="terry@alpha.example")
    teacher.full_name = "Terry Teacher"
    teacher.save()
    return district, birch, teacher


def _sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/?next=/d/alpha/members/")
    page.get_by_label("E-mail").fill("admin@alpha.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    pass_second_step(page, "admin@alpha.example")
    page.wait_for_url(f"{live_server.url}/d/alpha/members/")


@pytest.mark.parametrize("width", [1280, 390])
def test_find_a_member_and_move_them_with_the_keyboard_only(live_server, page, alpha, width):
    district, birch, teacher = alpha
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, live_server)
    assert _violations(page) == []
    assert _wider_than_the_screen(page) == []
    _shoot(page, f"members-{width}")
    # Search: the field is reachable by Tab, Enter submits.
    page.get_by_label("Name or e-mail").focus()
    page.keyboard.type("terry")
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/?q=terry*")
    assert page.get_by_text("1 membership.").is_visible()
    # Manage: a link in the row, then the form's fields in order.
    page.get_by_role("link", name="Manage Terry Teacher, Teacher at Aspen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/*/?back=*")
    assert _violations(page) == []
    assert _wider_than_the_screen(page) == []
    _shoot(page, f"member-{width}")
    role = page.get_by_role("combobox", name="Role")
    role.focus()
    role.select_option("principal")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "school"
    page.get_by_role("combobox", name="School").select_option(label="Birch Hill School")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Save role and school"
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/?q=terry*")
    assert page.get_by_role("status").inner_text().startswith("Terry Teacher: now principal")
    with_role = Membership.objects.for_district(district).get(user=teacher)
    assert (with_role.role, with_role.school_id) == (Role.PRINCIPAL, birch.pk)
