"""Every unique constraint of every tenant model that an API write can reach answers a
duplicate with a 400 naming the field, never PostgreSQL's IntegrityError as a 500.

The constraints come from the models' _meta and the routes from the OpenAPI schema, so a new
constraint or route is checked the day it is added."""

from __future__ import annotations

import re

import pytest
from django.db import models
from django.urls import resolve

from crsys.tenancy.context import district_context
from crsys.tenancy.rls import tenant_models
from tests.isolation import build_world

pytestmark = pytest.mark.django_db

# The duplicates the issue found as 500s: each must stay reachable, or the test proves nothing.
MUST_BE_REACHED = {
    ("school", "sourced_id"),
    ("classroom", "sourced_id"),
    ("schoolyear", "sourced_id"),
    ("schoolyear", "name"),
    ("enrolment", "sourced_id"),
    ("student", "sourced_id"),
    ("screener", "name"),
}

# Routes whose POST sets the one row of its key (a school's tier of district support): a
# duplicate replaces the row, so the check is that no second row appears.
SETS = {("schoolsupporttier", "school")}


def _unique_constraints(model):
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            yield [f for f in constraint.fields if f != "district"]


def _create_routes(schema) -> dict:
    """{model: (collection path, request body properties, view class)} for each POST route
    that creates through a model serializer."""
    routes = {}
    for template, operations in schema["paths"].items():
        post = operations.get("post")
        if not post or not template.endswith("/") or template.count("{") != 1:
            continue
        view = resolve(template.replace("{district_slug}", "alpha")).func
        view_class = getattr(view, "cls", None)
        serializer = getattr(view_class, "serializer_class", None)
        meta = getattr(serializer, "Meta", None)
        if meta is None or "create" not in getattr(view, "actions", {}).values():
            continue
        body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        props = schema["components"]["schemas"][body.rsplit("/", 1)[-1]]["properties"]
        routes[meta.model] = (template, set(props), serializer)
    return routes


def test_every_reachable_unique_constraint_answers_a_duplicate_with_400(
    client, district, admin_user
):
    world = build_world(district=district, marker="Dup")
    client.force_login(admin_user)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    routes = _create_routes(schema)
    reached, problems = set(), []
    for model in tenant_models():
        for fields in _unique_constraints(model):
            route = routes.get(model)
            if route is None or not set(fields) <= route[1]:
                continue  # no API write sets these fields
            template, writable, _ = route
            name = model._meta.model_name
            existing = world.objects[name]
            # given an existing row whose constrained text fields hold a value (blank is none)
            with district_context(district):
                for field in fields:
                    if getattr(existing, model._meta.get_field(field).attname) in ("", None):
                        model.objects.filter(pk=existing.pk).update(**{field: f"dup-{field}"})
            collection = template.replace("{district_slug}", "alpha")
            shown = client.get(f"{collection}{existing.pk}/").json()
            # when a copy of it is posted
            copy = {k: v for k, v in shown.items() if k in writable}
            for other in _unique_constraints(model):  # only this constraint may clash
                for field in set(other) - set(fields):
                    if isinstance(copy.get(field), str):
                        copy[field] = f"new-{field}"
            if name == "schoolyear":  # years never overlap (SchoolYear.clean): another span
                copy["start_date"], copy["end_date"] = "2040-09-01", "2041-06-30"
            response = client.post(collection, copy, content_type="application/json")
            reached.add((name, *fields))
            if (name, *fields) in SETS:
                with district_context(district):
                    key = {f: getattr(existing, model._meta.get_field(f).attname) for f in fields}
                    rows = model.objects.filter(**{f"{f}_id" if f == "school" else f: v
                                                   for f, v in key.items()}).count()  # fmt: skip
                if response.status_code not in (200, 201) or rows != 1:
                    problems.append(f"{name} {fields}: {response.status_code}, {rows} rows")
                continue
            # then the answer is a 400 naming each field of the constraint
            named = response.json() if response.status_code == 400 else {}
            if response.status_code != 400 or not set(fields) <= set(named):
                problems.append(f"{name} {fields}: {response.status_code} {response.content[:300]}")
    assert problems == [], "\n".join(problems)
    assert reached >= MUST_BE_REACHED, sorted(reached)


def test_a_blank_sourced_id_is_none_and_never_clashes(client, district, admin_user):
    client.force_login(admin_user)
    for code in ("A1", "A2"):
        response = client.post(
            "/api/v1/d/alpha/schools/",
            {"name": f"School {code}", "code": code, "grades": ["01"], "sourced_id": ""},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["sourced_id"] is None


def test_a_duplicate_on_update_is_refused_too(client, district, admin_user):
    client.force_login(admin_user)
    ids = []
    for name in ("Reading", "Numbers"):
        response = client.post(
            "/api/v1/d/alpha/screeners/",
            {"name": name, "domain": "literacy", "grades": ["03"]},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    clash = client.patch(
        f"/api/v1/d/alpha/screeners/{ids[1]}/", {"name": "Reading"}, content_type="application/json"
    )
    assert clash.status_code == 400
    assert re.search("another screener has this name", clash.json()["name"][0])


def test_a_check_constraint_answers_400_naming_the_fields_it_compares(client, district, admin_user):
    world = build_world(district=district, marker="Check")
    client.force_login(admin_user)
    year = world.objects["schoolyear"]
    response = client.post(
        "/api/v1/d/alpha/screening-windows/",
        {
            "school_year": year.pk,
            "season": "winter",
            "opens_on": "2026-01-20",
            "closes_on": "2026-01-10",
            "screeners": [world.objects["screener"].pk],
            "grades": [],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "do not fit together" in response.json()["closes_on"][0]
    assert set(response.json()) >= {"closes_on", "opens_on"}
