"""Inside one district, a teacher of school A walks every page and API route: no student of
school B (whom they may not open), and no text of a team they may not see, shows anywhere.

The routes come from the URL resolver (like tests/test_tenant_isolation.py), each filled with
every object of the scene in turn, so a new page or API list is walked the day it is added.
The same walk as the district admin finds every marker: the scene's data does reach pages.
"""

from __future__ import annotations

import datetime
import itertools
import json
import shutil
import subprocess

import pytest

from continuum.models import ProgressPoint, Support, SupportPlan, Tier
from crsys.tenancy.context import district_context
from districts.models import Role
from screeners.models import BenchmarkBand, Screener, ScreeningWindow, StudentBandSnapshot
from teams import services
from teams.models import (
    Celebration,
    Commitment,
    Discussion,
    LayerKind,
    Meeting,
    OrganizerPick,
    Referral,
    SameIssueStudent,
    Team,
    TeamMember,
)
from tests.factories import (
    ClassroomFactory,
    SchoolFactory,
    SchoolYearFactory,
    StudentFactory,
    api_token,
    enrol,
    focus_area,
    member,
    teach,
)
from tests.isolation import walk_routes

pytestmark = pytest.mark.django_db

# What teacher A must never read: school B's student (names, number) and the texts and the
# name of the school support team, which teacher A is not on.
HIDDEN_STUDENT = ("Quxlorian", "Zebulonne", "QX-998877")
HIDDEN_TEAM_TEXT = ("Zorblatt", "QXTEAMTEXT")
MARKERS = HIDDEN_STUDENT + HIDDEN_TEAM_TEXT
PDFTOTEXT = shutil.which("pdftotext")  # poppler-utils: PDFs are read as text when present


@pytest.fixture
def scene(district):
    today = datetime.date.today()
    school_a = SchoolFactory(district=district, name="Aspen School", code="ASP")
    school_b = SchoolFactory(district=district, name="Birch School", code="BIR")
    teacher_a = member(district, Role.TEACHER, school=school_a, email="ann@alpha.example")
    teacher_b = member(district, Role.TEACHER, school=school_b, email="ben@alpha.example")
    teacher_c = member(district, Role.TEACHER, school=school_a, email="cy@alpha.example")
    support = member(district, Role.SUPPORT_STAFF, school=school_a, email="sue@alpha.example")
    with district_context(district):
        year = SchoolYearFactory(
            district=district,
            start_date=today - datetime.timedelta(days=60),
            end_date=today + datetime.timedelta(days=250),
        )
        room_a = ClassroomFactory(district=district, school=school_a, school_year=year)
        room_b = ClassroomFactory(district=district, school=school_b, school_year=year)
        room_c = ClassroomFactory(district=district, school=school_a, school_year=year)
        seen = StudentFactory(district=district, school=school_a, given_name="Vera")
        hidden = StudentFactory(
            district=district, school=school_b, family_name=HIDDEN_STUDENT[0],
            given_name=HIDDEN_STUDENT[1], student_number=HIDDEN_STUDENT[2],
        )  # fmt: skip
        other = StudentFactory(district=district, school=school_a, given_name="Otto")
        enrol(seen, room_a)
        enrol(hidden, room_b)
        enrol(other, room_c)
        teach(teacher_a, room_a)
        teach(teacher_b, room_b)
        teach(teacher_c, room_c)
        layers = {x.kind: x for x in services.layers_ensure(district_id=district.pk)}
        ctm = layers[LayerKind.COLLABORATIVE_TEAM_MEETING]
        teams = {
            "mine": Team.objects.create(layer=ctm, school=school_a, name="Grade 3 team"),
            "district": Team.objects.create(
                layer=layers[LayerKind.DISTRICT_TEAM], school=None, name="District team"
            ),
            "support": Team.objects.create(
                layer=layers[LayerKind.SCHOOL_SUPPORT_TEAM],
                school=school_a,
                name=f"{HIDDEN_TEAM_TEXT[0]} support team",
            ),
            "other": Team.objects.create(layer=ctm, school=school_a, name="Grade 5 team"),
        }
        for team, users in (
            ("mine", [teacher_a]),
            ("district", [teacher_a, teacher_b]),
            ("support", [support]),
            ("other", [teacher_c]),
        ):
            for user in users:
                TeamMember.objects.create(team=teams[team], user=user)
        meetings = {
            key: Meeting.objects.create(team=team, date=today) for key, team in teams.items()
        }
        _items_of_an_invisible_team(meetings, seen, other, support, teacher_c)
        hidden_discussion = _items_about_a_student_of_another_school(
            meetings["district"], seen, hidden, teacher_b, support_team=teams["support"]
        )
        _screened(district, school_a, year, [seen, hidden, other])
        _planned(district, [seen, hidden])
    return {
        "district": district,
        "teacher_a": teacher_a,
        "objects": {
            "school": [school_a, school_b],
            "classroom": [room_a, room_b, room_c],
            "student": [seen, hidden, other],
            "team": list(teams.values()),
            "meeting": list(meetings.values()),
        },
        "hidden_student_ids": {hidden.pk},
        "hidden_discussion": hidden_discussion,
    }


def _items_of_an_invisible_team(meetings, seen, other, support, teacher_c):
    """The support team's (and another collaborative team's) words about students teacher A
    may open: the students are visible, the texts are not."""
    hidden_meeting = meetings["support"]
    text = HIDDEN_TEAM_TEXT[1]
    Celebration.objects.create(meeting=hidden_meeting, student=seen, text=f"{text} joy")
    Celebration.objects.create(meeting=hidden_meeting, text=f"{text} joy for all")
    Discussion.objects.create(meeting=hidden_meeting, student=seen, notes=f"{text} notes")
    Commitment.objects.create(
        team=hidden_meeting.team, meeting=hidden_meeting, owner=support, student=seen,
        text=f"{text} commitment", due_date=hidden_meeting.date,
    )  # fmt: skip
    Referral.objects.create(
        student=other, from_meeting=meetings["other"], to_team=hidden_meeting.team,
        context=f"{text} context", referred_by=teacher_c,
    )  # fmt: skip


def _items_about_a_student_of_another_school(meeting, seen, hidden, teacher_b, *, support_team):
    """At the district team's meeting, which teacher A attends: teacher B's student (referred
    to a team teacher A is not on, which would make the student theirs to see)."""
    discussion = Discussion.objects.create(meeting=meeting, student=hidden, notes="Reads well")
    shared = Discussion.objects.create(meeting=meeting, student=seen, notes="Same as Birch")
    SameIssueStudent.objects.create(discussion=shared, student=hidden)
    Celebration.objects.create(meeting=meeting, student=hidden, text="A first chapter book")
    Commitment.objects.create(
        team=meeting.team, meeting=meeting, owner=teacher_b, student=hidden,
        text="Call home", due_date=meeting.date,
    )  # fmt: skip
    OrganizerPick.objects.create(
        meeting=meeting, teacher=teacher_b, student=hidden, kind="key_issue", note="Why"
    )
    Referral.objects.create(
        student=hidden, from_meeting=meeting, to_team=support_team, context="Tried x",
        referred_by=teacher_b,
    )  # fmt: skip
    return discussion


def _planned(district, students):
    """A support plan, with a score, for each student (school B's among them)."""

    area = focus_area(district, "literacy")
    tier = Tier.objects.get(number=2)  # the district's own, made with it
    support = Support.objects.create(name="Reading group", focus_area=area, tier=tier)
    for student in students:
        plan = SupportPlan.objects.create(
            student=student, support=support, focus_area=area, tier=tier, goal="Read more",
            start_date=datetime.date.today(),
        )  # fmt: skip
        ProgressPoint.objects.create(plan=plan, date=datetime.date.today(), score=5)


def _screened(district, school, year, students):
    today = datetime.date.today()
    screener = Screener.objects.create(
        name="Reading", focus_area=focus_area(district, "literacy"), grades=["03"]
    )
    band = BenchmarkBand.objects.create(
        screener=screener, grade="03", season="fall", name="Intensive", label="Intensive",
        colour="#c62828", min_score=0, max_score=100, rank=0,
    )  # fmt: skip
    window = ScreeningWindow.objects.create(
        school_year=year, season="fall", opens_on=today - datetime.timedelta(days=20),
        closes_on=today - datetime.timedelta(days=5),
    )  # fmt: skip
    window.screeners.add(screener)
    for student in students:
        StudentBandSnapshot.objects.create(
            window=window, screener=screener, student=student, school=student.school,
            grade="03", score=10, band=band, band_rank=0, meets_benchmark=False, movement="new",
        )  # fmt: skip


def _candidates(scene) -> dict[str, list]:
    """Every object of the scene that a route's parameter can name (unknown ones: 0)."""
    values: dict[str, list] = {"district_slug": [scene["district"].slug]}
    for name, objects in scene["objects"].items():
        values[f"{name}_pk"] = [o.pk for o in objects]
    with district_context(scene["district"]):
        values["discussion_pk"] = list(Discussion.objects.values_list("pk", flat=True))
        values["commitment_pk"] = list(Commitment.objects.values_list("pk", flat=True))
        values["plan_pk"] = list(SupportPlan.objects.values_list("pk", flat=True))
        values["point_pk"] = list(ProgressPoint.objects.values_list("pk", flat=True))
        values["referral_pk"] = list(Referral.objects.values_list("pk", flat=True))
        values["window_pk"] = list(ScreeningWindow.objects.values_list("pk", flat=True))
    values["section_key"] = ["custom-1"]
    return values


def _student_ids_in(data) -> set[int]:
    """Ids a JSON answer gives as students (``student``, ``students``, ``same_issue_…``)."""
    found: set[int] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if "student" in key and isinstance(value, int):
                found.add(value)
            elif "student" in key and isinstance(value, list):
                found |= {v for v in value if isinstance(v, int)}
            else:
                found |= _student_ids_in(value)
    elif isinstance(data, list):
        for item in data:
            found |= _student_ids_in(item)
    return found


def walk(client, scene, *, token: str) -> dict[str, list[str]]:
    """GET every district page and API route with every combination of the scene's objects
    (plus a search for the hidden student); {what was seen: [where]}."""
    seen: dict[str, list[str]] = {}
    values = _candidates(scene)
    query = f"?q={HIDDEN_STUDENT[0][:5]}&search={HIDDEN_STUDENT[0][:5]}"
    for route in walk_routes():
        if not route.is_district_route:
            continue
        params = route.params
        for combo in itertools.product(*(values.get(p, [0]) for p in params)):
            url = route.fill(dict(zip(params, combo, strict=True)))
            headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if url.startswith("/api/") else {}
            response = client.get(url + query, **headers)
            assert response.status_code < 500, (url, response.status_code)
            if getattr(response, "streaming", False):
                continue
            body = response.content.decode("utf-8", errors="replace")
            if response["Content-Type"] == "application/pdf" and PDFTOTEXT:
                body = subprocess.run(
                    [PDFTOTEXT, "-", "-"], input=response.content, capture_output=True, check=True
                ).stdout.decode()
            for marker in MARKERS:
                if marker in body:
                    seen.setdefault(marker, []).append(url)
            if response["Content-Type"].startswith("application/json"):
                ids = _student_ids_in(json.loads(body)) & scene["hidden_student_ids"]
                if ids:
                    seen.setdefault("hidden student's id", []).append(url)
    return seen


def _signed_in(client, user):
    client.force_login(user)
    client.raise_request_exception = False
    return api_token(user)


def test_a_teacher_sees_no_student_of_another_school_and_no_text_of_a_team_not_theirs(
    client, scene
):
    token = _signed_in(client, scene["teacher_a"])
    assert walk(client, scene, token=token) == {}


def test_the_walk_would_see_them(client, scene):
    # The district admin may open every student and see every team: every marker shows, so
    # the walk does reach the pages where a leak would be.
    admin = member(scene["district"], Role.DISTRICT_ADMIN, email="root@alpha.example")
    token = _signed_in(client, admin)
    seen = walk(client, scene, token=token)
    assert set(seen) == {*MARKERS, "hidden student's id"}
    pages = {url.split("?")[0] for urls in seen.values() for url in urls}
    student_page = f"/d/alpha/students/{scene['objects']['student'][0].pk}/"
    district_meeting = f"/d/alpha/meetings/{scene['objects']['meeting'][1].pk}/"
    assert student_page in seen["QXTEAMTEXT"] and district_meeting in pages
    if PDFTOTEXT:  # the minutes are read too
        assert f"{district_meeting}minutes.pdf" in pages


def test_a_teacher_cannot_write_in_the_notes_of_a_student_they_may_not_see(client, scene):
    # The district team's meeting is teacher A's, the discussion of school B's student is not.
    discussion = scene["hidden_discussion"]
    meeting = f"/d/alpha/meetings/{discussion.meeting_id}"
    token = _signed_in(client, scene["teacher_a"])
    api = {"HTTP_AUTHORIZATION": f"Token {token}"}
    answers = [
        client.post(
            f"{meeting}/discussions/{discussion.pk}/",
            {"field": "notes", "value": "overwritten", "version": 1},
        ),
        client.post(
            f"{meeting}/discussions/{discussion.pk}/same-issue/",
            {"student": scene["objects"]["student"][0].pk},
        ),
        client.patch(
            f"/api/v1{meeting}/discussions/{discussion.pk}/",
            {"field": "notes", "value": "overwritten", "version": 1},
            content_type="application/json",
            **api,
        ),
        client.post(
            f"/api/v1{meeting}/discussions/{discussion.pk}/same-issue/",
            {"student": scene["objects"]["student"][0].pk},
            content_type="application/json",
            **api,
        ),
    ]
    assert [a.status_code for a in answers] == [404] * 4
    with district_context(scene["district"]):
        discussion.refresh_from_db()
        assert discussion.notes == "Reads well"
        assert not SameIssueStudent.objects.filter(discussion=discussion).exists()
