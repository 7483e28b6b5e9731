"""The meeting page's one student picker: it offers the team's students the user may see, and
what it posts is checked the same way; key issues carry each student's bands."""

import pytest

from crsys.tenancy.context import district_context
from districts.models import Role
from screeners.models import ScreenerResult
from screeners.recompute import recompute_window
from teams import services
from teams.models import Discussion, LayerKind, Team, TeamMember
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
from tests.teams.conftest import discuss_ada

pytestmark = pytest.mark.django_db


def _options(client, meeting, **params) -> str:
    response = client.get(f"/d/alpha/meetings/{meeting.pk}/students/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_picker_offers_the_teams_students_that_match(client, district, school, world):
    ada, meeting = world["ada"], world["meeting"]
    with district_context(district):
        room = ada.enrolments.get().classroom
        # A plain family name: a Faker one such as "Delgado" would match "ad" below.
        ben = StudentFactory(
            district=district, school=school, given_name="Ben", family_name="Brown"
        )
        left = StudentFactory(district=district, school=school, given_name="Leah", is_active=False)
        for student in (ben, left):
            enrol(student, room)
        elsewhere = StudentFactory(district=district, school=school, given_name="Adam")
    client.force_login(world["tess"])
    everyone = _options(client, meeting)
    assert f'data-value="{ada.pk}"' in everyone and f'data-value="{ben.pk}"' in everyone
    assert f'data-value="{left.pk}"' not in everyone  # no longer active
    assert f'data-value="{elsewhere.pk}"' not in everyone  # the school's, not the team's
    by_name = _options(client, meeting, q="ad")
    assert f'data-value="{ada.pk}"' in by_name and f'data-value="{ben.pk}"' not in by_name
    by_number = _options(client, meeting, q=ben.student_number)
    assert f'data-value="{ben.pk}"' in by_number and f'data-value="{ada.pk}"' not in by_number
    discuss_ada(district, world)
    assert f'data-value="{ada.pk}"' not in _options(client, meeting, skip="discussed")
    # Input it cannot use is refused, not a server error.
    for bad in ({"q": "a\x00b"}, {"q": "x" * 101}, {"skip": "everyone"}):
        response = client.get(f"/d/alpha/meetings/{meeting.pk}/students/", bad)
        assert response.status_code == 400 and "data-value" not in response.content.decode()


def test_a_district_teams_page_shows_a_principal_only_their_schools_students(
    client, district, school, world
):
    """The picker, the students table and the meeting use the student page's visibility."""
    other_school = SchoolFactory(district=district, name="Beta Elementary", code="BE")
    with district_context(district):
        layers = {x.kind: x for x in services.layers_ensure(district_id=district.pk)}
        team = Team.objects.create(
            layer=layers[LayerKind.DISTRICT_TEAM], school=None, name="District literacy team"
        )
        far_room = ClassroomFactory(district=district, school=other_school)
        far = StudentFactory(district=district, school=other_school, given_name="Faraway")
        enrol(far, far_room)
    far_teacher = member(district, Role.TEACHER, school=other_school)
    teach(far_teacher, far_room)
    admin = member(district, Role.DISTRICT_ADMIN)
    principal = member(district, Role.PRINCIPAL, school=school)
    with district_context(district):
        for user in (world["tess"], far_teacher, principal):
            TeamMember.objects.create(team=team, user=user)
        meeting = services.meeting_create(
            actor=actor_of(admin, district), team=team, date=world["meeting"].date
        )
    client.force_login(principal)
    options = _options(client, meeting)
    table = client.get(f"/d/alpha/meetings/{meeting.pk}/students/table/").content.decode()
    for shown in (options, table):
        assert world["ada"].student_number in shown
        assert "Faraway" not in shown and far.student_number not in shown
    # Chosen by its id anyway: not found, like a student that does not exist.
    refused = client.post(f"/d/alpha/meetings/{meeting.pk}/discussions/", {"student": far.pk})
    assert refused.status_code == 404
    client.force_login(admin)  # sees every school
    assert "Faraway" in _options(client, meeting)


def test_a_typed_name_without_a_choice_picks_the_one_student_it_matches(client, district, world):
    ada, meeting = world["ada"], world["meeting"]
    with district_context(district):
        twin = StudentFactory(
            district=district, school=ada.school, given_name="Ada", family_name="Twin"
        )
        enrol(twin, ada.enrolments.get().classroom)
    client.force_login(world["tess"])
    url = f"/d/alpha/meetings/{meeting.pk}/discussions/"
    many = client.post(url, {"student": "", "q": "Ada"}, follow=True).content.decode()
    assert "2 students match “Ada”: choose one from the list" in many
    none = client.post(url, {"student": "", "q": "Zebedee"}, follow=True).content.decode()
    assert "no student of this team matches “Zebedee”" in none
    assert "choose a student" in client.post(url, {}, follow=True).content.decode()
    assert not Discussion.objects.for_district(district).exists()
    client.post(url, {"student": "", "q": f"Ada {ada.family_name}"})
    assert list(Discussion.objects.for_district(district).values_list("student", flat=True)) == [
        ada.pk
    ]
    # A celebration's student is optional: nothing typed is the whole team.
    client.post(f"/d/alpha/meetings/{meeting.pk}/celebrations/", {"q": "", "text": "Norms kept"})
    with district_context(district):
        assert meeting.celebrations.get().student is None


def test_the_page_has_no_list_of_the_class_to_choose_from(client, district, world):
    client.force_login(world["tess"])
    page = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").content.decode()
    assert world["ada"].choice_label not in page
    assert page.count('role="combobox"') == 3  # celebration, key issues, referral
    assert "<option" not in page.split('id="key-issues"')[1].split("</section>")[0]


def test_key_issues_show_each_students_band_per_screener(client, district, school, world):
    screened = screened_class(district, school, students=2)
    low, high = screened["students"]
    with district_context(district):
        TeamMember.objects.create(team=world["team"], user=screened["teacher"])
        for student, score in ((low, 45), (high, 90)):
            ScreenerResult.objects.create(
                student=student,
                screener=screened["reading"],
                window=screened["window"],
                score=score,
            )
        recompute_window(district_id=district.pk, window_id=screened["window"].pk)
        for student in (low, high):
            services.discussion_add(
                actor=actor_of(world["tess"], district),
                meeting=world["meeting"],
                student=student,
                user=world["tess"],
            )
    client.force_login(world["tess"])
    page = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").content.decode()
    summaries = {
        student: page.split(f">{student.display_name}</h3>")[1].split("</summary>")[0]
        for student in (low, high)
    }
    # The colour, and the band's name beside it (colour is never the only signal).
    assert "Reading" in summaries[low] and "#f9a825" in summaries[low]
    assert ">Strategic</span>" in summaries[low]
    assert "#2e7d32" in summaries[high] and ">At benchmark</span>" in summaries[high]
