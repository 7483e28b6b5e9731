"""Sections a district adds to an agenda ("Learning outcomes and evidence") hold notes, saved
as you type with the same promise as a discussion's: a save against an older version is kept
beside the newer text, and whoever goes on typing after a conflict never overwrites it."""

import datetime
import subprocess

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from teams import services
from teams.models import LayerKind, Meeting, NoteConflict, SectionNote, Team, TeamLayer, TeamMember
from tests.factories import actor_of
from tests.teams.conftest import discuss_ada

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def planning(district, school, world):
    """A collaborative planning team (its default agenda is two sections of the district's
    own, then last week's commitments) with Tess and Teo, and a meeting."""
    with district_context(district):
        layer = TeamLayer.objects.get(kind=LayerKind.COLLABORATIVE_PLANNING)
        team = Team.objects.create(layer=layer, school=school, name="Grade 3 planning")
        for user in (world["tess"], world["teo"]):
            TeamMember.objects.create(team=team, user=user)
        meeting = services.meeting_create(
            actor=actor_of(world["tess"], district), team=team, date=datetime.date(2026, 11, 2)
        )
    return meeting


def _url(meeting, key="custom-1"):
    return f"/d/alpha/meetings/{meeting.pk}/sections/{key}/"


def _note(district, meeting, key="custom-1"):
    return SectionNote.objects.for_district(district).get(meeting=meeting, key=key)


def test_a_section_of_the_districts_own_is_a_labelled_note_that_saves_as_you_type(
    client, district, world, planning
):
    client.force_login(world["tess"])
    page = client.get(f"/d/alpha/meetings/{planning.pk}/").content.decode()
    assert "Learning outcomes and evidence" in page
    assert '<label for="section-custom-1-notes">Notes</label>' in page
    assert 'id="section-custom-1-version" name="version" value="0"' in page
    saved = client.post(
        _url(planning), {"value": "Outcome: <b>fractions</b>", "version": "0"}, **HTMX
    )
    body = saved.content.decode()
    assert "Saved" in body and 'value="1"' in body
    again = client.post(
        _url(planning), {"value": "Outcome: fractions, then decimals", "version": "1"}, **HTMX
    )
    assert 'value="2"' in again.content.decode()
    note = _note(district, planning)
    assert (note.text, note.version, note.updated_by) == (
        "Outcome: fractions, then decimals",
        2,
        world["tess"],
    )
    page = client.get(f"/d/alpha/meetings/{planning.pk}/").content.decode()
    assert "Outcome: fractions, then decimals</textarea>" in page
    # Without JavaScript the section's form posts the same fields and comes back to it.
    plain = client.post(_url(planning, "custom-2"), {"value": "Co-plan the unit", "version": "0"})
    assert plain.status_code == 302 and plain.url.endswith("#section-custom-2")
    assert _note(district, planning, "custom-2").text == "Co-plan the unit"


def test_a_conflict_keeps_both_texts_and_further_typing_never_overwrites_theirs(
    client, district, world, planning
):
    client.force_login(world["tess"])
    client.post(_url(planning), {"value": "Tess: exit tickets", "version": "0"}, **HTMX)
    client.force_login(world["teo"])
    # Teo opened the page before Tess's save: he is at version 0.
    stale = client.post(_url(planning), {"value": "Teo: <i>quiz</i>", "version": "0"}, **HTMX)
    body = stale.content.decode()
    assert "Both versions are kept" in body
    assert "Tess: exit tickets" in body and "Teo: &lt;i&gt;quiz&lt;/i&gt;" in body
    assert 'value="0"' in body  # he stays at the version he started from
    # He goes on typing: his kept version follows, Tess's text is untouched.
    client.post(_url(planning), {"value": "Teo: quiz on Friday", "version": "0"}, **HTMX)
    client.post(_url(planning), {"value": "", "version": "0"}, **HTMX)  # erased: nothing kept
    note = _note(district, planning)
    assert (note.text, note.version) == ("Tess: exit tickets", 1)
    kept = NoteConflict.objects.for_district(district).get()
    assert (kept.section_note_id, kept.text, kept.author) == (
        note.pk,
        "Teo: quiz on Friday",
        world["teo"],
    )
    page = client.get(f"/d/alpha/meetings/{planning.pk}/").content.decode()
    assert "Also written by" in page and "Teo: quiz on Friday" in page
    minutes = client.get(f"/d/alpha/meetings/{planning.pk}/minutes.pdf")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=minutes.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Tess: exit tickets" in text and "Teo: quiz on Friday" in text
    # Someone merges what they need, and dismisses the kept version.
    dismissed = client.post(
        f"/d/alpha/meetings/{planning.pk}/conflicts/{kept.pk}/dismiss/", {"seen": kept.token}
    )
    assert dismissed.status_code == 302 and dismissed.url.endswith("#section-custom-1")
    kept.refresh_from_db()
    assert kept.resolved
    assert (
        "Teo: quiz on Friday"
        not in client.get(f"/d/alpha/meetings/{planning.pk}/").content.decode()
    )


def test_a_discussion_editor_who_goes_on_typing_after_a_conflict_loses_nobodys_text(
    client, district, world
):
    tess, teo = world["tess"], world["teo"]
    with district_context(district):
        d = discuss_ada(district, world)
    url = f"/d/alpha/meetings/{world['meeting'].pk}/discussions/{d.pk}/"
    client.force_login(tess)
    client.post(url, {"field": "notes", "value": "Tess: reads slowly", "version": "1"}, **HTMX)
    client.force_login(teo)
    first = client.post(url, {"field": "notes", "value": "Teo: guesses", "version": "1"}, **HTMX)
    assert f'id="notes-{d.pk}-version" value="1"' in first.content.decode()
    for text in ("Teo: guesses words", "Teo: guesses words from pictures"):
        client.post(url, {"field": "notes", "value": text, "version": "1"}, **HTMX)
    d.refresh_from_db()
    assert (d.notes, d.notes_version) == ("Tess: reads slowly", 2)
    kept = NoteConflict.objects.for_district(district).get()
    assert kept.text == "Teo: guesses words from pictures"
    # the same words as the current text are no conflict: the editor simply catches up
    same = client.post(
        url, {"field": "notes", "value": "Tess: reads slowly", "version": "1"}, **HTMX
    )
    assert "Saved" in same.content.decode() and 'value="2"' in same.content.decode()


def test_bad_section_saves_are_refused_with_the_reason(client, district, world, planning):
    client.force_login(world["tess"])
    refused = client.post(_url(planning, "custom-9"), {"value": "x", "version": "0"}, **HTMX)
    assert "this meeting&#x27;s agenda has no such section of its own" in refused.content.decode()
    # A built-in section records into its own things: it has no notes route at all.
    assert client.post(_url(planning, "key_issues"), {"value": "x"}, **HTMX).status_code == 404
    huge = client.post(_url(planning), {"value": "x" * 10_001, "version": "0"}, **HTMX)
    assert "10,001 characters; the limit is 10,000" in huge.content.decode()
    assert not SectionNote.objects.for_district(district).filter(text__startswith="x").exists()
    # Of the school, not of the team: the meeting is not theirs to see, so it is not found.
    client.force_login(world["outsider"])
    assert client.post(_url(planning), {"value": "x", "version": "0"}).status_code == 404
    with district_context(district):
        Meeting.objects.filter(pk=planning.pk).update(
            closed_at=timezone.now() - datetime.timedelta(days=30)
        )
    client.force_login(world["tess"])
    closed = client.post(_url(planning), {"value": "late", "version": "0"}, **HTMX)
    assert "read-only" in closed.content.decode()
    page = client.get(f"/d/alpha/meetings/{planning.pk}/").content.decode()
    assert 'id="section-custom-1-notes" name="value" rows="4" maxlength="10000" readonly' in page
    assert not SectionNote.objects.for_district(district).filter(text="late").exists()


def test_the_api_reads_and_saves_section_notes_with_409_on_conflict(district, world, planning):
    api = APIClient()
    api.force_authenticate(world["tess"])
    base = f"/api/v1/d/alpha/meetings/{planning.pk}/"
    detail = api.get(base).json()
    assert [(n["key"], n["title"], n["version"]) for n in detail["section_notes"]] == [
        ("custom-1", "Learning outcomes and evidence", 0),
        ("custom-2", "Plan instruction and assessment together", 0),
    ]
    first = api.patch(f"{base}sections/custom-1/", {"text": "Tess", "version": 0}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 1
    api.force_authenticate(world["teo"])
    second = api.patch(f"{base}sections/custom-1/", {"text": "Teo", "version": 0}, format="json")
    assert second.status_code == 409
    body = second.json()
    assert body["text"] == "Tess" and body["conflict"] == {"field": "text", "your_text": "Teo"}
    [kept] = body["kept_versions"]
    assert kept["text"] == "Teo"
    unknown = api.patch(f"{base}sections/custom-7/", {"text": "x", "version": 0}, format="json")
    assert unknown.status_code == 400 and "no such section" in unknown.content.decode()
    gone = api.post(f"{base}kept-versions/{kept['id']}/dismiss/")
    assert gone.status_code == 204
    assert api.get(base).json()["section_notes"][0]["kept_versions"] == []
    assert api.post(f"{base}kept-versions/{kept['id']}/dismiss/").status_code == 404


def test_leaving_a_field_unchanged_makes_no_version_and_so_no_false_conflict(
    client, district, world
):
    tess, teo = world["tess"], world["teo"]
    with district_context(district):
        d = discuss_ada(district, world)
    url = f"/d/alpha/meetings/{world['meeting'].pk}/discussions/{d.pk}/"
    client.force_login(tess)
    client.post(url, {"field": "notes", "value": "Tess: reads slowly", "version": "1"}, **HTMX)
    # Teo opens the page (version 2); Tess tabs through the note: a save of the same words.
    client.post(url, {"field": "notes", "value": "Tess: reads slowly", "version": "2"}, **HTMX)
    client.force_login(teo)
    teos = client.post(
        url, {"field": "notes", "value": "Tess: reads slowly. Teo: loves maps", "version": "2"}
    )
    assert "Saved" in teos.content.decode()
    d.refresh_from_db()
    assert (d.notes, d.notes_version) == ("Tess: reads slowly. Teo: loves maps", 3)
    assert not NoteConflict.objects.for_district(district).exists()


def test_an_autosave_after_the_session_ended_is_refused_not_answered_with_the_login_page(
    client, world
):
    url = f"/d/alpha/meetings/{world['meeting'].pk}/sections/custom-1/"
    response = client.post(url, {"value": "x", "version": "0"}, **HTMX)
    assert response.status_code == 401 and b"Sign in" not in response.content
    assert client.post(url, {"value": "x"}).status_code == 302  # a plain post: to sign in


def test_a_later_conflict_is_kept_apart_and_a_dismissal_names_what_it_read(
    client, district, world, planning
):
    client.force_login(world["tess"])
    client.post(_url(planning), {"value": "Tess v1", "version": "0"}, **HTMX)
    client.force_login(world["teo"])
    client.post(_url(planning), {"value": "Teo, important", "version": "0"}, **HTMX)
    # Teo reloads (version 1) and types again; Tess saved once more in between.
    client.force_login(world["tess"])
    client.post(_url(planning), {"value": "Tess v2", "version": "1"}, **HTMX)
    client.force_login(world["teo"])
    client.post(_url(planning), {"value": "Teo, later", "version": "1"}, **HTMX)
    kept = list(NoteConflict.objects.for_district(district).order_by("pk"))
    assert [k.text for k in kept] == ["Teo, important", "Teo, later"]  # both kept
    first = kept[0]
    read = first.token
    client.post(_url(planning), {"value": "Teo, important: more", "version": "0"}, **HTMX)
    dismiss = f"/d/alpha/meetings/{planning.pk}/conflicts/{first.pk}/dismiss/"
    stale = client.post(dismiss, {"seen": read}, follow=True)
    assert "changed since you read it" in stale.content.decode()
    first.refresh_from_db()
    assert not first.resolved and first.text == "Teo, important: more"
    client.post(dismiss, {"seen": first.token})
    first.refresh_from_db()
    assert first.resolved
