"""A district changes its layers' agendas (sections, titles, minutes, order); meetings created
afterwards follow them, older meetings keep theirs, and nothing recorded is hidden."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from districts.models import Role
from teams import agenda, services
from teams.models import LayerKind, Meeting, SectionNote, Team, TeamLayer
from tests.factories import actor_of, member

pytestmark = pytest.mark.django_db


def test_clean_names_the_section_and_the_field():
    with pytest.raises(ValidationError) as raised:
        agenda.clean(
            [
                {"key": "key_issues", "title": "Key issues", "minutes": 45},
                {"key": "", "title": "  ", "minutes": "ten"},
                {"key": "key_issues", "title": "Again", "minutes": 0},
                {"key": "drop table", "title": "x" * 121, "minutes": 500},
                "not a section",
            ]
        )
    problems = raised.value.message_dict["agenda"]
    assert "section 2: the title is empty" in problems
    assert "section 2: minutes must be a whole number from 1 to 240" in problems
    assert "section 3: 'Key issues' is already on the agenda" in problems
    assert "section 3: minutes must be a whole number from 1 to 240" in problems
    assert "section 4: unknown key 'drop table'" in problems
    assert "section 4: the title is longer than 120 characters" in problems
    assert "section 5: give a title and minutes" in problems
    for bad in ([], None, [{"title": "x", "minutes": 1}] * 13):
        with pytest.raises(ValidationError):
            agenda.clean(bad)


def test_clean_keys_new_sections_without_reusing_a_key():
    cleaned = agenda.clean(
        [
            {"key": "custom-1", "title": "Data wall", "minutes": "10"},
            {"title": "Check-in", "minutes": 5},
            {"key": "celebrations", "title": "Joy", "minutes": 10},
            {"key": "", "title": "Professional learning", "minutes": 15},
        ]
    )
    keys = [s["key"] for s in cleaned]
    assert keys == ["custom-1", "custom-2", "celebrations", "custom-3"]
    assert cleaned[0]["minutes"] == 10


def _agenda_form(layer, rows):
    data = {
        "layer": layer.pk,
        "form": "agenda",
        "agenda-TOTAL_FORMS": len(rows),
        "agenda-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(rows):
        for field, value in row.items():
            data[f"agenda-{i}-{field}"] = value
    return data


def test_an_admin_reshapes_the_agenda_and_new_meetings_follow_it(client, district, world):
    admin = member(district, Role.DISTRICT_ADMIN, email="boss@alpha.example")
    with district_context(district):
        ctm = TeamLayer.objects.get(kind=LayerKind.COLLABORATIVE_TEAM_MEETING)
    client.force_login(admin)
    response = client.post(
        "/d/alpha/common-language/",
        _agenda_form(
            ctm,
            [
                {"key": "celebrations", "title": "Norms and joy", "minutes": "10", "order": "1"},
                {"key": "commitments", "title": "Commitments", "minutes": "5", "order": "3"},
                {
                    "key": "key_issues",
                    "title": "Students of concern",
                    "minutes": "40",
                    "order": "4",
                },
                {"key": "referrals", "title": "Referrals", "minutes": "5", "remove": "1"},
                {"key": "", "title": "Data wall", "minutes": "10", "order": "2"},
                {"key": "", "title": "", "minutes": ""},  # a blank new row
            ],
        ),
    )
    assert response.status_code == 302
    page = client.get("/d/alpha/common-language/").content.decode()
    assert "Data wall (10 min)" in page and "Agenda (65 min)" in page
    with district_context(district):
        ctm.refresh_from_db()
        assert [s["title"] for s in ctm.agenda_template] == [
            "Norms and joy",
            "Data wall",
            "Commitments",
            "Students of concern",
        ]
        later = services.meeting_create(
            actor=actor_of(world["tess"], district),
            team=Team.objects.get(pk=world["team"].pk),  # as a request loads it
            date=datetime.date(2026, 11, 12),
        )
    client.force_login(world["tess"])
    new_page = client.get(f"/d/alpha/meetings/{later.pk}/").content.decode()
    order = [new_page.index(t) for t in ("Norms and joy", "Data wall", "Students of concern")]
    assert order == sorted(order) and "40 min" in new_page and "Agenda: 65 min" in new_page
    assert 'id="referrals"' not in new_page  # left out, and nothing to show
    old_page = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").content.decode()
    assert "Key issues" in old_page and "Data wall" not in old_page  # keeps its agenda


def test_a_section_left_out_still_shows_what_it_holds(client, district, school, world):
    with district_context(district):
        layers = {x.kind: x for x in services.layers_ensure(district_id=district.pk)}
        Team.objects.create(layer=layers[LayerKind.SCHOOL_SUPPORT_TEAM], school=school, name="SST")
        meeting = world["meeting"]
        meeting.agenda = [{"key": "key_issues", "title": "Students", "minutes": 30}]
        meeting.save()
        services.referral_create(
            actor=actor_of(world["tess"], district),
            meeting=meeting,
            student=world["ada"],
            context="Tried a lot",
            user=world["tess"],
        )
    client.force_login(world["tess"])
    page = client.get(f"/d/alpha/meetings/{meeting.pk}/").content.decode()
    assert 'id="referrals"' in page and "Tried a lot" not in page  # listed by student
    assert page.index("Students") < page.index('id="referrals"')
    assert 'id="celebrations"' not in page  # nothing to show there


def test_bad_agenda_forms_are_refused_with_the_reason(client, district, world):
    admin = member(district, Role.DISTRICT_ADMIN, email="boss@alpha.example")
    with district_context(district):
        ctm = TeamLayer.objects.get(kind=LayerKind.COLLABORATIVE_TEAM_MEETING)
        before = list(ctm.agenda_template)
    client.force_login(admin)
    bad = _agenda_form(ctm, [{"key": "", "title": "Data wall", "minutes": "0"}])
    refused = client.post("/d/alpha/common-language/", bad)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "section 1: minutes must be a whole number from 1 to 240" in page
    # What was typed comes back in its form, open, to be corrected rather than retyped.
    assert 'value="Data wall"' in page and 'value="0"' in page
    assert "<details open><summary>Change the agenda</summary>" in page
    words = client.post(
        "/d/alpha/common-language/",
        {"layer": ctm.pk, "name": " ", "purpose": "A long purpose, typed with care"},
    ).content.decode()
    assert "a layer needs a name" in words and "A long purpose, typed with care</textarea>" in words
    junk = client.post(
        "/d/alpha/common-language/",
        {"layer": ctm.pk, "form": "agenda", "agenda-rows": "many"},
        follow=True,
    )
    assert "an agenda needs at least one section" in junk.content.decode()
    client.force_login(world["tess"])  # a teacher may not
    assert client.post("/d/alpha/common-language/", bad).status_code == 403
    with district_context(district):
        ctm.refresh_from_db()
        assert ctm.agenda_template == before


def test_the_api_changes_a_layers_agenda(district, world):
    api = APIClient()
    with district_context(district):
        ctm = TeamLayer.objects.get(kind=LayerKind.COLLABORATIVE_TEAM_MEETING)
    url = f"/api/v1/d/alpha/team-layers/{ctm.pk}/"
    sections = [
        {"key": "key_issues", "title": "Key issues", "minutes": 50},
        {"title": "Check-out", "minutes": 5},
    ]
    api.force_authenticate(world["tess"])
    assert api.patch(url, {"agenda_template": sections}, format="json").status_code == 403
    api.force_authenticate(member(district, Role.DISTRICT_ADMIN, email="boss@alpha.example"))
    changed = api.patch(url, {"agenda_template": sections, "name": "CTM"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "CTM"
    assert changed.json()["agenda_template"][1] == {
        "key": "custom-1",
        "title": "Check-out",
        "minutes": 5,
    }
    refused = api.patch(url, {"agenda_template": [{"title": "", "minutes": 5}]}, format="json")
    assert refused.status_code == 400
    assert "section 1: the title is empty" in refused.json()["agenda_template"]
    with district_context(district):
        ctm.refresh_from_db()
        assert ctm.name == "CTM"  # the refused change left the earlier one alone


def test_keys_stored_before_they_were_in_urls_are_renamed_with_their_notes(district, world):

    migration = importlib.import_module("teams.migrations.0006_agenda_keys_in_urls")
    old = [
        {"key": "custom-1", "title": "Data", "minutes": 5},
        {"key": "custom-Our goals", "title": "Goals", "minutes": 5},
        {"key": "key_issues", "title": "Key issues", "minutes": 30},
    ]
    with district_context(district):
        meeting = Meeting.objects.get()
        Meeting.objects.filter(pk=meeting.pk).update(agenda=old)
        SectionNote.objects.create(meeting=meeting, key="custom-Our goals", text="kept", version=1)
        # The page shows such a meeting (its key is replaced by its place), rather than failing.
        assert [s["key"] for s in agenda.sections_for_page(old, set())] == [
            "custom-1",
            "custom-2",
            "key_issues",
        ]
        migration.rename(django_apps, None)
        meeting.refresh_from_db()
        assert [s["key"] for s in meeting.agenda] == ["custom-1", "custom-2", "key_issues"]
        assert SectionNote.objects.get().key == "custom-2"
