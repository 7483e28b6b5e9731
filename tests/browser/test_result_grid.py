"""A teacher enters a class's screener results in the grid with the keyboard; after the
window closes, the dashboards show the colours, labels and movement."""

import datetime

import pytest

from crsys.tenancy.context import district_context
from schools.selectors import district_today
from screeners.models import ScreenerResult, ScreeningWindow
from screeners.tasks import close_due_windows
from tests.factories import PASSWORD
from tests.mfa import pass_second_step
from tests.screeners.fixtures import screened_class

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_enters_results_with_the_keyboard_and_the_dashboard_shows_them(
    live_server, page, district, school
):
    world = screened_class(district, school, students=3)
    world["teacher"].email = "tess@alpha.example"
    world["teacher"].save()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill("tess@alpha.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_step(page, "tess@alpha.example")
    page.wait_for_url(f"{live_server.url}/d/alpha/")
    page.goto(f"{live_server.url}/d/alpha/classrooms/{world['room'].pk}/")
    page.get_by_role("link", name="Enter screener results").click()

    # The grid lists students by family name: take them in the order shown.
    cells = page.locator("input.score-input")
    by_label = {f"Reading for {s.display_name}": s for s in world["students"]}
    first, second, third = (by_label[cells.nth(i).get_attribute("aria-label")] for i in range(3))
    cell = page.get_by_label(f"Reading for {first.display_name}")
    cell.fill("45")
    cell.press("Enter")  # saves, and moves down the column
    second_cell = page.get_by_label(f"Reading for {second.display_name}")
    assert second_cell.evaluate("el => el === document.activeElement")
    page.get_by_text("Strategic").wait_for()
    second_cell.fill("150")
    second_cell.press("Tab")
    page.get_by_role("alert").filter(has_text="out of range").wait_for()
    assert second_cell.get_attribute("aria-invalid") == "true"
    third_cell = page.get_by_label(f"Reading for {third.display_name}")
    third_cell.fill("85")
    third_cell.press("Enter")
    page.get_by_text("At benchmark").wait_for()
    with district_context(district):
        saved = dict(ScreenerResult.objects.values_list("student_id", "score"))
    assert saved == {first.pk: 45, third.pk: 85}  # the refused value was not saved

    # The window closes; the periodic task builds the dashboards (eager Celery here; a real
    # worker does this in tests/screeners/test_tasks_with_worker.py).
    with district_context(district):
        ScreeningWindow.objects.filter(pk=world["window"].pk).update(
            # The district's yesterday, not the machine's: between midnight UTC and midnight
            # in the district's zone they differ, and the window would not be due yet.
            closes_on=district_today(district) - datetime.timedelta(days=1)
        )
    assert close_due_windows() == 1
    page.goto(f"{live_server.url}/d/alpha/classrooms/{world['room'].pk}/dashboard/")
    # Two students may share a family name (Faker): find the row by its link to the student.
    link = page.locator(f'a[href$="/students/{first.pk}/"]')
    row = page.get_by_role("row").filter(has=link)
    assert "Strategic" in row.inner_text() and "first result" in row.inner_html()
