"""Walk every URL pattern and API route as a user of district B against district A.

The routes come from the URL resolver (pages and API) and from the OpenAPI schema (the API's
methods), never from a hand list, so a route is covered the day it is added. A route whose
parameters this walker cannot fill makes it fail: teach it the parameter, don't skip it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from continuum.models import (
    DistrictSupport,
    DistrictSupportProvider,
    PlanChange,
    ProgressPoint,
    SchoolSupportAssignment,
    SchoolSupportTier,
    Support,
    SupportEffect,
    SupportFile,
    SupportPlan,
    Tier,
)
from crsys.audit.models import AuditEvent, SupportGrant
from crsys.tenancy.admin import is_tenant_model
from crsys.tenancy.context import district_context
from crsys.tenancy.rls import tenant_models
from districts.models import Role
from leadership.defaults import MATRIX
from leadership.models import (
    ActionPlan,
    AssuranceArea,
    CheckIn,
    Evaluation,
    EvaluationMatrix,
    Evidence,
    Goal,
    Measure,
    MeasureFigure,
    PlanComment,
    PlanCommitment,
    Priority,
    Strategy,
)
from schools.models import (
    PendingMembership,
    RosterImport,
    StudentFlag,
    StudentFlagValue,
    StudentSchool,
)
from screeners.models import (
    BandCountSnapshot,
    BenchmarkBand,
    ResultImport,
    Screener,
    ScreenerResult,
    ScreeningWindow,
    StudentBandSnapshot,
    WindowScreener,
)
from teams.models import (
    Celebration,
    Commitment,
    Discussion,
    Meeting,
    MeetingAttendance,
    NoteConflict,
    OrganizerPick,
    Referral,
    SameIssueStudent,
    SectionNote,
    Team,
    TeamLayer,
    TeamMember,
)
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    StudentFactory,
    UserFactory,
    enrol,
    focus_area,
    teach,
)

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class Route:
    template: str  # "/d/<slug:district_slug>/members/<int:membership_pk>/invite/"
    name: str

    @property
    def params(self) -> list[str]:
        return [m["name"] for m in PARAM.finditer(self.template)]

    @property
    def is_district_route(self) -> bool:
        return "district_slug" in self.params

    @property
    def object_params(self) -> list[str]:
        return [p for p in self.params if p.endswith("_pk") or p == "object_id"]

    def fill(self, values: dict[str, str]) -> str:
        def value(match):
            name = match["name"]
            if name not in values:
                raise LookupError(f"{self.template}: no value for URL parameter '{name}'")
            return str(values[name])

        return PARAM.sub(value, self.template)


def _regex_to_template(regex: str) -> str:
    """'^(?P<app_label>auth|districts)/$' -> '<app_label>/'; refuses what it can't read."""
    out, i = [], 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            name_end = regex.index(">", i)
            name = regex[i + 4 : name_end]
            depth, j = 1, name_end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[j], 0) if regex[j - 1] != "\\" else 0
                j += 1
            out.append(f"<{name}>")
            i = j
            continue
        out.append(regex[i])
        i += 1
    text = "".join(out).lstrip("^").removesuffix("$").removesuffix(r"\Z")
    text = text.replace(r"\.", ".").replace("/?", "/")
    if re.search(r"[()\[\]*+?|\\]", text):
        raise ValueError(f"cannot turn URL regex {regex!r} into a path to request")
    return text


def _pattern_text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, RegexPattern):
        return _regex_to_template(pattern.regex.pattern)
    raise TypeError(f"unknown URL pattern type {type(pattern)!r}")


def walk_routes(patterns=None, prefix: str = "/") -> list[Route]:
    patterns = get_resolver().url_patterns if patterns is None else patterns
    routes: list[Route] = []
    for entry in patterns:
        text = prefix + _pattern_text(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += walk_routes(entry.url_patterns, text)
        elif isinstance(entry, URLPattern):
            routes.append(Route(template=text, name=entry.name or repr(entry.callback)))
    return routes


def schema_operations(client) -> dict[str, set[str]]:
    """{path template from the OpenAPI schema: HTTP methods}."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    return {path: {m.upper() for m in ops} for path, ops in schema["paths"].items()}


@dataclass
class World:
    """One district's objects: an instance of every tenant model, found by model name."""

    slug: str
    marker: str
    objects: dict[str, object] = field(default_factory=dict)

    def param_values(self) -> dict[str, str]:
        values = {"district_slug": self.slug}
        for model_name, obj in self.objects.items():
            values[f"{model_name}_pk"] = obj.pk
        values["import_pk"] = self.objects["rosterimport"].pk
        values["window_pk"] = self.objects["screeningwindow"].pk
        values["conflict_pk"] = self.objects["noteconflict"].pk
        values["plan_pk"] = self.objects["supportplan"].pk
        values["focus_area_pk"] = self.objects["focusarea"].pk
        values["point_pk"] = self.objects["progresspoint"].pk
        values["section_key"] = self.objects["sectionnote"].key
        # Parameters of non-district routes (password reset, Django admin).
        membership = self.objects["membership"]
        values.update(
            uidb64="MQ",
            token="set-password",
            app_label="districts",
            model_name="membership",
            object_id=membership.pk,
            content_type_id=1,
            id=membership.user_id,
            url="districts/",
            # An API token's public start (a victim's token is as good as none to others),
            # and django-otp's admin pages of one device.
            token_key="no-such-token",
            pk=0,
        )
        return values


def missing_tenant_models(world: World) -> list[str]:
    return sorted(
        m._meta.model_name for m in tenant_models() if m._meta.model_name not in world.objects
    )


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", errors="replace")


def find_leaks(client, *, own: World, victim: World, token: str, sign_in) -> list[str]:
    """Every way ``client`` (a member of ``own`` only) reached ``victim``'s data.

    ``sign_in()`` restores the intruder's session and token before each request: the walk
    also posts to sign-out and deletes the API token, like any other route.
    """
    problems: list[str] = []
    client.raise_request_exception = False  # a crash is a finding too, not the end of the walk
    api_methods = {}
    for path, methods in schema_operations(client).items():
        api_methods[re.sub(r"\{([^}]+)\}", r"<\1>", path)] = methods

    def request(method: str, url: str):
        sign_in()
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if url.startswith("/api/") else {}
        data = {} if method != "GET" else None
        call = getattr(client, method.lower())
        if method == "GET":
            return call(url, **headers)
        return call(url, data=data, content_type="application/json", **headers)

    def check(route: Route, method: str, url: str, allowed: tuple[int, ...] | None):
        response = request(method, url)
        where = f"{method} {url} ({route.name})"
        if response.status_code >= 500:
            problems.append(f"{where}: server error {response.status_code}")
        if victim.marker in _body(response):
            problems.append(f"{where}: response shows the other district's data")
        if allowed is not None and response.status_code not in allowed:
            problems.append(f"{where}: status {response.status_code}, expected {allowed}")

    routes = walk_routes()
    walked = {re.sub(r"<(?:[^>:]+:)?([^>]+)>", r"<\1>", r.template) for r in routes}
    for api_path in api_methods:
        if api_path not in walked:
            problems.append(f"{api_path}: in the OpenAPI schema but not found by the walk")

    own_values, victim_values = own.param_values(), victim.param_values()
    for route in routes:
        plain = re.sub(r"<(?:[^>:]+:)?([^>]+)>", r"<\1>", route.template)
        methods = sorted(api_methods.get(plain, set()) | {"GET", "POST"})
        try:
            victim_url = route.fill(victim_values)
            # Own district in the URL, the victim's object ids in it.
            crossed_url = route.fill({**victim_values, "district_slug": own.slug})
        except LookupError as error:
            problems.append(str(error))
            continue
        for method in methods:
            if route.is_district_route:
                check(route, method, victim_url, (404,))
                if route.object_params:
                    check(route, method, crossed_url, (403, 404, 405))
                else:
                    check(route, method, route.fill(own_values), None)
            else:
                check(route, method, victim_url, None)
    return problems


def build_world(*, district, marker: str) -> World:
    """Objects of every tenant model for ``district``, their text carrying ``marker``.

    A new tenant model gets a line here; ``missing_tenant_models`` says when one is missing.
    """

    world = World(slug=district.slug, marker=marker)
    o = world.objects
    o["school"] = SchoolFactory(district=district, name=f"{marker} School", code=f"{marker}-S")
    user = UserFactory(email=f"{marker.lower()}-teacher@example.org", full_name=f"{marker} T")
    o["membership"] = MembershipFactory(
        district=district, user=user, role=Role.TEACHER, school=o["school"]
    )
    o["schoolyear"] = SchoolYearFactory(district=district, name=f"{marker} year")
    o["classroom"] = ClassroomFactory(
        district=district, school=o["school"], school_year=o["schoolyear"], name=f"{marker} room"
    )
    o["student"] = StudentFactory(
        district=district, school=o["school"], given_name=marker, family_name=f"{marker}son",
        student_number=f"{marker}-1",
    )  # fmt: skip
    o["enrolment"] = enrol(o["student"], o["classroom"], sourced_id=f"{marker}-enr")
    o["staffassignment"] = teach(user, o["classroom"])
    o["studentflag"] = StudentFlag.objects.create(
        district=district, code="ell", label=f"{marker} learner", sensitive=True
    )
    o["studentflagvalue"] = StudentFlagValue.objects.create(
        district=district, student=o["student"], flag=o["studentflag"]
    )
    # The student's home school doubles as the other school: the row is what is tested.
    o["studentschool"] = StudentSchool.objects.create(
        district=district, student=o["student"], school=o["school"], sourced_id=f"{marker}-also"
    )
    roster_import = RosterImport(
        district=district, kind="oneroster", original_name=f"{marker}.zip",
        problems=[{"file": "users.csv", "row": 2, "column": "x", "message": marker}],
    )  # fmt: skip
    roster_import.file.save(f"{marker}.zip", ContentFile(b"PK"), save=False)
    roster_import.save()
    o["rosterimport"] = roster_import
    o["pendingmembership"] = PendingMembership.objects.create(
        district=district, user=user, role=Role.PRINCIPAL, school=o["school"],
        roster_import=roster_import,
    )  # fmt: skip
    _screener_world(district, marker, o)
    _team_world(district, marker, o, user)
    _continuum_world(district, marker, o)
    _leadership_world(district, marker, o, user)
    _audit_world(district, marker, o)
    assert {m._meta.model_name for m in tenant_models()} >= set(world.objects)
    assert all(apps.get_model(o._meta.label) for o in world.objects.values())
    return world


def _audit_world(district, marker: str, o: dict) -> None:
    o["auditevent"] = AuditEvent.objects.create(
        district=district, actor_email=f"{marker.lower()}-reader@example.org", action="view",
        object_type="student", object_id=str(o["student"].pk), student_id=o["student"].pk,
        path=f"/{marker}/",
    )  # fmt: skip
    staff = UserFactory(email=f"{marker.lower()}-staff@platform.example", is_staff=True)
    now = datetime.datetime.now(datetime.UTC)
    o["supportgrant"] = SupportGrant.objects.create(
        district=district, staff_user=staff, reason=f"{marker} ticket", starts_at=now,
        expires_at=now + datetime.timedelta(hours=1),
    )  # fmt: skip


def _continuum_world(district, marker: str, o: dict) -> None:

    # The district's own (made with it): marked, so a page that leaks its name is caught.
    o["focusarea"] = focus_area(district, "literacy")
    o["focusarea"].name = f"{marker} literacy"
    o["focusarea"].save(update_fields=["name"])
    o["tier"] = Tier.objects.for_district(district).get(number=2)
    o["tier"].name = f"{marker} tier"
    o["tier"].save(update_fields=["name"])
    o["support"] = Support.objects.create(
        district=district, name=f"{marker} reading group", focus_area=o["focusarea"],
        tier=o["tier"], school=o["school"], provider=f"{marker} coach",
    )  # fmt: skip
    o["supportplan"] = SupportPlan.objects.create(
        district=district, student=o["student"], support=o["support"],
        focus_area=o["focusarea"], tier=o["tier"], goal=f"{marker} goal",
        start_date=datetime.date.today(), student_goal=f"{marker} in my words",
    )  # fmt: skip
    o["progresspoint"] = ProgressPoint.objects.create(
        district=district, plan=o["supportplan"], date=datetime.date.today(), score=7,
        note=f"{marker} note",
    )  # fmt: skip
    o["planchange"] = PlanChange.objects.create(
        district=district, plan=o["supportplan"], date=datetime.date.today(),
        summary=f"{marker} schedule 3 × 20 min a week → 4 × 30 min a week",
        reason=f"{marker} reason",
    )  # fmt: skip
    support_file = SupportFile(
        district=district, support=o["support"], original_name=f"{marker} handout.txt", size=6
    )
    support_file.file.save(f"{marker}.txt", ContentFile(marker.encode()), save=False)
    support_file.save()
    o["supportfile"] = support_file
    o["supporteffect"] = SupportEffect.objects.create(
        district=district, support=o["support"], window=o["screeningwindow"],
        previous_window=o["screeningwindow"], screener=o["screener"], school=o["school"],
        grade="03", start_rank=0, received=1, received_up=1, received_same=0, received_down=0,
        others=0, others_up=0, others_same=0, others_down=0,
    )  # fmt: skip
    o["districtsupport"] = DistrictSupport.objects.create(
        district=district, name=f"{marker} coaching", area="instruction", level="targeted",
        description=f"{marker} visits",
    )  # fmt: skip
    o["districtsupportprovider"] = DistrictSupportProvider.objects.create(
        district=district, support=o["districtsupport"], user=o["membership"].user
    )
    o["schoolsupporttier"] = SchoolSupportTier.objects.create(
        district=district, school=o["school"], level="targeted", note=f"{marker} why"
    )
    o["schoolsupportassignment"] = SchoolSupportAssignment.objects.create(
        district=district, school=o["school"], support=o["districtsupport"],
        start_date=datetime.date.today(), note=f"{marker} assigned",
    )  # fmt: skip


def _leadership_world(district, marker: str, o: dict, user) -> None:

    o["assurancearea"] = AssuranceArea.objects.create(
        district=district, key="growth", name=f"{marker} growth"
    )
    o["evaluationmatrix"] = EvaluationMatrix.objects.create(district=district, matrix=MATRIX)
    o["priority"] = Priority.objects.create(
        district=district, school_year=o["schoolyear"], area=o["assurancearea"],
        title=f"{marker} priority",
    )  # fmt: skip
    o["measure"] = Measure.objects.create(
        district=district, priority=o["priority"], name=f"{marker} measure", source="manual"
    )
    o["measurefigure"] = MeasureFigure.objects.create(
        district=district, measure=o["measure"], school=o["school"], value=50
    )
    o["evaluation"] = Evaluation.objects.create(
        district=district, measure=o["measure"], school=o["school"], value=50,
        achievement="low", overall="issue",
    )  # fmt: skip
    o["actionplan"] = ActionPlan.objects.create(
        district=district, school=o["school"], school_year=o["schoolyear"]
    )
    o["goal"] = Goal.objects.create(
        district=district, plan=o["actionplan"], priority=o["priority"], title=f"{marker} goal"
    )
    o["strategy"] = Strategy.objects.create(
        district=district, goal=o["goal"], text=f"{marker} strategy"
    )
    o["plancommitment"] = PlanCommitment.objects.create(
        district=district, goal=o["goal"], text=f"{marker} commitment", owner=user,
        due_on=datetime.date.today(),
    )  # fmt: skip
    o["evidence"] = Evidence.objects.create(
        district=district, goal=o["goal"], title=f"{marker} evidence"
    )
    o["checkin"] = CheckIn.objects.create(
        district=district, goal=o["goal"], phase="act", status="at_risk",
        narrative=f"{marker} narrative",
    )  # fmt: skip
    o["plancomment"] = PlanComment.objects.create(
        district=district, goal=o["goal"], text=f"{marker} question", answer=f"{marker} answer"
    )


def _screener_world(district, marker: str, o: dict) -> None:

    o["screener"] = Screener.objects.create(
        district=district,
        name=f"{marker} reading",
        focus_area=focus_area(district, "literacy"),
        grades=["03"],
    )
    o["benchmarkband"] = BenchmarkBand.objects.create(
        district=district, screener=o["screener"], grade="03", season="fall",
        name=f"{marker} band", label=f"{marker} label", colour="#00aa00", min_score=0,
        max_score=100, rank=0, meets_benchmark=True,
    )  # fmt: skip
    today = datetime.date.today()
    o["screeningwindow"] = ScreeningWindow.objects.create(
        district=district, school_year=o["schoolyear"], season="fall",
        opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=3),
    )  # fmt: skip

    with district_context(district):  # the link table is a tenant table too
        o["screeningwindow"].screeners.add(o["screener"])
        o["windowscreener"] = WindowScreener.objects.get(window=o["screeningwindow"])
    common = {"district": district, "window": o["screeningwindow"], "screener": o["screener"]}
    o["screenerresult"] = ScreenerResult.objects.create(
        **common, student=o["student"], score=42, band=o["benchmarkband"]
    )
    o["studentbandsnapshot"] = StudentBandSnapshot.objects.create(
        **common, student=o["student"], school=o["school"], grade="03", score=42,
        band=o["benchmarkband"], band_rank=0, meets_benchmark=True, movement="new",
    )  # fmt: skip
    result_import = ResultImport(
        district=district,
        window=o["screeningwindow"],
        original_name=f"{marker}.csv",
        problems=[{"file": "r.csv", "row": 2, "column": "score", "message": marker}],
    )
    result_import.file.save(f"{marker}.csv", ContentFile(b"x"), save=False)
    result_import.save()
    o["resultimport"] = result_import
    o["bandcountsnapshot"] = BandCountSnapshot.objects.create(
        **common, scope="classroom", school=o["school"], grade="03", classroom=o["classroom"],
        band=o["benchmarkband"], band_rank=0, meets_benchmark=True, students=1,
    )  # fmt: skip


def _team_world(district, marker: str, o: dict, user) -> None:

    # The district was born with its layers: its collaborative team meeting takes the marker.
    o["teamlayer"] = TeamLayer.objects.for_district(district).get(kind="ctm")
    o["teamlayer"].name = f"{marker} CTM"
    o["teamlayer"].save(update_fields=["name"])
    o["team"] = Team.objects.create(
        district=district, layer=o["teamlayer"], school=o["school"], name=f"{marker} team"
    )
    o["teammember"] = TeamMember.objects.create(district=district, team=o["team"], user=user)
    o["meeting"] = Meeting.objects.create(
        district=district,
        team=o["team"],
        date=datetime.date.today(),
        agenda=[{"key": "custom-1", "title": f"{marker} section", "minutes": 10}],
    )
    o["sectionnote"] = SectionNote.objects.create(
        district=district, meeting=o["meeting"], key="custom-1", text=f"{marker} plan", version=1
    )
    o["discussion"] = Discussion.objects.create(
        district=district, meeting=o["meeting"], student=o["student"], notes=f"{marker} notes"
    )
    o["noteconflict"] = NoteConflict.objects.create(
        district=district,
        discussion=o["discussion"],
        field="notes",
        text=marker,
        based_on_version=1,
    )
    o["commitment"] = Commitment.objects.create(
        district=district,
        team=o["team"],
        meeting=o["meeting"],
        owner=user,
        text=marker,
        due_date=datetime.date.today(),
    )
    o["celebration"] = Celebration.objects.create(
        district=district, meeting=o["meeting"], text=f"{marker} joy"
    )
    o["referral"] = Referral.objects.create(
        district=district,
        student=o["student"],
        from_meeting=o["meeting"],
        to_team=o["team"],
        context=f"{marker} context",
    )
    o["organizerpick"] = OrganizerPick.objects.create(
        district=district,
        meeting=o["meeting"],
        teacher=user,
        student=o["student"],
        kind="key_issue",
        note=f"{marker} pick",
    )
    o["sameissuestudent"] = SameIssueStudent.objects.create(
        district=district, discussion=o["discussion"], student=o["student"]
    )
    o["meetingattendance"] = MeetingAttendance.objects.create(
        district=district, meeting=o["meeting"], user=user
    )


# -- Django admin, walked as the platform operator -------------------------------------------


class _FormReader(HTMLParser):
    """What a browser would post back from the page's main form, unchanged."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.depth, self.data = form_id, 0, []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.depth = 1
            return
        if not self.depth:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image") and name != "_save":
                return
            self.data.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name and "disabled" not in a:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self.depth:
            self.depth = 0

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def posted_form(html: str, form_id: str) -> dict[str, list[str]]:
    reader = _FormReader(form_id)
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def _admin_model(template: str):
    """The registered model of '/admin/<app_label>/<model_name>/…', or None."""

    parts = template.removeprefix("/admin/").split("/")
    for model in admin.site._registry:
        if parts[:2] == [model._meta.app_label, model._meta.model_name]:
            return model
    return None


def admin_objects(objects: dict[str, object]) -> dict[type, object]:
    """One instance of every model registered in admin: from ``objects`` (keyed by model name)
    where it has one, else any row; a model with no row is walked with a missing id."""

    found = {}
    for model in admin.site._registry:
        obj = objects.get(model._meta.model_name) or model._base_manager.order_by("pk").first()
        if obj is not None:
            found[model] = obj
    return found


def find_admin_failures(client, *, objects: dict[str, object], sign_in) -> list[str]:
    """Walk every /admin/ route as a staff superuser: GET each page (changelist, add, change,
    delete, history of every registered model, and the site's own pages), post every change
    form back as a browser would, post every add form empty, ask each list's delete action
    for its confirmation page, then confirm every delete.

    A 500 anywhere is a finding; so is a district-owned object whose change form is not
    refused (platform staff only read, under a district's support grant). ``objects`` maps
    model names to instances (the isolation world's), so every tenant model registered in
    admin is walked with a real object of its district.
    """

    client.raise_request_exception = False
    problems: list[str] = []
    instances = admin_objects(objects)
    membership = objects["membership"]
    routes = [r for r in walk_routes() if r.template.startswith("/admin/")]

    def call(method: str, url: str, data=None):
        sign_in()  # the walk also signs out
        send = getattr(client, method.lower())
        response = send(url) if data is None else send(url, data)
        if response.status_code >= 500:
            problems.append(f"{method} {url}: server error {response.status_code}")
        return response

    def url_of(route: Route) -> str:
        model = _admin_model(route.template)
        obj = instances.get(model) if model is not None else None
        values = {
            "object_id": quote(obj.pk) if obj is not None else "0",
            "id": obj.pk if obj is not None else 0,
            "app_label": "districts",
            "content_type_id": ContentType.objects.get_for_model(membership).pk,
            "url": "districts/no-such-page/",
            "pk": obj.pk if obj is not None else 0,
        }
        if model is None and "content_type_id" in route.params:
            values["object_id"] = membership.pk
        return route.fill(values)

    deletes = []
    for route in routes:
        url = url_of(route)
        response = call("GET", url)
        model = _admin_model(route.template)
        if route.template.endswith("/delete/"):
            deletes.append((model, url))
        elif model is not None and route.name.endswith("_changelist") and model in instances:
            # The list's delete action asks for confirmation, listing what would go.
            selected = {"action": "delete_selected", "_selected_action": [instances[model].pk]}
            call("POST", url, selected)
        elif route.template.endswith("/add/"):
            call("POST", url, {})
            if is_tenant_model(model):
                district_id = instances[model].district_id
                call("GET", f"{url}?district={district_id}")
                call("POST", url, {"district": district_id})
        elif route.template.endswith("/change/") and response.status_code == 200:
            form_id = f"{model._meta.model_name}_form"
            saved = call("POST", url, posted_form(_body(response), form_id))
            if is_tenant_model(model) and saved.status_code != 403:
                # Support access reads: a district's row is never saved through admin.
                problems.append(f"POST {url}: status {saved.status_code}, expected 403")
    # Districts and users last: deleting them takes everything else with them.
    last = {"districts.District", "districts.User"}
    deletes.sort(key=lambda d: d[0] is not None and d[0]._meta.label in last)
    for _model, url in deletes:
        call("POST", url, {"post": "yes"})
    return problems
