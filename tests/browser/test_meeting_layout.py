"""The meeting page at a real class's size, on a laptop and on a phone: short, nothing runs
off the page, the organizer's boxes side by side without overlapping, and the student
picker used with the keyboard alone. CRSYS_SCREENSHOTS=<dir> keeps pictures to look at."""

import datetime
import os

import pytest

from crsys.tenancy.context import district_context
from districts.models import District, User
from schools.models import StaffAssignment, Student
from teams import services
from teams.models import Discussion, Team
from teams.selectors import team_students
from tests.browser.test_axe import _violations
from tests.browser.test_team_meeting import sign_in
from tests.factories import actor_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE, LAPTOP = 390, 1280


def _shoot(page, name: str) -> None:
    folder = os.environ.get("CRSYS_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _busy_meeting(discussed: int = 12):
    """The demo teacher's team meeting today with ``discussed`` students written about."""
    district = District.objects.get(slug="demo")
    teacher = User.objects.get(email="teacher@demo.example")
    actor = actor_of(teacher, district)
    with district_context(district):
        team = Team.objects.filter(members__user=teacher, layer__kind="ctm").first()
        meeting = services.meeting_create(
            actor=actor, team=team, date=datetime.date.today() + datetime.timedelta(days=1)
        )
        students = list(team_students(team=team, actor=actor).order_by("family_name"))
        for student in students[:discussed]:
            Discussion.objects.create(
                meeting=meeting, student=student, author=teacher, notes="Reads slowly. " * 12
            )
        room = StaffAssignment.objects.filter(user=teacher, classroom__isnull=False).first()
        student = Student.objects.filter(pk=students[0].pk).first()
    return {
        "meeting": f"/d/demo/meetings/{meeting.pk}/",
        "grid": f"/d/demo/classrooms/{room.classroom_id}/screening/",
        "dashboard": f"/d/demo/schools/{team.school_id}/dashboard/",
        "student": f"/d/demo/students/{student.pk}/",
        "class_size": len(students),
    }


def _page_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_the_meeting_page_is_short_and_nothing_runs_off_a_phone(
    live_server, browser, demo_district
):
    urls = _busy_meeting()
    context = browser.new_context(viewport={"width": LAPTOP, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "principal@demo.example")
    page.goto(live_server.url + urls["meeting"])
    # Twelve students written about fold to a line each, with their bands beside the name.
    assert page.locator("details.discussion:not([open])").count() == 12
    assert page.locator("details.discussion summary .band").count() >= 12
    height = page.evaluate("document.scrollingElement.scrollHeight")
    assert height < 4000, height  # about 2,800 px here; it was 7,000 to 9,000 before
    _shoot(page, "meeting-1280")
    page.locator("#students summary").click()
    page.locator("#students table").wait_for()
    page.locator("details.discussion > summary").first.click()
    page.locator("details.discussion .discussion-body").first.wait_for()
    assert _violations(page) == []  # folded parts opened: the table, a discussion's notes
    _shoot(page, "meeting-1280-students-open")
    page.set_viewport_size({"width": PHONE, "height": 844})
    for name in ("meeting", "grid", "dashboard", "student"):
        page.goto(live_server.url + urls[name])
        if name == "meeting":
            page.locator("#students summary").click()
            page.locator("#students table").wait_for()
        _shoot(page, f"{name}-390")
        # The page is as wide as the phone; a wide table scrolls inside itself.
        wide = page.evaluate(
            f"[...document.querySelectorAll('main *')].filter(el => el.getBoundingClientRect()"
            f".right > {PHONE} && !el.closest('table')).map(el => el.tagName + '.' + "
            "el.className + ' ' + el.getBoundingClientRect().right).slice(0, 5)"
        )
        assert _page_width(page) <= PHONE, (name, wide)
    context.close()


def test_the_organizer_boxes_sit_side_by_side_without_overlapping(
    live_server, browser, demo_district
):
    urls = _busy_meeting(discussed=0)
    context = browser.new_context(viewport={"width": 1347, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "teacher@demo.example")
    for width in (1347, LAPTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + urls["meeting"] + "organizer/")
        boxes = [page.locator("form fieldset").nth(i).bounding_box() for i in range(3)]
        for left, right in zip(boxes, boxes[1:], strict=False):
            side_by_side = abs(left["y"] - right["y"]) < 1
            if side_by_side:
                assert left["x"] + left["width"] <= right["x"], (width, left, right)
        # Nothing inside a box runs past its edge.
        overflowing = page.evaluate(
            "[...document.querySelectorAll('form fieldset')].filter("
            "f => [...f.querySelectorAll('input, select')].some("
            "el => el.getBoundingClientRect().right > f.getBoundingClientRect().right + 0.5))"
            ".length"
        )
        assert overflowing == 0, width
        assert _page_width(page) <= width
        _shoot(page, f"organizer-{width}")
    context.close()


def test_the_student_picker_works_with_the_keyboard_alone(live_server, browser, demo_district):
    urls = _busy_meeting(discussed=0)
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "teacher@demo.example")
    page.goto(live_server.url + urls["meeting"])
    box = page.get_by_role("combobox", name="Discuss a student")
    assert box.get_attribute("aria-expanded") == "false"
    box.focus()
    box.press("ArrowDown")  # the team's students, by name; the first is active
    options = page.locator("#discuss-student-list [role=option]")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert options.count() == min(12, urls["class_size"])
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    assert _violations(page) == []  # axe-core, WCAG 2.1 AA, with the list open
    _shoot(page, "picker-open-1280")
    box.press("ArrowUp")
    box.press("ArrowUp")  # past the first: round to the last
    assert box.get_attribute("aria-activedescendant") == options.last.get_attribute("id")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    # Typing narrows the list to the students whose name or number matches.
    first_name = options.first.get_attribute("data-label")
    family = first_name.split(",")[0]
    box.fill("")
    box.press_sequentially(family)
    # Polled from Python: a string predicate is eval'd in the page, which the CSP refuses.
    listed = page.locator("#discuss-student-list [role=option]")
    for _ in range(100):
        labels = listed.evaluate_all("options => options.map(o => o.dataset.label || '')")
        if labels and all(label.startswith(family) for label in labels):
            break
        page.wait_for_timeout(50)
    else:
        raise AssertionError(f"the list was not narrowed to {family}: {labels}")
    box.press("ArrowDown")
    box.press("Enter")
    assert box.input_value().startswith(family)
    status = page.locator(".picker", has=box).locator("[data-picker-status]")
    assert status.text_content().endswith("chosen.")
    box.press("Enter")  # now the form goes
    page.wait_for_url("**#discussion-*")
    assert family in page.locator("details.discussion[open] h3").inner_text()
    context.close()
