"""Odd input to meetings and teams is refused with a reason a person can act on (not Python's
words), and nothing is half-written."""

import datetime

import pytest
from django.utils import timezone

from crsys.tenancy.context import district_context
from districts.models import Role
from teams import services
from teams.models import Celebration, Commitment, Discussion, Meeting, OrganizerPick, Referral, Team
from tests.factories import member
from tests.teams.conftest import discuss_ada

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " | ".join(str(m) for m in response.context["messages"])


def test_a_meeting_is_dated_sensibly_and_once_a_day(client, district, world):
    team = world["team"]
    client.force_login(world["tess"])
    url = f"/d/alpha/teams/{team.pk}/"
    for far in ("0001-01-01", "2999-01-01"):
        refused = client.post(url, {"date": far}, follow=True)
        assert "a meeting is dated from 2000 to a year from today" in _messages(refused)
    today = timezone.localdate()
    first = client.post(url, {"date": today.isoformat()})
    again = client.post(url, {"date": today.isoformat()}, follow=True)
    with district_context(district):
        meetings = list(Meeting.objects.filter(team=team, date=today))
        assert len(meetings) == 1  # the same day opens the meeting already there
        there = meetings[0].get_absolute_url()
    assert first["Location"] == again.redirect_chain[0][0] == there
    assert "already meets on" in _messages(again)


def test_commitments_are_due_after_the_meeting_and_within_a_year(client, district, world):
    meeting = world["meeting"]
    client.force_login(world["tess"])
    url = f"/d/alpha/meetings/{meeting.pk}/commitments/"
    for due in (meeting.date - datetime.timedelta(days=1), datetime.date(9999, 12, 31)):
        response = client.post(
            url,
            {"owner": world["tess"].pk, "text": "call home", "due_date": due.isoformat()},
            follow=True,
        )
        assert "on or after the meeting, and within a year" in _messages(response)
    junk = client.post(url, {"owner": "abc", "text": "x", "due_date": "2026-10-20"}, follow=True)
    assert "Choose who will do it." in _messages(junk)
    # Refused, the form comes back as typed: nothing to type again.
    typed = client.post(
        url,
        {
            "owner": world["teo"].pk,
            "text": "model paired reading",
            "student": "",
            "due_date": "2020-01-01",
        },
    )
    body = typed.content.decode()
    assert typed.status_code == 400
    assert 'value="model paired reading" data-autofocus' in body
    assert f'<option value="{world["teo"].pk}" selected>' in body
    assert 'value="2020-01-01"' in body
    ok = client.post(
        url,
        {"owner": world["tess"].pk, "text": "call home", "due_date": "2026-10-20"},
        follow=True,
    )
    assert "Commitment recorded." in _messages(ok)
    assert Commitment.objects.for_district(district).count() == 1


def test_area_of_concern_celebrations_and_referrals_are_checked(client, district, world):
    tess, meeting = world["tess"], world["meeting"]
    with district_context(district):
        d = discuss_ada(district, world)
        services.layers_ensure(district_id=district.pk)
        support = Team.objects.create(
            layer=services.layers_ensure(district_id=district.pk)[2],
            school=world["team"].school,
            name="Support team",
        )
    client.force_login(tess)
    domain = client.post(
        f"/d/alpha/meetings/{meeting.pk}/discussions/{d.pk}/",
        {"field": "domain", "value": "<script>x</script>"},
    )
    assert "choose an area of concern from the list" in domain.content.decode()
    assert Discussion.objects.for_district(district).get().focus_area is None
    long = client.post(
        f"/d/alpha/meetings/{meeting.pk}/celebrations/", {"text": "joy " * 200}, follow=True
    )
    assert "Ensure this value has at most 500 characters (it has 799)" in _messages(long)
    assert not Celebration.objects.for_district(district).exists()
    refer = f"/d/alpha/meetings/{meeting.pk}/referrals/"
    first = client.post(refer, {"student": world["ada"].pk, "context": "why"}, follow=True)
    assert "is referred" in _messages(first)
    second = client.post(refer, {"student": world["ada"].pk, "context": "why"}, follow=True)
    assert f"is already waiting for {support.name}" in _messages(second)
    assert Referral.objects.for_district(district).count() == 1


def test_teams_are_formed_where_their_layer_belongs_once_and_with_a_number(
    client, district, school
):
    principal = member(district, Role.PRINCIPAL, school=school)
    with district_context(district):
        planning, ctm, support, district_layer = services.layers_ensure(district_id=district.pk)
        Team.objects.create(layer=support, school=school, name="Support team")
    client.force_login(principal)
    url = f"/d/alpha/schools/{school.pk}/teams/new/"

    def form(**fields):
        data = {"name": "Grade 5 team", "layer": ctm.pk, "cycle_weeks": "6", **fields}
        return _messages(client.post(url, data, follow=True))

    assert "is of the district" in form(layer=district_layer.pk)
    assert "already has its" in form(layer=support.pk, name="Second support")
    assert "Meet every 1 to 52 weeks (a number)." in form(cycle_weeks="six")
    assert "Ensure this value has at most 160 characters (it has 161)" in form(name="x" * 161)
    assert "already a team called 'support team'" in form(name="support team")
    with district_context(district):
        assert Team.objects.count() == 1
    client.post(url, {"name": "Grade 5 team", "layer": ctm.pk, "cycle_weeks": "6"})
    with district_context(district):
        assert Team.objects.filter(name="Grade 5 team").exists()


def test_attendance_with_junk_ids_says_so(client, district, world):
    client.force_login(world["tess"])
    url = f"/d/alpha/meetings/{world['meeting'].pk}/attendance/"
    response = client.post(url, {"attendee": ["abc"]}, follow=True)
    assert "Tick the members who attended." in _messages(response)
    assert "invalid literal" not in response.content.decode()


def test_readers_who_may_not_edit_get_no_autosave_and_no_forms(client, district, school, world):

    tess, meeting = world["tess"], world["meeting"]
    with district_context(district):
        d = discuss_ada(district, world)
        OrganizerPick.objects.create(
            meeting=meeting, teacher=tess, student=world["ada"], kind="key_issue"
        )
    leader = member(district, Role.DISTRICT_LEADER)
    client.force_login(leader)
    # Folded for a reader; opened (the address asks, or the notes load when it is opened).
    for url in (
        f"/d/alpha/meetings/{meeting.pk}/?open={d.pk}",
        f"/d/alpha/meetings/{meeting.pk}/discussions/{d.pk}/editor/",
    ):
        page = client.get(url).content.decode()
        assert 'id="notes-' in page and "readonly" in page
        assert "hx-post" not in page  # leaving a read-only box saves nothing
    coverage = client.get(f"/d/alpha/schools/{school.pk}/teams/").content.decode()
    assert "Create the team" not in coverage  # the leader may look, not form teams
    client.force_login(tess)
    page = client.get(f"/d/alpha/meetings/{meeting.pk}/").content.decode()
    assert "(discussed below)" in page and "Discuss now" not in page
