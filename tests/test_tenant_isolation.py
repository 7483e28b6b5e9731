"""District B's most powerful user walks every route against district A: nothing of A shows."""

import datetime

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.db import connection
from django.http import HttpResponse
from django.urls import clear_url_caches, path
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule

import crsys.urls
from crsys.audit.models import SupportGrant
from crsys.tenancy.admin import TenantModelAdmin
from crsys.tenancy.rls import tenant_models
from districts.models import District, Membership, Role, User
from schools.models import Student
from screeners.models import ScreenerResult
from teams.models import Meeting
from tests.factories import DistrictFactory, api_token, member
from tests.isolation import (
    build_world,
    find_admin_failures,
    find_leaks,
    missing_tenant_models,
    walk_routes,
)

pytestmark = pytest.mark.django_db

MARKER = "ZQXSECRETA"


@pytest.fixture
def worlds():
    victim_district = DistrictFactory(slug="victim", name=f"{MARKER} District")
    own_district = DistrictFactory(slug="own", name="Own District")
    victim = build_world(district=victim_district, marker=MARKER)
    own = build_world(district=own_district, marker="OWNB")
    intruder = member(own_district, Role.DISTRICT_ADMIN, email="admin@own.example")
    return own, victim, intruder


@pytest.fixture
def intruder_client(client, worlds):
    own, victim, intruder = worlds
    key = api_token(intruder)

    def sign_in():
        client.force_login(intruder)
        api_token(intruder, key)

    return client, key, sign_in


def test_every_tenant_model_is_in_the_victims_world(worlds):
    _, victim, _ = worlds
    assert missing_tenant_models(victim) == []


def test_the_walk_reaches_pages_api_and_admin():
    templates = {r.template for r in walk_routes()}
    assert "/d/<slug:district_slug>/" in templates
    assert "/api/v1/d/<slug:district_slug>/me/" in templates
    assert any(t.startswith("/admin/") for t in templates)


def test_no_route_shows_another_districts_data(worlds, intruder_client):
    own, victim, _ = worlds
    client, token, sign_in = intruder_client
    assert find_leaks(client, own=own, victim=victim, token=token, sign_in=sign_in) == []


# The proof that the walk catches a leak: a view that forgets its district.
def _leaky_view(request, membership_pk):

    # Deliberately unscoped: this view exists to prove the isolation walk catches it.
    membership = Membership.objects.unscoped().get(pk=membership_pk)
    return HttpResponse(membership.user.full_name)


leaky_urlpatterns = [
    path("d/<slug:district_slug>/leak/<int:membership_pk>/", _leaky_view, name="leak"),
]


def test_the_walk_catches_an_unscoped_view(worlds, intruder_client, settings):

    own, victim, _ = worlds
    client, token, sign_in = intruder_client
    settings.ROOT_URLCONF = type(
        "LeakyUrls", (), {"urlpatterns": [*leaky_urlpatterns, *crsys.urls.urlpatterns]}
    )
    clear_url_caches()
    try:
        problems = find_leaks(client, own=own, victim=victim, token=token, sign_in=sign_in)
    finally:
        clear_url_caches()
    leak_findings = [p for p in problems if "/d/own/leak/" in p]
    assert leak_findings, problems
    assert all("/leak/" in p for p in problems), problems
    if connection.vendor == "postgresql":
        # Row-level security, the second wall, stopped the unscoped query: the view crashed.
        assert any("server error" in p for p in leak_findings), leak_findings
    else:
        assert any("other district's data" in p for p in leak_findings), leak_findings


@pytest.fixture
def operator_client(client, worlds):
    """The platform operator (a staff superuser, in no district), with an object of every
    model registered in admin that the worlds lack."""

    operator = User.objects.create_superuser("ops@platform.example", "ops-pass-123456")
    # The victim's admin let the operator read the district for an hour (issue 12 item 5):
    # without it every tenant list is empty and no object page opens.
    _, victim, _ = worlds
    now = timezone.now()
    SupportGrant.objects.create(
        district=victim.objects["school"].district, staff_user=operator, reason="ticket 1",
        starts_at=now, expires_at=now + datetime.timedelta(hours=1),
    )  # fmt: skip
    api_token(operator)
    Group.objects.create(name="Operators")
    IntervalSchedule.objects.create(every=10, period=IntervalSchedule.SECONDS)
    return client, lambda: client.force_login(operator)


def test_django_admin_walked_as_the_operator_never_fails(worlds, operator_client):
    """Every admin route, with an object of every model (tenant models: the victim's), GET
    and POST: issue 14 item 6, where a tenant object's change page raised
    NoDistrictInContext."""

    _, victim, _ = worlds
    client, sign_in = operator_client
    objects = {**victim.objects, "district": victim.objects["school"].district}
    assert find_admin_failures(client, objects=objects, sign_in=sign_in) == []
    # Support access only reads: no district's row was changed or deleted through admin.
    changed = {(e.content_type.model, e.action_flag) for e in LogEntry.objects.all()}
    assert not changed & {("membership", 2), ("school", 2), ("membership", 3), ("school", 3)}


def test_the_admin_walk_catches_a_crash(worlds, operator_client, monkeypatch):
    """Proof the admin walk can fail: a membership list read through the fail-closed manager
    outside any district (object pages are read-only now: nothing on them queries)."""

    _, victim, _ = worlds
    client, sign_in = operator_client
    monkeypatch.setattr(
        TenantModelAdmin, "get_queryset", lambda self, request: self.model.objects.all()
    )
    problems = find_admin_failures(client, objects=victim.objects, sign_in=sign_in)
    assert any("/admin/districts/membership/" in p and "server error" in p for p in problems)


def test_every_model_that_names_a_district_is_a_tenant_model():
    """A model with a district column that is not a TenantModel gets no row-level security
    policy and no failing-closed manager: it would leak the day a view forgets a filter."""
    tenant = set(tenant_models())
    district_owned = {
        model
        for model in apps.get_models()
        if any(f.many_to_one and f.related_model is District for f in model._meta.concrete_fields)
    }
    assert district_owned - tenant == set()
    # and the check sees the models every journey touches (it found something to compare)
    assert {Student, Meeting, ScreenerResult, Membership} <= district_owned
