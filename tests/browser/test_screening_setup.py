"""A district admin sets up screening in the browser: a screener's bands (the spare row left
untouched), a school year and its windows (added, changed, deleted); a teacher then sees a
window not yet open as read-only, with the day it opens (issue 14, items 8, 9 and 10)."""

import datetime

import pytest

from crsys.tenancy.context import district_context
from districts.models import Role
from screeners.models import BenchmarkBand, Screener, ScreeningWindow, human_date
from tests.factories import PASSWORD, focus_area, member
from tests.mfa import pass_second_step
from tests.screeners.fixtures import screened_class

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_step(page, email)
    page.wait_for_url(f"{live_server.url}/d/alpha/")


def fill_band(page, number, name, low, high, colour):
    page.get_by_label(f"Band {number} name").fill(name)
    page.get_by_label(f"Band {number} label").fill(f"{name} support")
    page.get_by_label(f"Band {number} colour").fill(colour)
    page.get_by_label(f"Band {number} from").fill(str(low))
    page.get_by_label(f"Band {number} to").fill(str(high))


def test_admin_saves_bands_leaving_the_spare_row_untouched(live_server, page, district):
    member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example")
    with district_context(district):
        screener = Screener.objects.create(
            district=district,
            name="Reading",
            focus_area=focus_area(district, "literacy"),
            grades=["03"],
        )
    sign_in(page, live_server, "admin@alpha.example")
    page.goto(f"{live_server.url}/d/alpha/screeners/{screener.pk}/?grade=03&season=fall")
    # A new screener shows one blank row: fill it, save, then the next blank row appears.
    fill_band(page, 1, "Intensive", 0, 39, "#c62828")
    page.get_by_role("button", name="Save bands").click()
    page.get_by_role("alert").or_(page.get_by_text("Bands saved")).first.wait_for()
    assert "This field is required" not in page.content()
    # Band 1 "Intensive" 0-39 alone does not cover 0-100: the page says so, nothing else.
    assert "the highest possible score 100 is in no band" in page.content()
    fill_band(page, 2, "At benchmark", 40, 100, "#2e7d32")
    page.get_by_role("button", name="Save bands").click()
    page.get_by_text("Bands saved for grade 03, fall.").wait_for()
    assert page.get_by_label("Band 3 name").input_value() == ""  # the spare row, untouched
    page.get_by_role("button", name="Save bands").click()  # saving again changes nothing
    page.get_by_text("Bands saved for grade 03, fall.").wait_for()
    assert "This field is required" not in page.content()
    with district_context(district):
        saved = list(BenchmarkBand.objects.order_by("rank").values_list("name", "colour"))
    assert saved == [("Intensive", "#c62828"), ("At benchmark", "#2e7d32")]


def test_admin_builds_the_schedule_in_the_browser(live_server, page, district):
    member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example")
    with district_context(district):
        Screener.objects.create(
            district=district, name="Reading", focus_area=focus_area(district, "literacy")
        )
    sign_in(page, live_server, "admin@alpha.example")
    page.goto(f"{live_server.url}/d/alpha/screening/")
    page.get_by_label("Name:", exact=True).fill("2030–2031")
    page.get_by_label("Starts on:", exact=True).fill("2030-09-01")
    page.get_by_label("Ends on:", exact=True).fill("2031-06-30")
    page.get_by_role("button", name="Add school year").click()
    page.get_by_text("School year 2030–2031 added").wait_for()

    def add_window(season, opens, closes, name=""):
        page.get_by_label("School year:", exact=True).select_option(label="2030–2031")
        page.get_by_label("Season:", exact=True).select_option(label=season)
        page.get_by_label("Name (optional):", exact=True).fill(name)
        page.get_by_label("Opens on:", exact=True).fill(opens)
        page.get_by_label("Closes on:", exact=True).fill(closes)
        page.get_by_label("Reading").check()
        page.get_by_role("button", name="Save window").click()

    add_window("Fall", "2030-09-15", "2030-10-15")
    page.get_by_text("Fall 2030–2031 saved.").wait_for()
    add_window("Fall", "2030-11-01", "2030-11-15", name="Fall re-screen")
    page.get_by_text("Fall re-screen 2030–2031 saved.").wait_for()
    add_window("Winter", "2030-11-10", "2030-12-01")  # overlaps the re-screen
    page.get_by_text("overlaps Fall re-screen 2030–2031 (1 Nov 2030 to 15 Nov 2030)").wait_for()

    # Change the re-screen's dates and grades, then delete it (it has no results).
    page.get_by_role("link", name="Fall re-screen 2030–2031").click()
    page.get_by_label("Closes on:", exact=True).fill("2030-11-20")
    page.get_by_label("Grade 3").check()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Fall re-screen 2030–2031 saved.").wait_for()
    with district_context(district):
        rescreen = ScreeningWindow.objects.get(name="Fall re-screen")
    assert (rescreen.closes_on, rescreen.grades) == (datetime.date(2030, 11, 20), ["03"])
    page.get_by_role("button", name="Delete this window").click()
    page.get_by_text("Fall re-screen 2030–2031 deleted.").wait_for()
    with district_context(district):
        assert list(ScreeningWindow.objects.values_list("season", flat=True)) == ["fall"]


def test_a_teacher_sees_a_window_not_yet_open_read_only(live_server, page, district, school):
    world = screened_class(district, school)
    today = datetime.date.today()
    with district_context(district):
        ScreeningWindow.objects.filter(pk=world["window"].pk).update(
            opens_on=today + datetime.timedelta(days=20),
            closes_on=today + datetime.timedelta(days=30),
        )
    world["teacher"].email = "tess@alpha.example"
    world["teacher"].save()
    sign_in(page, live_server, "tess@alpha.example")
    page.goto(f"{live_server.url}/d/alpha/classrooms/{world['room'].pk}/screening/")
    opens = human_date(today + datetime.timedelta(days=20))
    page.get_by_text(f"opens {opens}").first.wait_for()
    assert "changes need a district admin" not in page.content()
    cell = page.locator("input.score-input").first
    assert cell.get_attribute("readonly") is not None
    cell.press("4")  # typing does nothing in a read-only cell
    assert cell.input_value() == ""
