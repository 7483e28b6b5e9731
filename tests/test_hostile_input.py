"""Every form field and API write answers hostile input with a refusal, never a 500.

A NUL byte, 10,000 characters, text where a number, date or choice belongs, a number past 64
bits, a list, and no value at all, into every field of every form on every district page (read
as each role) and every request body and query parameter of the OpenAPI schema. Run it on
PostgreSQL: that is where NUL bytes and over-long text fail (SQLite stores both).
"""

from __future__ import annotations

import os

import pytest
from django.http import HttpResponse
from django.urls import clear_url_caches, path

import crsys.urls
from districts.models import Role
from tests.factories import member
from tests.hostile import api_operations, fuzz_api, fuzz_forms, page_endpoints, send_json
from tests.isolation import build_world, walk_routes

pytestmark = pytest.mark.django_db

NOT_PAGES = (".pdf", ".csv", "/progress/")


@pytest.fixture
def world(district, school):
    world = build_world(district=district, marker="Hostile")
    o = world.objects
    users = {
        "district admin": member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example"),
        "principal": member(district, Role.PRINCIPAL, school=o["school"], email="p@alpha.example"),
        "teacher": o["membership"].user,  # teaches the classroom, on the team
    }
    return world, users


def _pages(world) -> list[str]:
    values = world.param_values()
    return [
        route.fill(values)
        for route in walk_routes()
        if route.is_district_route
        and route.template.startswith("/d/")
        and not route.template.endswith(NOT_PAGES)
    ]


def test_no_form_field_answers_hostile_input_with_a_server_error(client, world):
    world, users = world
    client.raise_request_exception = False
    endpoints, found_by = {}, {}
    for role, user in users.items():
        client.force_login(user)
        for url in _pages(world):
            response = client.get(url)
            assert response.status_code < 500, f"GET {url} as {role}: {response.status_code}"
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            found = page_endpoints(response.content.decode(), url)
            # A page's GET forms (grade and season, a window) lead to the forms it shows then.
            for chooser in [e for e in found if e.method == "GET" and e.fields]:
                chosen = client.get(chooser.url, chooser.fields)
                if chosen.status_code == 200 and "html" in chosen.get("Content-Type", ""):
                    found += page_endpoints(
                        chosen.content.decode(),
                        chosen.request["PATH_INFO"] + "?" + chosen.request["QUERY_STRING"],
                    )
            for endpoint in found:
                if endpoint.key not in endpoints and "/logout/" not in endpoint.url:
                    endpoints[endpoint.key] = endpoint
                    found_by[endpoint.key] = user
    # The walk reached the forms it must: posted forms, GET searches and htmx autosaves.
    assert len({key[1] for key in endpoints}) >= 20, sorted(endpoints)
    assert {"GET", "POST"} <= {key[0] for key in endpoints}
    assert any(key[3] for key in endpoints), "no htmx writer found"

    if os.environ.get("HOSTILE_DEBUG"):
        for e in endpoints.values():
            print("ENDPOINT", e.method, e.url, e.htmx, sorted(e.fields), e.files)
    problems = []
    for key, endpoint in endpoints.items():
        client.force_login(found_by[key])
        problems += fuzz_forms(client, [endpoint])
    assert problems == [], "\n".join(problems)


def test_no_api_write_or_query_answers_hostile_input_with_a_server_error(client, world):
    world, users = world
    client.raise_request_exception = False
    o = world.objects
    ids = {
        "student": o["student"].pk,
        "students": o["student"].pk,
        "meeting": o["meeting"].pk,
        "from_meeting": o["meeting"].pk,
        "team": o["team"].pk,
        "to_team": o["team"].pk,
        "school": o["school"].pk,
        "classroom": o["classroom"].pk,
        "school_year": o["schoolyear"].pk,
        "screener": o["screener"].pk,
        "screeners": o["screener"].pk,
        "window": o["screeningwindow"].pk,
        "owner": o["membership"].user_id,
        "layer": o["teamlayer"].pk,
        "grade": "03",
        "grades": "03",
        "colour": "#00aa00",
        "field": "notes",
    }
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = api_operations(schema, world.param_values(), ids)
    assert sum(op.method != "GET" for op in operations) >= 15

    problems = []
    for op in operations:
        # The first role the route lets in (members write meetings, admins configure).
        for user in users.values():
            client.force_login(user)
            if send_json(client, op.method, op.url, op.body, {}).status_code != 403:
                break
        problems += fuzz_api(client, [op], {})
    assert problems == [], "\n".join(problems)


# The proof that the fuzzing finds a server error: a form whose view trusts its input.
def _trusting_view(request):
    if request.method == "POST":
        return HttpResponse(str(int(request.POST["copies"]) + 1))
    return HttpResponse(
        '<form method="post"><input type="number" name="copies" value="1">'
        '<button name="go" value="1">Go</button></form>'
    )


def test_the_fuzzing_finds_a_form_that_trusts_its_input(client, world, settings):

    _, users = world
    settings.ROOT_URLCONF = type(
        "TrustingUrls",
        (),
        {"urlpatterns": [path("trusting/", _trusting_view), *crsys.urls.urlpatterns]},
    )
    clear_url_caches()
    try:
        client.raise_request_exception = False
        client.force_login(users["district admin"])
        page = client.get("/trusting/")
        problems = fuzz_forms(client, page_endpoints(page.content.decode(), "/trusting/"))
    finally:
        clear_url_caches()
    assert any("copies=text for a number" in p for p in problems), problems
