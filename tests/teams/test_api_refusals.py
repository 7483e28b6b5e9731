"""The teams API as an integrator finds it: refusals name the request's field, nothing a
caller may not read comes back by another road, and no input makes a 500."""

import datetime

import pytest
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from districts.models import Role
from teams import services
from teams.models import Celebration, Commitment, Discussion, Meeting, NoteConflict, Referral, Team
from tests.factories import SchoolFactory, StudentFactory, actor_of, member
from tests.teams.conftest import discuss_ada

pytestmark = pytest.mark.django_db
BASE = "/api/v1/d/alpha/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def sensitive(district, school, world):
    """Ada's discussion, marked sensitive by the principal (a reader), with a kept version."""
    principal = member(district, Role.PRINCIPAL, school=school)
    with district_context(district):
        d = discuss_ada(district, world)
        for field, value, version in (
            ("notes", "Family situation: ZQXPRIVATE", 1),
            ("sensitive", "true", 0),
            ("notes", "Stale edit: ZQXPRIVATE too", 1),
        ):
            services.discussion_save(
                actor=actor_of(principal, district),
                discussion=Discussion.objects.get(pk=d.pk),
                field=field,
                value=value,
                version=version,
                user=principal,
            )
    return d


def test_adding_a_discussed_student_again_never_shows_a_sensitive_note(api, world, sensitive):
    api.force_authenticate(world["teo"])  # a member of the team, not a reader of the note
    again = api.post(
        f"{BASE}meetings/{world['meeting'].pk}/discussions/",
        {"student": world["ada"].pk},
        format="json",
    )
    assert again.status_code == 200  # it was there already: not created
    body = again.json()
    assert body["id"] == sensitive.pk and body["sensitive"] is True
    assert body["notes"] is None and body["kept_versions"] is None
    assert "ZQXPRIVATE" not in again.content.decode()
    refused = api.patch(
        f"{BASE}meetings/{world['meeting'].pk}/discussions/{sensitive.pk}/",
        {"field": "notes", "value": "x", "version": 2},
        format="json",
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("version", [-1, 2**31, 10**23])
def test_a_version_out_of_range_is_refused_by_name(api, district, world, version):
    with district_context(district):
        d = discuss_ada(district, world)
    api.force_authenticate(world["tess"])
    meeting = f"{BASE}meetings/{world['meeting'].pk}/"
    saved = api.patch(
        f"{meeting}discussions/{d.pk}/",
        {"field": "notes", "value": "x", "version": version},
        format="json",
    )
    assert saved.status_code == 400 and "version" in saved.json()


def test_note_saves_name_the_field_that_is_wrong(api, district, world):
    with district_context(district):
        d = discuss_ada(district, world)
    api.force_authenticate(world["tess"])
    url = f"{BASE}meetings/{world['meeting'].pk}/discussions/{d.pk}/"

    def save(**body):
        return api.patch(url, body, format="json")

    assert "version" in save(field="notes", value="no version").json()
    assert save(field="notes", value="x" * 10_001, version=1).json()["value"] == [
        "10,001 characters; the limit is 10,000"
    ]
    assert save(field="decision", value="bogus").json() == {
        "value": ["choose a decision from the list"]
    }
    assert save(field="sensitive", value=True).status_code == 200  # a JSON boolean
    for loose in ("True", "yes"):  # never read as "not sensitive"
        assert save(field="sensitive", value=loose).json() == {
            "value": ["sensitive is true or false"]
        }
    assert save(field="notes", value=True, version=1).json() == {"value": ["give notes as a text"]}
    assert save(field="notes", value=["a list"], version=1).status_code == 400
    with district_context(district):
        assert Discussion.objects.get().sensitive is True


def test_owner_filter_and_closing_twice(api, district, world):
    api.force_authenticate(world["tess"])
    for junk in ("99999999999999999999999", "162.9", "-1", "abc"):
        listed = api.get(f"{BASE}commitments/", {"owner": junk})
        assert listed.status_code == 200 and listed.json()["results"] == []
    close = f"{BASE}meetings/{world['meeting'].pk}/close/"
    assert api.post(close).status_code == 200
    with district_context(district):
        closed_at = Meeting.objects.get().closed_at
    again = api.post(close)
    assert again.status_code == 400 and "was closed on" in again.json()["detail"]
    with district_context(district):
        assert Meeting.objects.get().closed_at == closed_at  # the days to correct it stand


def test_a_student_of_another_school_is_refused_everywhere(api, district, world):
    with district_context(district):
        elsewhere = StudentFactory(district=district, school=SchoolFactory(district=district))
    # A district admin sees every school's students (a teacher would get 404 for them).
    api.force_authenticate(member(district, Role.DISTRICT_ADMIN))
    meeting = world["meeting"]
    writes = [
        (f"meetings/{meeting.pk}/discussions/", {"student": elsewhere.pk}),
        (
            "commitments/",
            {
                "meeting": meeting.pk,
                "owner": world["tess"].pk,
                "student": elsewhere.pk,
                "text": "x",
                "due_date": "2026-10-20",
            },
        ),
        ("celebrations/", {"meeting": meeting.pk, "student": elsewhere.pk, "text": "joy"}),
        ("referrals/", {"from_meeting": meeting.pk, "student": elsewhere.pk, "context": "why"}),
    ]
    for path, body in writes:
        refused = api.post(BASE + path, body, format="json")
        assert refused.status_code == 400, (path, refused.content)
        assert "is not a student of" in refused.json()["student"][0]
    with district_context(district):
        for model in (Discussion, Commitment, Celebration, Referral):
            assert not model.objects.exists()


def test_referrals_are_decided_once_by_a_later_meeting_of_the_support_team(
    api, district, school, world
):
    lead = member(district, Role.SUPPORT_STAFF, school=school)
    with district_context(district):
        support_layer = services.layers_ensure(district_id=district.pk)[2]
        team = Team.objects.create(layer=support_layer, school=school, name="Support team")
        team.members.create(user=lead, district=district)
        referral = services.referral_create(
            actor=actor_of(world["tess"], district),
            meeting=world["meeting"],
            student=world["ada"],
            context="why",
            user=world["tess"],
        )
        before, after = (
            services.meeting_create(actor=actor_of(lead, district), team=team, date=day)
            for day in (datetime.date(2026, 9, 1), datetime.date(2026, 10, 8))
        )
    api.force_authenticate(lead)
    decide = f"{BASE}referrals/{referral.pk}/decide/"
    early = api.post(decide, {"meeting": before.pk, "decision": "x"}, format="json")
    assert early.status_code == 400 and "on or after" in early.json()["detail"]
    decided = api.post(decide, {"meeting": after.pk, "decision": "Tier 2"}, format="json")
    assert decided.status_code == 200
    with district_context(district):
        later = services.meeting_create(
            actor=actor_of(lead, district), team=team, date=datetime.date(2026, 10, 22)
        )
    overwrite = api.post(decide, {"meeting": later.pk, "decision": "Other"}, format="json")
    assert overwrite.status_code == 404  # decided elsewhere: not on this agenda
    with district_context(district):
        assert Referral.objects.get().decision == "Tier 2"
    self_referral = api.post(
        f"{BASE}referrals/",
        {"from_meeting": after.pk, "student": world["ada"].pk, "context": "why"},
        format="json",
    )
    assert self_referral.status_code == 400
    assert "does not refer" in self_referral.json()["detail"]


def test_kept_versions_of_a_sensitive_note_are_dismissed_only_by_its_readers(
    api, client, district, world, sensitive
):

    with district_context(district):
        kept = NoteConflict.objects.get()
    meeting = world["meeting"].pk
    api.force_authenticate(world["teo"])  # on the team, may not read the note
    url = f"{BASE}meetings/{meeting}/kept-versions/{kept.pk}/dismiss/"
    assert api.post(url, {"seen": kept.token}, format="json").status_code == 403
    client.force_login(world["teo"])
    page = client.post(f"/d/alpha/meetings/{meeting}/conflicts/{kept.pk}/dismiss/")
    assert page.status_code == 403
    api.force_authenticate(world["tess"])  # its author may
    assert api.post(url, {"seen": "not what is there"}, format="json").json() == {
        "seen": ["that version changed since you read it: read it again, then dismiss it"]
    }
    assert api.post(url, {"seen": kept.token}, format="json").status_code == 204
    with district_context(district):
        assert NoteConflict.objects.get().resolved
