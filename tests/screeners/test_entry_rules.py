"""One rule for entering results, whichever way they arrive (issue 14, items 3 and 14).

A teacher shares a team with a colleague, so the colleague's student is visible to them (for
meetings); entering that student's results is still not theirs. Every write path is tried:
the grid's cell, the bulk API, results files. And the same bad input gets the same refusal
through the page, the API and a file.
"""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from districts.models import Role
from districts.permissions import SYSTEM
from schools.selectors import visible_students
from screeners import services
from screeners.models import ResultImport, ScreenerResult
from teams import services as team_services
from teams.models import LayerKind, Team, TeamMember
from tests.factories import (
    ClassroomFactory,
    SchoolFactory,
    StudentFactory,
    actor_of,
    enrol,
    member,
    teach,
)
from tests.screeners.fixtures import screened_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district, school):
    world = screened_class(district, school)
    colleague = member(district, Role.TEACHER, school=school)
    with district_context(district):
        other_room = ClassroomFactory(district=district, school=school, school_year=world["year"])
        farah = StudentFactory(
            district=district, school=school, grade="03", student_number="900", given_name="Farah"
        )
        enrol(farah, other_room)
        layers = {x.kind: x for x in team_services.layers_ensure(district_id=district.pk)}
        team = Team.objects.create(
            layer=layers[LayerKind.COLLABORATIVE_TEAM_MEETING], school=school, name="Grade 3"
        )
        for user in (world["teacher"], colleague):
            TeamMember.objects.create(team=team, user=user)
    teach(colleague, other_room)
    return {**world, "colleague": colleague, "other_room": other_room, "farah": farah}


def scores(district):
    with district_context(district):
        return dict(ScreenerResult.objects.values_list("student_id", "score"))


def given(district, world, admin_user, student, score):
    """A result entered by a district admin (who may enter any student's)."""
    if score is None:
        return
    with district_context(district):
        outcome = services.result_record(
            actor=actor_of(admin_user, district),
            window=world["window"],
            screener=world["reading"],
            student=student,
            raw_score=str(score),
            today=world["window"].opens_on,
        )
    assert outcome.error is None, outcome.error


# (what the teacher tries, the score stored before, the score they send)
ATTEMPTS = [("create", None, "50"), ("overwrite", 50, "80"), ("delete", 50, "")]


def test_the_colleagues_student_is_visible_to_the_teacher(district, world):
    """The premise: seeing a student (through a team) is not the right to score them."""
    with district_context(district):
        seen = visible_students(actor=actor_of(world["teacher"], district))
        assert seen.filter(pk=world["farah"].pk).exists()


@pytest.mark.parametrize(("attempt", "before", "sent"), ATTEMPTS, ids=[a[0] for a in ATTEMPTS])
def test_grid_cell_refuses_a_colleagues_student(
    client, district, admin_user, world, attempt, before, sent
):
    farah, window = world["farah"], world["window"]
    given(district, world, admin_user, farah, before)
    stored = scores(district)
    client.force_login(world["teacher"])
    url = f"/d/alpha/classrooms/{world['room'].pk}/screening/{window.pk}/cell/"
    response = client.post(
        url, {"student": farah.pk, "screener": world["reading"].pk, "score": sent}
    )
    assert response.status_code == 200
    assert "you cannot enter results for this student" in response.content.decode()
    assert scores(district) == stored
    # Their own student, the same way, is saved: the refusal is about whose student.
    own = world["students"][0]
    client.post(url, {"student": own.pk, "screener": world["reading"].pk, "score": "50"})
    assert scores(district)[own.pk] == 50


def test_the_colleagues_grid_is_not_found_for_the_teacher(client, world):
    client.force_login(world["teacher"])
    other = world["other_room"]
    assert client.get(f"/d/alpha/classrooms/{other.pk}/screening/").status_code == 404


@pytest.mark.parametrize(("attempt", "before", "sent"), ATTEMPTS, ids=[a[0] for a in ATTEMPTS])
def test_bulk_api_refuses_a_colleagues_student(district, admin_user, world, attempt, before, sent):
    farah = world["farah"]
    given(district, world, admin_user, farah, before)
    stored = scores(district)
    api = APIClient()
    api.force_authenticate(world["teacher"])
    own = world["students"][0]
    items = [
        {"student": s.pk, "screener": world["reading"].pk, "window": world["window"].pk, "score": x}
        for s, x in ((own, "45"), (farah, sent))
    ]
    response = api.post("/api/v1/d/alpha/results/bulk/", {"results": items}, format="json")
    assert response.status_code == 400
    assert response.json() == {"results[1].student": ["you cannot enter results for this student"]}
    assert scores(district) == stored  # nor the own student's: all or nothing


def test_a_district_admin_enters_any_students_result(district, admin_user, world):
    api = APIClient()
    api.force_authenticate(admin_user)
    item = {
        "student": world["farah"].pk,
        "screener": world["reading"].pk,
        "window": world["window"].pk,
        "score": "50",
    }
    response = api.post("/api/v1/d/alpha/results/bulk/", {"results": [item]}, format="json")
    assert response.status_code == 200, response.content
    assert scores(district) == {world["farah"].pk: 50}


def test_results_files_are_refused_to_teachers(client, district, world):
    client.force_login(world["teacher"])
    upload = SimpleUploadedFile("r.csv", b"student number,screener,score\n900,Reading,61\n")
    url = f"/d/alpha/screening/{world['window'].pk}/imports/"
    assert client.post(url, {"file": upload}).status_code == 403
    assert scores(district) == {}


def test_a_results_file_is_judged_by_its_uploaders_rights(district, world):
    """A file uploaded by someone who only teaches (say, demoted since) enters only their
    own class's results: the import applies the same rule as the grid."""
    with district_context(district):
        result_import = services.result_import_upload(
            actor=SYSTEM,
            window=world["window"],
            name="r.csv",
            data=b"student number,screener,score\n700,Reading,61\n900,Reading,61\n",
            user=world["teacher"],
            check=False,
        )
        checked = services.result_import_check(
            result_import=result_import, today=world["window"].opens_on
        )
    assert checked.status == ResultImport.Status.INVALID
    assert [(p["row"], p["column"], p["message"]) for p in checked.problems] == [
        (3, "student number", "you cannot enter results for this student")
    ]
    assert scores(district) == {}


# Item 14: the same bad input, the same refusal, through the page, the API and a file ----------


def refusal_by_page(client, world, student, raw):
    window = world["window"]
    response = client.post(
        f"/d/alpha/classrooms/{world['room'].pk}/screening/{window.pk}/cell/",
        {"student": student.pk, "screener": world["reading"].pk, "score": raw},
    )
    body = response.content.decode()
    if 'role="alert">' not in body:
        return None
    return html.unescape(body.split('role="alert">', 1)[1].split("</span>", 1)[0])


def refusal_by_api(world, admin_user, student, raw):
    api = APIClient()
    api.force_authenticate(admin_user)
    item = {
        "student": student.pk,
        "screener": world["reading"].pk,
        "window": world["window"].pk,
        "score": raw,
    }
    response = api.post("/api/v1/d/alpha/results/bulk/", {"results": [item]}, format="json")
    if response.status_code == 200:
        return None
    ((_, messages),) = response.json().items()
    return messages[0]


def csv_of(number, raw) -> bytes:
    return f"student number,screener,score\n{number},Reading,{raw}\n".encode()


def refusal_by_file(district, world, admin_user, student, raw):
    with district_context(district):
        result_import = services.result_import_upload(
            actor=SYSTEM,
            window=world["window"],
            name="r.csv",
            data=csv_of(student.student_number, raw),
            user=admin_user,
            check=False,
        )
        checked = services.result_import_check(
            result_import=result_import, today=world["window"].opens_on
        )
    return checked.problems[0]["message"] if checked.problems else None


@pytest.mark.parametrize(
    ("case", "raw", "expected"),
    [
        ("out of range", "140", "140 is out of range: scores go from 0 to 100"),
        ("not a number", "lots", "'lots' is not a number"),
        ("not a step", "40.5", "40.5 is not a possible score (steps of 1)"),
        ("grade not screened", "40", "Reading is not given in grade 05"),
        ("not enrolled", "40", "{name} is not enrolled in {year}"),
    ],
)
def test_the_same_bad_input_is_refused_alike_by_page_api_and_file(
    client, district, school, admin_user, world, case, raw, expected
):
    student = world["students"][0]
    if case == "grade not screened":
        student = StudentFactory(district=district, school=school, grade="05", student_number="5")
        enrol(student, world["room"])
    if case == "not enrolled":
        student = StudentFactory(district=district, school=school, grade="03", student_number="6")
    expected = expected.format(name=student.display_name, year=world["year"])
    client.force_login(admin_user)
    assert refusal_by_page(client, world, student, raw) == expected
    assert refusal_by_api(world, admin_user, student, raw) == expected
    assert refusal_by_file(district, world, admin_user, student, raw) == expected
    assert scores(district) == {}


def test_a_file_keeps_the_grade_and_school_a_student_was_screened_in(
    district, admin_user, world, django_capture_on_commit_callbacks
):
    """ADR 4: like the grid, an imported result remembers the grade and school at screening
    time, so promoting the student later does not re-band it."""
    kid = world["students"][0]
    with district_context(district):
        result_import = services.result_import_upload(
            actor=SYSTEM,
            window=world["window"],
            name="r.csv",
            data=f"student number,screener,score\n{kid.student_number},Reading,45\n".encode(),
            user=admin_user,
            check=False,
        )
        services.result_import_commit(result_import=result_import, today=world["window"].opens_on)
        result = ScreenerResult.objects.get()
    assert (result.grade, result.school_id) == ("03", kid.school_id)


def test_reimporting_after_a_move_records_the_new_school(district, admin_user, world):
    """Re-importing the same file after the student moved school records where they are now
    screened (the file is a new screening); the counts say so."""
    kid = world["students"][0]
    data = f"student number,screener,score\n{kid.student_number},Reading,45\n".encode()

    def run():
        with district_context(district):
            result_import = services.result_import_upload(
                actor=SYSTEM, window=world["window"], name="r.csv", data=data, check=False
            )
            return services.result_import_commit(
                result_import=result_import, today=world["window"].opens_on
            )

    run()
    with district_context(district):
        kid.school = SchoolFactory(district=district)
        kid.save()
    assert run().counts == {"create": 0, "update": 1, "unchanged": 0}
    with district_context(district):
        assert ScreenerResult.objects.get().school_id == kid.school_id
