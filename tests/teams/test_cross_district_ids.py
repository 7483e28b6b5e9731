"""A member of district B writes to B's own teams URLs, naming district A's objects in the BODY.

tests/isolation.py walks URLs that carry another district's ids; here the URL is B's own and
each id-taking field of each teams write (pages and API) is given the id of A's object. It
must be refused (a 4xx, or a redirect back with an error message), write nothing in either
district, say nothing of A (every A row carries MARKER), and answer exactly as for an id that
exists nowhere (else the refusal tells that the id exists). The same request with B's own id
must then succeed, so a refusal is known to come from the district, not from a bad request.

Each case runs twice: an attacker who belongs to B only, and one who also holds the same roles
in A (so only the URL's district, never the user's memberships, may decide what an id means).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import models
from django.test import Client
from rest_framework.relations import RelatedField
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from crsys.tenancy.models import TenantModel
from crsys.tenancy.rls import tenant_models
from districts.models import Membership, Role, User
from schools.models import Enrolment, School, StaffAssignment, Student
from teams import api, services
from teams.models import LayerKind, OrganizerPick, Team, TeamMember
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    StudentFactory,
    actor_of,
    enrol,
    member,
    teach,
)

pytestmark = pytest.mark.django_db

MARKER = "ZQXVICTIM"  # in every name and text of district A; never in a reply to B's user
GHOST = 10_000_000  # added to an id of A: an id that exists in no district


def _build(district, school, tag: str) -> dict:
    """A district's teams: a collaborative team and a school support team with members, three
    students in the teacher's class, two meetings and a support team meeting, a discussion
    naming a student with the same issue, a commitment carried to the second meeting, a
    celebration, a pending referral, attendance and an organizer pick. ``tag`` prefixes every
    name and text (MARKER in A, nothing in B)."""

    def named(text: str) -> str:
        return f"{tag} {text}".strip()

    with district_context(district):
        layers = {x.kind: x for x in services.layers_ensure(district_id=district.pk)}
        for layer in layers.values():
            layer.name = named(layer.name)
            layer.save(update_fields=["name"])
        ctm = Team.objects.create(
            layer=layers[LayerKind.COLLABORATIVE_TEAM_MEETING],
            school=school,
            name=named("Grade 3 team"),
        )
        support = Team.objects.create(
            layer=layers[LayerKind.SCHOOL_SUPPORT_TEAM], school=school, name=named("Support team")
        )
        year = SchoolYearFactory(district=district)
        room = ClassroomFactory(district=district, school=school, school_year=year)
        students = {}
        for key in ("ada", "bea", "cal"):
            names = {"family_name": f"{tag}{key.upper()}"} if tag else {}
            students[key] = StudentFactory(
                district=district, school=school, given_name=key.title(), **names
            )
            enrol(students[key], room)
    slug = district.slug
    teacher = member(
        district, Role.TEACHER, school=school, email=f"t@{slug}.example", full_name=named("Tess")
    )
    teacher2 = member(
        district, Role.TEACHER, school=school, email=f"t2@{slug}.example", full_name=named("Teo")
    )
    sam = member(
        district,
        Role.SUPPORT_STAFF,
        school=school,
        email=f"s@{slug}.example",
        full_name=named("Sam"),
    )
    admin = member(district, Role.DISTRICT_ADMIN, email=f"a@{slug}.example", full_name=named("Ann"))
    teach(teacher, room)
    with district_context(district):
        TeamMember.objects.create(team=ctm, user=teacher)
        TeamMember.objects.create(team=support, user=sam)
        actor = actor_of(teacher, district)
        m1 = services.meeting_create(actor=actor, team=ctm, date=datetime.date(2026, 10, 1))
        m2 = services.meeting_create(actor=actor, team=ctm, date=datetime.date(2026, 10, 15))
        sm = services.meeting_create(
            actor=actor_of(sam, district), team=support, date=datetime.date(2026, 10, 8)
        )
        discussion = services.discussion_add(
            actor=actor, meeting=m1, student=students["ada"], user=teacher
        )
        services.discussion_save(
            actor=actor,
            discussion=discussion,
            field="notes",
            value=named("reads slowly"),
            version=1,
            user=teacher,
        )
        services.same_issue_set(actor=actor, discussion=discussion, student=students["bea"])
        commitment = services.commitment_add(
            actor=actor,
            meeting=m1,
            owner_id=teacher.pk,
            text=named("read nightly"),
            due_date=datetime.date(2026, 10, 14),
            student=students["ada"],
        )
        services.celebration_add(
            actor=actor, meeting=m1, text=named("first book"), user=teacher, student=students["ada"]
        )
        # Bea's: a second referral of a student still waiting is refused, and the referral
        # cases below refer Ada.
        referral = services.referral_create(
            actor=actor, meeting=m1, student=students["bea"], context=named("why"), user=teacher
        )
        services.attendance_set(actor=actor, meeting=m1, user_ids=[teacher.pk])
        services.organizer_pick(
            actor=actor, meeting=m2, user=teacher, kind="key_issue", student=students["bea"]
        )
    return {
        "district": district,
        "school": school,
        "room": room,
        "layer_ctm": layers[LayerKind.COLLABORATIVE_TEAM_MEETING],
        "layer_district": layers[LayerKind.DISTRICT_TEAM],
        "ctm": ctm,
        "support": support,
        **students,
        "teacher": teacher,
        "teacher2": teacher2,
        "sam": sam,
        "admin": admin,
        "m1": m1,
        "m2": m2,
        "sm": sm,
        "discussion": discussion,
        "commitment": commitment,
        "referral": referral,
    }


@pytest.fixture(params=["in_b_only", "in_a_too"])
def worlds(request, district, school, other_district):
    """A (alpha, the victim) and B (beta, the attacker's own district)."""
    a = _build(district, school, MARKER)
    b = _build(other_district, SchoolFactory(district=other_district), "")
    if request.param == "in_a_too":
        # B's attackers hold the same roles in A: A's objects are theirs to see at /d/alpha/.
        MembershipFactory(district=district, user=b["admin"], role=Role.DISTRICT_ADMIN, school=None)
        MembershipFactory(district=district, user=b["teacher"], role=Role.TEACHER, school=school)
        teach(b["teacher"], a["room"])
        with district_context(district):
            TeamMember.objects.create(team=a["ctm"], user=b["teacher"])
    return a, b


# --- what the database holds -------------------------------------------------------------


def _watched_models() -> list[type[models.Model]]:
    return [
        *tenant_models(apps.get_app_config("teams")),
        Membership,
        School,
        Student,
        StaffAssignment,
        Enrolment,
    ]


def _state(district) -> dict[str, list[dict]]:
    """Every row (every column, updated_at included) of the watched models of a district."""
    return {
        model._meta.label: list(model.objects.for_district(district).order_by("pk").values())
        for model in _watched_models()
    }


def _changes(before: dict, after: dict) -> dict[str, str]:
    return {
        label: f"{len(before[label])} rows -> {len(after[label])} rows"
        for label in before
        if before[label] != after[label]
    }


def _cross_references(district, other) -> list[str]:
    """Rows of ``district`` pointing at a row of ``other``, or at a user with no membership
    in ``district``: what a body id taken from the wrong district would leave behind."""
    found = []
    staff = set(Membership.objects.for_district(district).values_list("user_id", flat=True))
    for model in tenant_models(apps.get_app_config("teams")):
        rows = model.objects.for_district(district)
        for fk in model._meta.concrete_fields:
            if not isinstance(fk, models.ForeignKey) or fk.name == "district":
                continue
            ids = set(rows.exclude(**{fk.attname: None}).values_list(fk.attname, flat=True))
            target = fk.related_model
            if issubclass(target, TenantModel):
                theirs = target.objects.for_district(other).filter(pk__in=ids)
                bad = set(theirs.values_list("pk", flat=True))
            elif target is User:
                bad = ids - staff
            else:
                continue
            found += [f"{model._meta.label}.{fk.name} -> {pk}" for pk in sorted(bad)]
    return found


# --- requests ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One id-taking field of one write. ``url`` and ``body`` name objects of B's world
    (``{key}`` in the URL, ``"@key"`` as a body value); ``field`` is set to ``obj``: A's
    object, an id of no district, or B's own ``obj``."""

    name: str
    api: bool
    url: str
    body: dict
    field: str
    obj: str
    method: str = "post"
    actor: str = "admin"
    htmx: bool = False
    many: bool = False  # a list: B's own id first, then the id under test
    # "refused": a 4xx or an error message; "noop": no error needed, but nothing happens.
    expect: str = "refused"

    def __str__(self) -> str:
        return self.name


@dataclass
class Reply:
    status: int
    body: str
    location: str = ""
    messages: tuple = ()
    followed: str = ""  # the page a redirect leads to, with its messages

    @property
    def text(self) -> str:
        return self.body + self.followed

    @property
    def levels(self) -> set[int]:
        return {level for level, _ in self.messages}


def _pks(world: dict) -> dict[str, int]:
    return {key: value.pk for key, value in world.items() if hasattr(value, "pk")}


def _body(case: Case, world: dict, value) -> dict:
    pks = _pks(world)
    body = {
        key: (pks[v[1:]] if isinstance(v, str) and v.startswith("@") else v)
        for key, v in case.body.items()
    }
    body[case.field] = [pks[case.obj], value] if case.many else value
    if not case.api:
        body = {
            key: [str(x) for x in v] if isinstance(v, list) else "" if v is None else str(v)
            for key, v in body.items()
        }
    return body


def _send(case: Case, world: dict, value) -> Reply:
    user, slug = world[case.actor], world["district"].slug
    path, body = case.url.format(**_pks(world)), _body(case, world, value)
    if case.api:
        api = APIClient()
        api.force_authenticate(user)
        response = getattr(api, case.method)(f"/api/v1/d/{slug}/{path}", body, format="json")
        return Reply(response.status_code, response.content.decode())
    client = Client()
    client.force_login(user)
    extra = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
    response = getattr(client, case.method)(f"/d/{slug}/{path}", body, **extra)
    reply = Reply(
        response.status_code,
        response.content.decode(),
        response.get("Location", ""),
        tuple((m.level, str(m)) for m in get_messages(response.wsgi_request)),
    )
    if response.status_code == 302:
        reply.followed = client.get(reply.location).content.decode()
    return reply


def _refused(reply: Reply, case: Case) -> bool:
    if case.api or reply.status != 302:
        return 400 <= reply.status < 500
    return messages.ERROR in reply.levels and messages.SUCCESS not in reply.levels


def _succeeded(reply: Reply, case: Case) -> bool:
    if case.api:
        return 200 <= reply.status < 300
    return reply.status in (200, 302) and messages.ERROR not in reply.levels


def _fingerprint(reply: Reply, case: Case, value) -> tuple:
    """What a caller can tell apart: status, redirect, messages and (for anything but a
    redirect) the body, less a page's CSRF tokens and the id echoed by an API error."""
    body = "" if reply.status == 302 else reply.body
    if case.api:
        body = re.sub(rf"(?<![\w.]){value}(?![\w.])", "<id>", body)
    else:
        body = re.sub(r"[A-Za-z0-9]{40,}", "<token>", body)
    return reply.status, reply.location, reply.messages, body


# --- the writes --------------------------------------------------------------------------

MEETING_2 = "meetings/{m2}/"
SAME_ISSUE = "meetings/{m1}/discussions/{discussion}/same-issue/"
NEW_TEAM = {"name": "Literacy team", "cycle_weeks": "6"}
COMMITMENT = {"text": "Try paired reading", "due_date": "2026-11-30"}
PAGE_COMMITMENT = {**COMMITMENT, "owner": "@teacher", "student": "@ada"}
API_COMMITMENT = {**PAGE_COMMITMENT, "meeting": "@m2"}
CELEBRATION = {"text": "Read a chapter book", "meeting": "@m2", "student": "@ada"}
REFERRAL = {"context": "Reading two years behind", "student": "@ada"}
API_REFERRAL = {**REFERRAL, "from_meeting": "@m2"}
DESCRIBE = {"layer": "@layer_ctm", "name": "Our team time", "purpose": "", "attendees": ""}
AGENDA = {
    "form": "agenda",
    "layer": "@layer_ctm",
    "agenda-TOTAL_FORMS": "1",
    "agenda-INITIAL_FORMS": "0",
    "agenda-0-key": "",
    "agenda-0-title": "Our own section",
    "agenda-0-minutes": "10",
}
PAGE, API = False, True

CASES = [
    # pages (teams/views.py)
    Case("page team_list layer", PAGE, "teams/", {**NEW_TEAM}, "layer", "layer_district"),
    Case(
        "page team_create layer",
        PAGE,
        "schools/{school}/teams/new/",
        NEW_TEAM,
        "layer",
        "layer_ctm",
    ),
    Case(
        "page team member add user",
        PAGE,
        "teams/{ctm}/",
        {"action": "member", "meeting_role": "recorder", "strengths": "Visual maths"},
        "user",
        "teacher2",
    ),
    Case(
        "page team member remove user",
        PAGE,
        "teams/{ctm}/",
        {"action": "member", "remove": "1"},
        "user",
        "teacher",
        expect="noop",
    ),
    Case("page attendance attendee", PAGE, MEETING_2 + "attendance/", {}, "attendee", "teacher"),
    Case(
        "page attendance attendees with one of another district",
        PAGE,
        MEETING_2 + "attendance/",
        {},
        "attendee",
        "teacher",
        many=True,
    ),
    Case("page common_language layer", PAGE, "common-language/", DESCRIBE, "layer", "layer_ctm"),
    Case(
        "page common_language agenda layer", PAGE, "common-language/", AGENDA, "layer", "layer_ctm"
    ),
    Case("page discussion_add student", PAGE, MEETING_2 + "discussions/", {}, "student", "ada"),
    Case("page same_issue student", PAGE, SAME_ISSUE, {}, "student", "cal"),
    Case("page same_issue htmx student", PAGE, SAME_ISSUE, {}, "student", "cal", htmx=True),
    Case(
        "page same_issue remove student", PAGE, SAME_ISSUE, {"action": "remove"}, "student", "bea"
    ),
    Case(
        "page commitment owner",
        PAGE,
        MEETING_2 + "commitments/",
        PAGE_COMMITMENT,
        "owner",
        "teacher",
    ),
    Case(
        "page commitment student",
        PAGE,
        MEETING_2 + "commitments/",
        PAGE_COMMITMENT,
        "student",
        "ada",
    ),
    Case(
        "page celebration student", PAGE, MEETING_2 + "celebrations/", CELEBRATION, "student", "ada"
    ),
    Case("page referral student", PAGE, MEETING_2 + "referrals/", REFERRAL, "student", "ada"),
    # API (teams/api.py)
    Case("api meeting team", API, "meetings/", {"date": "2026-12-03"}, "team", "ctm"),
    Case("api discussion student", API, MEETING_2 + "discussions/", {}, "student", "ada"),
    Case("api same_issue student", API, SAME_ISSUE, {}, "student", "cal"),
    Case("api same_issue unname student", API, SAME_ISSUE, {"named": False}, "student", "bea"),
    Case("api commitment meeting", API, "commitments/", API_COMMITMENT, "meeting", "m2"),
    # APP BUG (fails): CommitmentSerializer.owner looks users up in every district
    # (User.objects.all()), so an existing user id of district A is answered "the owner must be
    # a member of this team" and an id of no one "Invalid pk ... does not exist": a member of B
    # learns which user ids exist in other districts. Nothing is written.
    Case("api commitment owner", API, "commitments/", API_COMMITMENT, "owner", "teacher"),
    Case("api commitment student", API, "commitments/", API_COMMITMENT, "student", "ada"),
    Case(
        "api commitment review meeting",
        API,
        "commitments/{commitment}/review/",
        {"status": "in_progress", "comment": "Going well"},
        "meeting",
        "m2",
    ),
    Case("api celebration meeting", API, "celebrations/", CELEBRATION, "meeting", "m2"),
    Case("api celebration student", API, "celebrations/", CELEBRATION, "student", "ada"),
    Case("api referral from_meeting", API, "referrals/", API_REFERRAL, "from_meeting", "m2"),
    Case("api referral student", API, "referrals/", API_REFERRAL, "student", "ada"),
    Case(
        "api referral decide meeting",
        API,
        "referrals/{referral}/decide/",
        {"decision": "Tier 2 reading group"},
        "meeting",
        "sm",
    ),
]

# Fields the write does not take (read-only in the serializer, not read by the view): a valid
# request carrying one succeeds, and what it writes must point at B's objects only.
IGNORED = [
    Case("page referral to_team", PAGE, MEETING_2 + "referrals/", REFERRAL, "to_team", "support"),
    Case("api referral to_team", API, "referrals/", API_REFERRAL, "to_team", "support"),
    Case("api commitment team", API, "commitments/", API_COMMITMENT, "team", "ctm"),
]


def _assert_told_nothing_of_a(reply: Reply, what: str) -> None:
    assert MARKER not in reply.text.upper(), f"{what}: the reply names district A's data"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_id_of_another_district_in_the_body_is_refused_and_writes_nothing(case, worlds):
    a, b = worlds
    foreign = a[case.obj].pk
    before_a, before_b = _state(a["district"]), _state(b["district"])

    hostile = _send(case, b, foreign)
    if case.expect == "refused":
        assert _refused(hostile, case), (hostile.status, hostile.messages, hostile.body[:500])
    else:
        assert hostile.status in (302, 404) and messages.SUCCESS not in hostile.levels
    assert _changes(before_a, _state(a["district"])) == {}
    assert _changes(before_b, _state(b["district"])) == {}
    _assert_told_nothing_of_a(hostile, case.name)

    # A's id is answered exactly as an id of no district: the refusal tells nothing.
    ghost = _send(case, b, foreign + GHOST)
    assert _fingerprint(hostile, case, foreign) == _fingerprint(ghost, case, foreign + GHOST)
    assert _changes(before_b, _state(b["district"])) == {}

    # The same request with B's own object is a good one: the refusal came from the district.
    own = _send(case, b, b[case.obj].pk)
    assert _succeeded(own, case), (own.status, own.messages, own.body[:500])
    assert _changes(before_b, _state(b["district"])) != {}
    assert _changes(before_a, _state(a["district"])) == {}
    _assert_told_nothing_of_a(own, case.name)
    assert _cross_references(b["district"], a["district"]) == []
    assert _cross_references(a["district"], b["district"]) == []


@pytest.mark.parametrize("case", IGNORED, ids=str)
def test_an_id_of_another_district_in_a_field_not_taken_is_never_stored(case, worlds):
    a, b = worlds
    before_a, before_b = _state(a["district"]), _state(b["district"])
    hostile = _send(case, b, a[case.obj].pk)
    assert hostile.status < 500
    _assert_told_nothing_of_a(hostile, case.name)
    assert _changes(before_a, _state(a["district"])) == {}
    assert _cross_references(b["district"], a["district"]) == []
    if _succeeded(hostile, case):
        # The rest of the request was good: B got its row, pointing at B's own objects.
        assert _changes(before_b, _state(b["district"])) != {}
    else:
        assert _refused(hostile, case)
        assert _changes(before_b, _state(b["district"])) == {}


@pytest.mark.parametrize("kind", OrganizerPick.Kind.values)
def test_an_organizer_pick_of_another_districts_student_is_never_stored(kind, worlds):
    """The organizer ignores a pick outside the teacher's class (tests/teams/test_organizer.py),
    so A's student is not refused with an error; it must never be stored. The page takes the
    teacher's three picks at once, so ignoring one may clear the teacher's own picks at this
    meeting (and nothing else)."""
    a, b = worlds
    url = MEETING_2 + "organizer/"
    case = Case(f"page organizer {kind}", PAGE, url, {}, kind, "ada", actor="teacher")
    before_a, before_b = _state(a["district"]), _state(b["district"])
    label = OrganizerPick._meta.label
    mine = [
        row
        for row in before_b[label]
        if row["meeting_id"] == b["m2"].pk and row["teacher_id"] == b["teacher"].pk
    ]
    assert mine, "the teacher has a pick at the meeting already"
    cleared = {**before_b, label: [row for row in before_b[label] if row not in mine]}

    hostile = _send(case, b, a["ada"].pk)
    assert hostile.status in (302, 400, 403, 404)
    _assert_told_nothing_of_a(hostile, case.name)
    assert _changes(before_a, _state(a["district"])) == {}
    after_b = _state(b["district"])
    assert after_b in (before_b, cleared), _changes(before_b, after_b)
    assert _cross_references(b["district"], a["district"]) == []
    ghost = _send(case, b, a["ada"].pk + GHOST)
    ghostly = _fingerprint(ghost, case, a["ada"].pk + GHOST)
    assert _fingerprint(hostile, case, a["ada"].pk) == ghostly

    own = _send(case, b, b["ada"].pk)
    assert _succeeded(own, case), own.messages
    picks = OrganizerPick.objects.for_district(b["district"]).filter(meeting=b["m2"], kind=kind)
    assert list(picks.values_list("student_id", flat=True)) == [b["ada"].pk]


def test_the_cases_cover_every_id_field_the_teams_api_serializers_take():
    """A related field that a client may write on a teams serializer needs a case here."""

    covered = {(c.url.split("/")[0], c.field) for c in CASES + IGNORED if c.api}
    writes = {
        "meetings": api.MeetingSerializer,
        "commitments": api.CommitmentSerializer,
        "celebrations": api.CelebrationSerializer,
        "referrals": api.ReferralSerializer,
    }
    writable = {
        (route, name)
        for route, serializer in writes.items()
        for name, f in serializer().get_fields().items()
        if isinstance(f, RelatedField) and not f.read_only
    }
    assert writable and writable - covered == set()
