"""Collaborative team meetings: notes that never lose text, sensitive notes, commitments that
come back, celebrations, closing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from crsys.tenancy.context import district_context
from districts.models import Role
from teams import services
from teams.models import Commitment, Discussion, Meeting, NoteConflict
from teams.selectors import next_meeting_date
from tests.factories import (
    StudentFactory,
    actor_of,
    enrol,
    member,
)
from tests.teams.conftest import discuss_ada

pytestmark = pytest.mark.django_db


def test_meeting_agenda_comes_from_the_layer_template(district, world):
    titles = [s["title"] for s in world["meeting"].agenda]
    assert titles[0] == "Norms and celebrations" and "Key issues" in titles


def test_two_editors_conflicting_saves_lose_nothing(district, world):
    tess, teo = world["tess"], world["teo"]
    with district_context(district):
        d = discuss_ada(district, world)
        # both open the note at version 1
        first = services.discussion_save(
            actor=actor_of(tess, district),
            discussion=d,
            field="notes",
            value="Ada reads slowly",
            version=1,
            user=tess,
        )
        assert first.conflict is None and first.discussion.notes_version == 2
        second = services.discussion_save(
            actor=actor_of(teo, district),
            discussion=d,
            field="notes",
            value="Ada guesses words",
            version=1,
            user=teo,
        )
        assert second.conflict is not None
        d.refresh_from_db()
        assert d.notes == "Ada reads slowly"
        assert NoteConflict.objects.get().text == "Ada guesses words"
        # the other field is independent: no false conflict
        other = services.discussion_save(
            actor=actor_of(teo, district),
            discussion=d,
            field="strategies",
            value="Levelled texts",
            version=1,
            user=teo,
        )
        assert other.conflict is None


def test_notes_are_stored_as_typed_and_limited(district, world):
    tess = world["tess"]
    with district_context(district):
        d = discuss_ada(district, world)
        services.discussion_save(
            actor=actor_of(tess, district),
            discussion=d,
            field="notes",
            value="<script>alert(1)</script>",
            version=1,
            user=tess,
        )
        assert Discussion.objects.get().notes == "<script>alert(1)</script>"
        with pytest.raises(ValidationError, match="the limit is 10,000"):
            services.discussion_save(
                actor=actor_of(tess, district),
                discussion=d,
                field="notes",
                value="x" * 10_001,
                version=2,
                user=tess,
            )


def test_commitment_owner_must_be_on_the_team(district, world):
    tess = world["tess"]
    with district_context(district), pytest.raises(ValidationError, match="member of this team"):
        services.commitment_add(
            actor=actor_of(tess, district),
            meeting=world["meeting"],
            owner_id=world["outsider"].pk,
            text="call home",
            due_date=datetime.date(2026, 10, 15),
        )


def test_open_commitments_come_back_at_the_next_meeting(client, district, world):
    tess = world["tess"]
    with district_context(district):
        services.commitment_add(
            actor=actor_of(tess, district),
            meeting=world["meeting"],
            owner_id=tess.pk,
            text="try paired reading",
            due_date=datetime.date(2026, 10, 20),
        )
        later = services.meeting_create(
            actor=actor_of(tess, district), team=world["team"], date=datetime.date(2026, 11, 12)
        )
    client.force_login(tess)
    page = client.get(f"/d/alpha/meetings/{later.pk}/").content.decode()
    assert "try paired reading" in page and "How is it going?" in page
    assert "try paired reading" in client.get("/d/alpha/").content.decode()  # home page
    commitment = Commitment.objects.for_district(district).get()
    client.post(
        f"/d/alpha/meetings/{later.pk}/commitments/{commitment.pk}/",
        {"status": "done", "comment": "Ada reads with her buddy daily"},
        follow=True,  # the page that says it was saved
    )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.reviewed_at_id) == ("done", later.pk)
    assert "try paired reading" not in client.get("/d/alpha/").content.decode()


def test_sensitive_notes_are_readable_only_by_principal_support_and_author(
    client, district, school, world
):
    tess, teo = world["tess"], world["teo"]
    with district_context(district):
        d = discuss_ada(district, world)
        services.discussion_save(
            actor=actor_of(tess, district),
            discussion=d,
            field="notes",
            value="family situation ZZPRIVATE",
            version=1,
            user=tess,
        )
        services.discussion_save(
            actor=actor_of(tess, district), discussion=d, field="sensitive", value="true", user=tess
        )
    url = f"/d/alpha/meetings/{world['meeting'].pk}/"
    principal = member(district, Role.PRINCIPAL, school=school)
    support = member(district, Role.SUPPORT_STAFF, school=school)
    for user, sees in ((tess, True), (principal, True), (support, True), (teo, False)):
        client.force_login(user)
        # The discussion is folded (it has notes): it shows when opened, or loads then.
        assert "ZZPRIVATE" not in client.get(url).content.decode()
        for opened in (f"{url}?open={d.pk}", f"{url}discussions/{d.pk}/editor/"):
            body = client.get(opened).content.decode()
            assert ("ZZPRIVATE" in body) is sees, user
            if not sees:
                assert "A sensitive note exists" in body


def test_a_meeting_closed_long_ago_is_read_only_until_the_principal_reopens_it(
    client, district, school, world
):
    tess = world["tess"]
    with district_context(district):
        Meeting.objects.filter(pk=world["meeting"].pk).update(
            closed_at=timezone.now() - datetime.timedelta(days=30)
        )
        meeting = Meeting.objects.get()
        with pytest.raises(ValidationError, match="read-only"):
            services.celebration_add(
                actor=actor_of(tess, district), meeting=meeting, text="late joy", user=tess
            )
    client.force_login(tess)
    page = client.get(f"/d/alpha/meetings/{meeting.pk}/").content.decode()
    assert "read-only: the principal can reopen it" in page and "Reopen" not in page
    principal = member(district, Role.PRINCIPAL, school=school)
    client.force_login(principal)
    assert "Reopen the meeting" in client.get(f"/d/alpha/meetings/{meeting.pk}/").content.decode()
    client.post(f"/d/alpha/meetings/{meeting.pk}/close/", {"action": "reopen"})
    with district_context(district):
        meeting.refresh_from_db()
        assert meeting.closed_at is None
        services.celebration_add(
            actor=actor_of(tess, district), meeting=meeting, text="late joy", user=tess
        )


def test_teachers_see_their_own_teams_only(client, district, school, world):
    client.force_login(world["outsider"])
    assert "Grade 3 team" not in client.get("/d/alpha/teams/").content.decode()
    assert client.get(f"/d/alpha/teams/{world['team'].pk}/").status_code == 404
    assert client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").status_code == 404
    client.force_login(world["teo"])
    assert client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").status_code == 200


def test_autosave_endpoint_reports_conflicts_and_escapes(client, district, world):
    tess, teo = world["tess"], world["teo"]
    with district_context(district):
        d = discuss_ada(district, world)
    url = f"/d/alpha/meetings/{world['meeting'].pk}/discussions/{d.pk}/"
    client.force_login(tess)
    saved = client.post(url, {"field": "notes", "value": "<b>bold</b>", "version": "1"})
    assert "Saved" in saved.content.decode() and 'value="2"' in saved.content.decode()
    client.force_login(teo)
    conflict = client.post(url, {"field": "notes", "value": "mine <i>too</i>", "version": "1"})
    body = conflict.content.decode()
    assert "Both versions are kept" in body and "mine &lt;i&gt;too&lt;/i&gt;" in body
    page = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


def test_attendance_is_recorded_for_members_only(client, district, world):
    client.force_login(world["tess"])
    url = f"/d/alpha/meetings/{world['meeting'].pk}/attendance/"
    client.post(url, {"attendee": [world["tess"].pk, world["teo"].pk]})
    meeting = Meeting.objects.for_district(district).get()
    assert set(meeting.attendees.values_list("pk", flat=True)) == {
        world["tess"].pk,
        world["teo"].pk,
    }
    client.post(url, {"attendee": [world["outsider"].pk]})
    assert meeting.attendees.count() == 2  # refused, unchanged


def test_key_issue_records_supports_and_other_students_with_the_same_issue(client, district, world):
    tess = world["tess"]
    with district_context(district):
        d = discuss_ada(district, world)
    client.force_login(tess)
    url = f"/d/alpha/meetings/{world['meeting'].pk}/discussions/{d.pk}/"
    client.post(url, {"field": "supports", "value": "Chunk the text; audio books", "version": 1})
    client.post(url, {"field": "others", "value": "Ben, Chloe", "version": 1})
    d.refresh_from_db()
    assert (d.supports, d.others, d.others_version) == (
        "Chunk the text; audio books",
        "Ben, Chloe",
        2,
    )
    page = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/?open={d.pk}").content.decode()
    assert "Other students with the same issue" in page and "Ben, Chloe" in page


def test_the_next_meeting_follows_the_teams_cycle(district, world):

    today = datetime.date(2026, 10, 5)
    with district_context(district):
        team = world["team"]  # last met 2026-10-01, every 6 weeks
        assert next_meeting_date(team=team, today=today) == datetime.date(2026, 11, 12)
        assert next_meeting_date(team=team, today=datetime.date(2027, 1, 1)) == datetime.date(
            2027, 1, 1
        )


def test_a_key_issue_action_has_an_owner_a_date_and_its_student(client, district, world):
    tess = world["tess"]
    with district_context(district):
        discuss_ada(district, world)
    client.force_login(tess)
    url = f"/d/alpha/meetings/{world['meeting'].pk}/"
    assert 'id="commitment-student"' in client.get(url).content.decode()
    client.post(
        f"{url}commitments/",
        {
            "owner": world["teo"].pk,
            "text": "read with Ada daily",
            "due_date": "2026-10-20",
            "student": world["ada"].pk,
        },
    )
    commitment = Commitment.objects.for_district(district).get(text="read with Ada daily")
    assert (commitment.owner_id, commitment.student_id) == (world["teo"].pk, world["ada"].pk)
    page = client.get(url).content.decode()
    assert f"read with Ada daily by 20 Oct 2026 ({world['ada'].display_name})" in page


def test_students_who_share_a_name_are_told_apart_in_every_list(client, district, school, world):

    with district_context(district):
        room = world["ada"].enrolments.get().classroom
        twin = StudentFactory(
            district=district,
            school=school,
            given_name="Ada",
            family_name=world["ada"].family_name,
            grade="04",
        )
        enrol(twin, room)
    client.force_login(world["tess"])
    # The student picker's list (the page itself lists no student to choose from).
    url = f"/d/alpha/meetings/{world['meeting'].pk}/students/"
    options = client.get(url, {"q": "Ada"}).content.decode()
    ada = world["ada"]
    assert f"{ada.family_name}, Ada (Grade 3, #{ada.student_number})" in options
    assert f"{ada.family_name}, Ada (Grade 4, #{twin.student_number})" in options


def test_home_shows_overdue_commitments_and_where_each_team_records_now(client, district, world):
    tess, meeting = world["tess"], world["meeting"]
    held = timezone.localdate() - datetime.timedelta(days=14)
    due = held + datetime.timedelta(days=7)  # a week ago
    with district_context(district):
        Meeting.objects.filter(pk=meeting.pk).update(date=held)
        Commitment.objects.create(
            team=world["team"], meeting=meeting, owner=tess, text="call home", due_date=due
        )
    client.force_login(tess)
    home = client.get("/d/alpha/").content.decode()
    assert f'call home — by {due:%-d %b %Y} <strong class="flag">Overdue</strong>' in home
    assert f'href="/d/alpha/meetings/{meeting.pk}/">meeting of {held:%-d %b %Y}</a>' in home
    # A meeting left open for longer than the team's cycle is not where the team is now.
    with district_context(district):
        Meeting.objects.filter(pk=meeting.pk).update(
            date=timezone.localdate() - datetime.timedelta(weeks=7)
        )
    home = client.get("/d/alpha/").content.decode()
    assert "start the next meeting" in home and f"/meetings/{meeting.pk}/" in home  # commitment
