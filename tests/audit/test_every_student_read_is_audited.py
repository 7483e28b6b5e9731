"""The code rule of the audit log: every route that shows a student leaves an audit event.

As the district admin (who may open everything), every district page and API route is
fetched with every object of the visibility scene (tests/test_visibility_within_district.py);
a response that shows any student's name or number must have left an event for its path.
Routes are enumerated from the URL resolver, so a new one is walked the day it is added; one
listed in ``NOT_STUDENT_DATA`` that shows a student fails too.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess

import pytest
from django.urls import resolve

from crsys.audit import recording
from crsys.audit.models import AuditEvent
from districts.models import Role
from tests.factories import api_token, member
from tests.isolation import walk_routes
from tests.test_visibility_within_district import _candidates

pytestmark = pytest.mark.django_db
PDFTOTEXT = shutil.which("pdftotext")


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", errors="replace")
    if response["Content-Type"] == "application/pdf" and PDFTOTEXT:
        return subprocess.run(
            [PDFTOTEXT, "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
    return response.content.decode("utf-8", errors="replace")


def unaudited(client, scene, *, only=None) -> tuple[list[str], int]:
    """(routes that showed a student without an event, how many responses showed one)."""
    district = scene["district"]
    students = scene["objects"]["student"]
    markers = {s.student_number for s in students} | {s.family_name for s in students}
    values = _candidates(scene)
    problems, shown = [], 0
    for route in walk_routes():
        if not route.is_district_route or (only and route.name not in only):
            continue
        params = route.params
        for combo in itertools.product(*(values.get(p, [0]) for p in params)):
            url = route.fill(dict(zip(params, combo, strict=True)))
            before = AuditEvent.objects.for_district(district).filter(path=url).count()
            response = client.get(url, **scene["headers"](url))
            assert response.status_code < 500, (url, response.status_code)
            if response.status_code >= 400 or not any(m in _text(response) for m in markers):
                continue
            shown += 1
            after = AuditEvent.objects.for_district(district).filter(path=url).count()
            if after == before:
                problems.append(f"{url} ({resolve(url).view_name}) shows a student, no event")
    return problems, shown


@pytest.fixture
def admin_walk(client, scene):
    admin = member(scene["district"], Role.DISTRICT_ADMIN, email="root@alpha.example")
    client.force_login(admin)
    client.raise_request_exception = False
    token = api_token(admin)
    scene["headers"] = lambda url: (
        {"HTTP_AUTHORIZATION": f"Token {token}"} if url.startswith("/api/") else {}
    )
    return client, scene


def test_every_route_that_shows_a_student_leaves_an_audit_event(admin_walk):
    client, scene = admin_walk
    problems, shown = unaudited(client, scene)
    assert problems == []
    assert shown > 30  # the walk did reach the student pages, meetings, PDFs and API


def test_the_walk_catches_a_route_left_out(admin_walk, monkeypatch):
    client, scene = admin_walk
    monkeypatch.setattr(
        recording, "NOT_STUDENT_DATA", recording.NOT_STUDENT_DATA | {"schools:student"}
    )
    problems, _ = unaudited(client, scene, only={"student"})
    assert problems and all("(schools:student)" in p for p in problems)


def test_every_name_the_rule_lists_is_a_route():
    names = set()
    for route in walk_routes():
        if route.is_district_route:
            names.add(resolve(route.fill(_dummy_values(route))).view_name)
    assert (recording.NOT_STUDENT_DATA | recording.IMPORTS) - names == set()


def _dummy_values(route) -> dict:
    return {p: ("alpha" if p == "district_slug" else "custom-1" if p == "section_key" else 1)
            for p in route.params}  # fmt: skip
