"""Every page of the demo district: one h1, a language, and a name for every form control,
so keyboard and screen-reader users can use it (colour beside text is checked by the
pages' own tests)."""

from html.parser import HTMLParser

import pytest

from crsys.tenancy.context import district_context
from districts.models import District, User
from leadership.models import ActionPlan, Measure
from schools.models import Classroom, School, Student
from screeners.models import ScreeningWindow
from teams.models import Meeting, Team

pytestmark = pytest.mark.django_db


class Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labels, self.controls, self.h1, self.lang = set(), [], 0, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in {"input", "select", "textarea"} and a.get("type") not in {
            "hidden",
            "submit",
            "button",
        }:
            self.controls.append(a)


def unnamed(html: str) -> tuple[list[str], Controls]:
    parser = Controls()
    parser.feed(html)
    missing = [
        str(c)
        for c in parser.controls
        if not (c.get("aria-label") or c.get("aria-labelledby") or c.get("id") in parser.labels)
    ]
    return missing, parser


def test_every_demo_page_names_its_controls(client, demo_district):

    demo = District.objects.get(slug="demo")
    with district_context(demo):
        school = School.objects.order_by("pk").first()
        classroom = Classroom.objects.filter(school=school).order_by("pk").first()
        student = Student.objects.filter(school=school).order_by("pk").first()
        window = ScreeningWindow.objects.filter(last_recomputed_at__isnull=False).first()
        team = Team.objects.filter(school=school, layer__kind="ctm").first()
        meeting = Meeting.objects.filter(team=team).order_by("-date").first()
        plan = ActionPlan.objects.filter(school=school).first()
        measure = Measure.objects.order_by("pk").first()
        priority = measure.priority
        planning = (
            Meeting.objects.filter(team__school=school, team__layer__kind="collaborative_planning")
            .order_by("-date")
            .first()
        )
    pages = {
        "admin@demo.example": [
            "/d/demo/",
            "/d/demo/members/",
            "/d/demo/schools/",
            f"/d/demo/schools/{school.pk}/",
            "/d/demo/imports/",
            "/d/demo/screening/",
            f"/d/demo/screening/{window.pk}/",
            "/d/demo/screeners/",
            f"/d/demo/schools/{school.pk}/dashboard/",
            f"/d/demo/schools/{school.pk}/teams/",
            "/d/demo/common-language/",
            "/d/demo/continuum/?scope=all",
            "/d/demo/continuum/working/",
            "/d/demo/continuum/district/",
            "/d/demo/continuum/district/supports/new/",
            f"/d/demo/continuum/district/schools/{school.pk}/",
            "/d/demo/leadership/priorities/",
            f"/d/demo/leadership/priorities/{priority.pk}/",
            f"/d/demo/leadership/priorities/{priority.pk}/measures/new/",
            f"/d/demo/leadership/measures/{measure.pk}/edit/",
        ],
        "leader@demo.example": [
            "/d/demo/",
            "/d/demo/leadership/",
            "/d/demo/leadership/?area=supports&sort=concerns",
            f"/d/demo/leadership/schools/{school.pk}/",
            f"/d/demo/leadership/measures/{measure.pk}/",
            f"/d/demo/leadership/plans/{plan.pk}/",
        ],
        "principal@demo.example": [
            "/d/demo/",
            f"/d/demo/leadership/schools/{school.pk}/",
            f"/d/demo/leadership/plans/{plan.pk}/",
        ],
        "teacher@demo.example": [
            f"/d/demo/classrooms/{classroom.pk}/",
            f"/d/demo/classrooms/{classroom.pk}/screening/",
            f"/d/demo/classrooms/{classroom.pk}/dashboard/",
            f"/d/demo/students/{student.pk}/",
            "/d/demo/students/?q=a",
            "/d/demo/teams/",
            f"/d/demo/teams/{team.pk}/",
            f"/d/demo/meetings/{meeting.pk}/",
            f"/d/demo/meetings/{meeting.pk}/organizer/",
            f"/d/demo/meetings/{planning.pk}/",  # notes under the agenda's own sections
        ],
    }
    problems = []
    for email, urls in pages.items():
        client.force_login(User.objects.get(email=email))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            missing, parsed = unnamed(response.content.decode())
            if missing:
                problems.append(f"{url}: controls without a name: {missing[:3]}")
            if parsed.h1 != 1:
                problems.append(f"{url}: {parsed.h1} h1 headings")
            if parsed.lang != "en":
                problems.append(f"{url}: no lang")
    assert problems == []


def test_the_check_notices_an_unnamed_control():
    missing, _ = unnamed('<html lang="en"><h1>x</h1><input type="text" name="q"></html>')
    assert missing
    named, _ = unnamed('<label for="q">Find</label><input id="q"><select aria-label="y">')
    assert named == []
