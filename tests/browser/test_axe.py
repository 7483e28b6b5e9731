"""axe-core (WCAG 2.1 A and AA: contrast, names, landmarks, ARIA) finds nothing on the pages
each role uses in the demo district, in Chromium, including a meeting with a kept version
after a conflict and notes under a planning agenda's own sections."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from crsys.tenancy.context import district_context
from districts.models import District, User
from schools.models import Classroom, School
from screeners.models import ScreeningWindow
from teams import services
from teams.models import Discussion, LayerKind, Meeting, Team
from tests.demo import PASSWORD
from tests.factories import actor_of
from tests.mfa import pass_second_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page) -> list[str]:
    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found]


def _pages() -> dict[str, list[str]]:
    demo = District.objects.get(slug="demo")
    with district_context(demo):
        school = School.objects.order_by("pk").first()
        classroom = Classroom.objects.filter(school=school).order_by("pk").first()
        window = ScreeningWindow.objects.filter(last_recomputed_at__isnull=False).first()
        ctm = Team.objects.filter(school=school, layer__kind=LayerKind.COLLABORATIVE_TEAM_MEETING)
        teacher = User.objects.get(email="teacher@demo.example")
        principal = User.objects.get(email="principal@demo.example")
        # The demo's meetings are all closed: the principal reopens the last one to edit it.
        meeting = services.meeting_reopen(
            actor=actor_of(principal, demo),
            meeting=Meeting.objects.filter(team=ctm.first()).order_by("-date").first(),
            user=principal,
        )
        # A conflict: the teacher saves, the principal saves over an older version.
        discussion = Discussion.objects.filter(meeting=meeting).first()
        for user, text in ((teacher, "Reads slowly"), (principal, "Guesses from pictures")):
            services.discussion_save(
                actor=actor_of(user, demo),
                discussion=discussion,
                field="notes",
                value=text,
                version=discussion.notes_version,
                user=user,
            )
        planning = Meeting.objects.filter(
            team__school=school, team__layer__kind=LayerKind.COLLABORATIVE_PLANNING
        ).first()
        support = Meeting.objects.filter(
            team__school=school, team__layer__kind=LayerKind.SCHOOL_SUPPORT_TEAM
        ).first()
        student = discussion.student_id
    return {
        "teacher@demo.example": [
            "/d/demo/",
            "/d/demo/teams/",
            f"/d/demo/teams/{meeting.team_id}/",
            f"/d/demo/meetings/{meeting.pk}/",
            f"/d/demo/meetings/{meeting.pk}/organizer/",
            f"/d/demo/meetings/{planning.pk}/",
            f"/d/demo/students/{student}/",
            f"/d/demo/classrooms/{classroom.pk}/",
            f"/d/demo/classrooms/{classroom.pk}/screening/",
            f"/d/demo/classrooms/{classroom.pk}/dashboard/",
        ],
        "principal@demo.example": [
            f"/d/demo/schools/{school.pk}/",
            f"/d/demo/schools/{school.pk}/teams/",
            f"/d/demo/schools/{school.pk}/dashboard/",
            f"/d/demo/meetings/{support.pk}/",
        ],
        "admin@demo.example": [
            "/d/demo/common-language/",
            "/d/demo/members/",
            "/d/demo/imports/",
            "/d/demo/screening/",
            f"/d/demo/screening/{window.pk}/",
            "/d/demo/screeners/",
        ],
    }


def test_the_pages_each_role_uses_have_no_wcag_violations(live_server, browser, demo_district):
    problems = []
    for email, urls in _pages().items():
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        pass_second_step(page, email)
        page.wait_for_url(f"{live_server.url}/d/demo/")
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, (email, url, response.status)
            problems += [f"{url} ({email}): {v}" for v in _violations(page)]
        context.close()
    assert problems == []


def test_the_check_finds_a_faint_text_and_an_unnamed_field(browser):
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><title>x</title><main><h1>x</h1>'
        '<p style="color:#bbb;background:#fff">faint</p><input type="text"></main></html>'
    )
    found = {v.split(" ")[0] for v in _violations(page)}
    assert {"color-contrast", "label"} <= found
    page.close()
