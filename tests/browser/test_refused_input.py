"""A refusal of input the server cannot store is said where the user typed it."""

import pytest

from tests.factories import PASSWORD
from tests.isolation import build_world
from tests.mfa import pass_second_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_autosave_with_a_nul_says_why_it_was_not_saved(live_server, browser, district):
    world = build_world(district=district, marker="Nul")
    teacher = world.objects["membership"].user
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(teacher.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_step(page, teacher.email)
    page.wait_for_url(f"{live_server.url}/d/alpha/")
    page.goto(f"{live_server.url}/d/alpha/meetings/{world.objects['meeting'].pk}/")

    notes = page.get_by_label("Notes", exact=True).first
    notes.fill("pasted from a PDF\x00 with a stray NUL")
    notes.blur()

    refusal = page.locator(".save-error").first
    refusal.wait_for()
    assert "NUL character" in refusal.inner_text()
    assert "Your text is still here" in refusal.inner_text()
    assert "\x00" in notes.input_value()  # nothing typed was thrown away
    page.screenshot(path="/tmp/crsys-refused-nul.png")

    # A page (not htmx) refused the same way shows the site's page, saying why.
    page.goto(f"{live_server.url}/d/alpha/students/?q=%00")
    assert "NUL character" in page.locator("main").inner_text()
    page.set_viewport_size({"width": 390, "height": 800})
    page.screenshot(path="/tmp/crsys-refused-page.png", full_page=True)
