"""The API's one error path: every failed request to a district API view leaves nothing
written, and Django's ValidationError / PermissionDenied / Http404 become 400 / 403 / 404.

A test view mounted beside the real routes writes a school and then fails in each way a view
can; and every write route of the published schema is served by a view on the base class that
applies the rule, so a new route is covered the day it is added."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import clear_url_caches, path, resolve
from rest_framework import status
from rest_framework.response import Response

import crsys.urls
from crsys.tenancy.api import (
    DECIDED_BY_SERVICES,
    DistrictAPIMixin,
    DistrictGenericAPIView,
    KeptWritesResponse,
)
from districts.permissions import Capability
from schools.models import School
from tests.isolation import schema_operations

pytestmark = pytest.mark.django_db

FAILURES = {
    "validation": (ValidationError({"code": "taken", "name": "too long"}), 400),
    "refusal": (ValidationError("the window is closed"), 400),
    "permission": (PermissionDenied("only the team's members"), 403),
    "missing": (Http404("no such thing"), 404),
}


class WriteThenFail(DistrictGenericAPIView):
    write_capability = Capability.MANAGE_DISTRICT
    service_field_names = {"name": "title"}

    def post(self, request, how: str, district_slug=None):
        School.objects.create(district=self.district, name=f"written {how}", code=how)
        if how in FAILURES:
            raise FAILURES[how][0]
        if how == "answered":
            return Response({"detail": "refused"}, status=status.HTTP_400_BAD_REQUEST)
        if how == "kept":
            return KeptWritesResponse({"kept": True}, status=status.HTTP_409_CONFLICT)
        if how == "crash":
            raise RuntimeError("a bug after the write")
        return Response({}, status=status.HTTP_201_CREATED)


class ServicesDecide(DistrictGenericAPIView):
    write_capability = DECIDED_BY_SERVICES

    def post(self, request, district_slug=None):
        return Response({}, status=status.HTTP_201_CREATED)


class NamesNoWriteCapability(DistrictGenericAPIView):
    def post(self, request, district_slug=None):
        return Response({}, status=status.HTTP_201_CREATED)


@pytest.fixture
def test_routes(settings):

    settings.ROOT_URLCONF = type(
        "TestUrls",
        (),
        {
            "urlpatterns": [
                path("api/v1/d/<slug:district_slug>/fail/<str:how>/", WriteThenFail.as_view()),
                path("api/v1/d/<slug:district_slug>/decide/", ServicesDecide.as_view()),
                path("api/v1/d/<slug:district_slug>/closed/", NamesNoWriteCapability.as_view()),
                *crsys.urls.urlpatterns,
            ],
            "handler500": crsys.urls.handler500,
        },
    )
    clear_url_caches()
    yield
    clear_url_caches()


def _written(district, how: str) -> bool:
    return School.objects.for_district(district).filter(code=how).exists()


@pytest.mark.parametrize("how", sorted(FAILURES))
def test_a_refusal_after_a_write_answers_its_status_and_writes_nothing(
    client, district, admin_user, test_routes, how
):
    client.force_login(admin_user)
    response = client.post(f"/api/v1/d/alpha/fail/{how}/")
    assert response.status_code == FAILURES[how][1]
    assert not _written(district, how)


def test_a_validation_error_names_the_requests_fields(client, district, admin_user, test_routes):
    client.force_login(admin_user)
    field_errors = client.post("/api/v1/d/alpha/fail/validation/").json()
    assert field_errors == {"code": ["taken"], "title": ["too long"]}
    refusal = client.post("/api/v1/d/alpha/fail/refusal/").json()
    assert refusal == {"detail": "the window is closed"}
    permission = client.post("/api/v1/d/alpha/fail/permission/").json()
    assert permission == {"detail": "only the team's members"}


def test_an_error_answer_the_view_returns_itself_writes_nothing(
    client, district, admin_user, test_routes
):
    client.force_login(admin_user)
    assert client.post("/api/v1/d/alpha/fail/answered/").status_code == 400
    assert not _written(district, "answered")


def test_a_crash_after_a_write_writes_nothing(client, district, admin_user, test_routes):
    client.force_login(admin_user)
    client.raise_request_exception = False
    response = client.post("/api/v1/d/alpha/fail/crash/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side."}
    assert not _written(district, "crash")


def test_what_a_view_keeps_on_purpose_and_a_success_are_written(
    client, district, admin_user, test_routes
):
    client.force_login(admin_user)
    assert client.post("/api/v1/d/alpha/fail/kept/").status_code == 409
    assert client.post("/api/v1/d/alpha/fail/done/").status_code == 201
    assert _written(district, "kept") and _written(district, "done")


def test_writes_are_closed_unless_a_view_names_a_capability_or_leaves_it_to_services(
    client, teacher_user, test_routes
):
    client.force_login(teacher_user)
    assert client.post("/api/v1/d/alpha/closed/").status_code == 403
    assert client.post("/api/v1/d/alpha/decide/").status_code == 201


# Routes outside any district: they write nothing a failure could leave behind.
OUTSIDE_DISTRICTS = {"/api/v1/auth/token/", "/api/v1/auth/tokens/{token_key}/"}


def test_every_api_write_route_is_served_by_the_rolling_back_base_view(client):
    writes = [
        path_
        for path_, methods in schema_operations(client).items()
        if methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert len(writes) > 10
    outside = []
    for template in writes:
        url = re.sub(r"\{district_slug\}", "alpha", template)
        url = re.sub(r"\{section_key\}", "custom-1", url)
        url = re.sub(r"\{[^}]+\}", "1", url)
        view = resolve(url).func
        view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
        if not (view_class and issubclass(view_class, DistrictAPIMixin)):
            outside.append(template)
    assert set(outside) == OUTSIDE_DISTRICTS
