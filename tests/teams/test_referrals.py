"""A referral reaches the school support team's agenda; its decision comes back."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crsys.tenancy.context import district_context
from districts.models import Role
from schools.models import Enrolment
from teams import services
from teams.models import LayerKind, Meeting, Referral, Team, TeamMember
from tests.factories import SchoolFactory, StudentFactory, TeamFactory, actor_of, enrol, member
from tests.teams.conftest import discuss_ada

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_team(district, school):
    lead = member(district, Role.SUPPORT_STAFF, school=school, email="sam@alpha.example")
    with district_context(district):
        team = TeamFactory(
            district=district,
            school=school,
            kind=LayerKind.SCHOOL_SUPPORT_TEAM,
            name="Aspen support team",
            members=[lead],
        )
    return team, lead


def test_referral_goes_to_the_support_team_and_the_decision_flows_back(
    client, district, world, support_team
):
    team, lead = support_team
    tess = world["tess"]
    client.force_login(tess)
    response = client.post(
        f"/d/alpha/meetings/{world['meeting'].pk}/referrals/",
        {"student": world["ada"].pk, "context": "Reading 2 years behind"},
    )
    assert response.status_code == 302
    with district_context(district):
        support_meeting = services.meeting_create(
            actor=actor_of(lead, district), team=team, date=datetime.date(2026, 10, 8)
        )
    client.force_login(lead)
    page = client.get(f"/d/alpha/meetings/{support_meeting.pk}/").content.decode()
    assert "Reading 2 years behind" in page and world["ada"].display_name in page
    # The support team follows the students referred to it: it discusses and notes them.
    picker = f"/d/alpha/meetings/{support_meeting.pk}/students/"
    options = client.get(picker, {"q": world["ada"].given_name, "skip": "discussed"})
    assert f'data-value="{world["ada"].pk}"' in options.content.decode()
    client.post(
        f"/d/alpha/meetings/{support_meeting.pk}/discussions/", {"student": world["ada"].pk}
    )
    with district_context(district):
        assert support_meeting.discussions.filter(student=world["ada"]).exists()
    referral = Referral.objects.for_district(district).get()
    client.post(
        f"/d/alpha/meetings/{support_meeting.pk}/referrals/{referral.pk}/",
        {"decision": "Assess with the learning coach; tier 3 reading group"},
    )
    with district_context(district):
        next_meeting = services.meeting_create(
            actor=actor_of(tess, district), team=world["team"], date=datetime.date(2026, 11, 12)
        )
    client.force_login(tess)
    page = client.get(f"/d/alpha/meetings/{next_meeting.pk}/").content.decode()
    assert "Decisions on our referrals" in page and "tier 3 reading group" in page
    # The meeting that referred, and the student's profile, say what was decided too.
    made = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").content.decode()
    assert "Decided: Assess with the learning coach" in made
    profile = client.get(f"/d/alpha/students/{world['ada'].pk}/").content.decode()
    assert "Reading 2 years behind" in profile
    assert "<strong>Decided</strong>: Assess with the learning coach" in profile


def test_a_referral_to_a_team_of_another_school_is_refused(district, world, support_team):
    other = SchoolFactory(district=district)
    with district_context(district):
        layer = support_team[0].layer
        elsewhere = Team.objects.create(layer=layer, school=other, name="Other support")
        with pytest.raises(ValidationError, match="same school"):
            services.referral_create(
                actor=actor_of(world["tess"], district),
                meeting=world["meeting"],
                student=world["ada"],
                context="x",
                user=world["tess"],
                to_team=elsewhere,
            )
    assert not Referral.objects.for_district(district).exists()


def test_student_profile_shows_discussions_and_celebrations(client, district, school, world):
    tess = world["tess"]
    with district_context(district):
        d = discuss_ada(district, world)
        services.discussion_save(
            actor=actor_of(tess, district),
            discussion=d,
            field="notes",
            value="Loves graphic novels",
            version=1,
            user=tess,
        )
        services.celebration_add(
            actor=actor_of(tess, district),
            meeting=world["meeting"],
            student=world["ada"],
            text="Read a chapter aloud",
            user=tess,
        )
    client.force_login(tess)
    page = client.get(f"/d/alpha/students/{world['ada'].pk}/").content.decode()
    assert "Loves graphic novels" in page and "Read a chapter aloud" in page


def _refer(district, world, student, context):
    with district_context(district):
        return services.referral_create(
            actor=actor_of(world["tess"], district),
            meeting=world["meeting"],
            student=student,
            context=context,
            user=world["tess"],
        )


def _decide(district, lead, referral, meeting, decision):
    with district_context(district):
        services.referral_decide(
            actor=actor_of(lead, district), referral=referral, meeting=meeting, decision=decision
        )


def test_a_waiting_referral_reaches_the_support_team_and_its_decision_the_referrer(
    client, district, world, support_team
):
    # given: Tess refers Ada; the support team has a meeting open today
    team, lead = support_team
    referral = _refer(district, world, world["ada"], "Reading 2 years behind")
    with district_context(district):
        support_meeting = services.meeting_create(
            actor=actor_of(lead, district), team=team, date=datetime.date.today()
        )
    # then: the support team's page and its member's home list it, with where to decide it
    client.force_login(lead)
    team_page = client.get(f"/d/alpha/teams/{team.pk}/").content.decode()
    waiting = team_page.split('id="waiting-heading"')[1].split("</section>")[0]
    assert "(1)" in waiting and world["ada"].display_name in waiting
    assert "Reading 2 years behind" in waiting and "Grade 3 team" in waiting
    assert f"/meetings/{support_meeting.pk}/#referrals" in waiting
    home = client.get("/d/alpha/").content.decode()
    assert "Referrals waiting for your team" in home
    assert world["ada"].display_name in home and f"/meetings/{support_meeting.pk}/" in home
    # and the referring teacher is not asked to decide
    client.force_login(world["tess"])
    home = client.get("/d/alpha/").content.decode()
    assert "Referrals waiting" not in home and "Decisions on your referrals" not in home
    # when: the support team decides
    _decide(district, lead, referral, support_meeting, "Tier 3 reading group")
    # then: it leaves the support team's lists and reaches the referrer's home page
    client.force_login(lead)
    assert "Referrals waiting" not in client.get("/d/alpha/").content.decode()
    assert "No referral is waiting." in client.get(f"/d/alpha/teams/{team.pk}/").content.decode()
    client.force_login(world["tess"])
    home = client.get("/d/alpha/").content.decode()
    decisions = home.split('id="decisions-heading"')[1].split("</section>")[0]
    assert "<strong>Tier 3 reading group</strong>" in decisions
    assert world["ada"].display_name in decisions and "Reading 2 years behind" in decisions
    # only the teacher who referred is told
    client.force_login(world["teo"])
    assert "Decisions on your referrals" not in client.get("/d/alpha/").content.decode()


def test_a_decision_leaves_the_home_page_after_one_cycle_of_the_referring_team(
    client, district, world, support_team
):
    team, lead = support_team
    referral = _refer(district, world, world["ada"], "Reading 2 years behind")
    today = datetime.date.today()
    with district_context(district):
        support_meeting = services.meeting_create(
            actor=actor_of(lead, district), team=team, date=today
        )
    _decide(district, lead, referral, support_meeting, "Tier 3 reading group")
    client.force_login(world["tess"])
    cycle = datetime.timedelta(weeks=world["team"].cycle_weeks)
    with district_context(district):
        Meeting.objects.filter(pk=support_meeting.pk).update(date=today - cycle)
    assert "Tier 3 reading group" in client.get("/d/alpha/").content.decode()
    with district_context(district):
        Meeting.objects.filter(pk=support_meeting.pk).update(date=today - cycle - ONE_DAY)
    assert "Tier 3 reading group" not in client.get("/d/alpha/").content.decode()
    # It stays on the student's page.
    profile = client.get(f"/d/alpha/students/{world['ada'].pk}/").content.decode()
    assert "Tier 3 reading group" in profile


ONE_DAY = datetime.timedelta(days=1)


def _home_queries(client, user) -> int:

    client.force_login(user)
    client.get("/d/alpha/")  # sessions, caches: warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/d/alpha/").status_code == 200
    return len(queries)


def test_the_home_page_costs_the_same_queries_for_one_referral_or_many(
    client, district, school, world, support_team, django_assert_max_num_queries
):
    team, lead = support_team
    with district_context(district):
        TeamMember.objects.create(team=team, user=world["tess"])  # refers, and decides
        support_meeting = services.meeting_create(
            actor=actor_of(lead, district), team=team, date=datetime.date.today()
        )
    first = _refer(district, world, world["ada"], "first")
    _decide(district, lead, first, support_meeting, "decided first")
    _refer(district, world, world["ada"], "waiting first")
    one = _home_queries(client, world["tess"])

    with district_context(district):
        room = Enrolment.objects.for_district(district).get(student=world["ada"]).classroom
    for n in range(5):
        with district_context(district):
            kid = StudentFactory(district=district, school=school, given_name=f"Kid{n}")
            enrol(kid, room)
        _decide(district, lead, _refer(district, world, kid, "again"), support_meeting, "ok")
        _refer(district, world, kid, "waiting")
    many = _home_queries(client, world["tess"])
    home = client.get("/d/alpha/").content.decode()
    assert home.count("<strong>ok</strong>") == 5 and home.count(": waiting") == 6
    assert one == many, (one, many)
    # 11 on SQLite; PostgreSQL sets the district. Two of them are the continuum's alerts
    # (students in the lowest band with no support, the plans one provides). One is the
    # audit event (ADR 11).
    with django_assert_max_num_queries(14):
        client.get("/d/alpha/")
