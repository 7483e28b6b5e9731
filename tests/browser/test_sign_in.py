"""A person signs in with a real browser (Debian's Chromium through Playwright)."""

import pytest

from districts.models import Role
from tests.factories import PASSWORD, DistrictFactory, SchoolFactory, member
from tests.mfa import pass_second_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_shows_the_district_home_page(live_server, page):
    district = DistrictFactory(slug="alpha", name="Alpha School District")
    school = SchoolFactory(district=district, name="Aspen Heights Elementary")
    member(district, Role.PRINCIPAL, school=school, email="principal@alpha.example")

    page.goto(f"{live_server.url}/d/alpha/")
    assert "/accounts/login/" in page.url
    page.get_by_label("E-mail").fill("principal@alpha.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    pass_second_step(page, "principal@alpha.example")

    page.wait_for_url(f"{live_server.url}/d/alpha/")
    assert page.get_by_role("heading", level=1).inner_text() == "Alpha School District"
    assert page.get_by_role("link", name="Aspen Heights Elementary", exact=True).is_visible()
    assert page.evaluate("typeof window.htmx") == "object"  # served from our own static files


def test_wrong_password_is_reported_in_the_form(live_server, page):
    district = DistrictFactory(slug="alpha")
    member(district, Role.DISTRICT_LEADER, email="leader@alpha.example")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill("leader@alpha.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    assert page.get_by_role("alert").inner_text().startswith("That e-mail and password")
