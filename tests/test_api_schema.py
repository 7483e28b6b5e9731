"""The published OpenAPI schema says what the API answers: real answers of every route,
successes and refusals alike, validate against the schema of their status code.

Routes come from the schema itself, so a new route is checked the day it is added; a status
the schema does not document for a route is a finding too."""

from __future__ import annotations

import re

import jsonschema
import pytest
from django.db import transaction
from django.utils import timezone

from districts.models import Role
from tests.factories import member
from tests.isolation import build_world

pytestmark = pytest.mark.django_db

NOBODYS_ID = 987654321


def _json_schema(node):
    """OpenAPI 3.0's ``nullable`` as JSON Schema (the only keyword drf-spectacular emits that
    JSON Schema reads differently)."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    converted = {k: _json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


class Schema:
    def __init__(self, document: dict):
        self.document = document
        self.components = _json_schema(document["components"])

    def check(self, template: str, method: str, response) -> list[str]:
        where = f"{method.upper()} {response.request['PATH_INFO']} -> {response.status_code}"
        documented = self.document["paths"][template][method]["responses"]
        answer = documented.get(str(response.status_code))
        if answer is None:
            return [f"{where}: status not in the schema (documents {sorted(documented)})"]
        content = answer.get("content", {}).get("application/json")
        if content is None:
            return [] if not response.content else [f"{where}: a body the schema does not have"]
        root = {"allOf": [_json_schema(content["schema"])], "components": self.components}
        validator = jsonschema.Draft7Validator(root)
        return [
            f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator.iter_errors(response.json())
        ]


@pytest.fixture
def schema(client):
    return Schema(client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json())


@pytest.fixture
def world(district, school):
    world = build_world(district=district, marker="Schema")
    window = world.objects["screeningwindow"]
    window.last_recomputed_at = timezone.now()  # its snapshots are the ones shown
    window.save(update_fields=["last_recomputed_at"])
    admin = member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example")
    return world, admin


def _fill(template: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m[1]]), template)


def test_every_read_answers_as_its_schema_says(client, schema, world):
    world, admin = world
    client.force_login(admin)
    values = world.param_values()
    problems, read = [], 0
    for template, operations in schema.document["paths"].items():
        if "get" not in operations or "{district_slug}" not in template:
            continue
        response = client.get(_fill(template, values))
        assert response.status_code == 200, (template, response.content[:300])
        problems += schema.check(template, "get", response)
        read += 1
        if "_pk}" in template:  # and an id nobody has: the documented 404
            missing = {**values, **{k: NOBODYS_ID for k in values if k.endswith("_pk")}}
            problems += schema.check(template, "get", client.get(_fill(template, missing)))
    assert read >= 20
    assert problems == [], "\n".join(problems)


def test_snapshot_answers_are_the_lists_the_schema_promises(client, schema, world):
    world, admin = world
    client.force_login(admin)
    values = world.param_values()
    for template in [t for t in schema.document["paths"] if "/snapshots/" in t]:
        response = client.get(_fill(template, values))
        assert isinstance(response.json(), list), template
        assert schema.check(template, "get", response) == []
    shown = client.get(_fill("/api/v1/d/{district_slug}/snapshots/students/{student_pk}/", values))
    assert [s["band_name"] for s in shown.json()] == ["Schema band"]


def test_every_write_refusal_answers_as_its_schema_says(client, schema, world):
    world, admin = world
    teacher = world.objects["membership"].user
    values = world.param_values()
    problems = []
    for template, operations in schema.document["paths"].items():
        for method in ("post", "put", "patch", "delete"):
            if method not in operations or "{district_slug}" not in template:
                continue
            # An empty body as each role: refused (400, 403) or done; each as documented.
            for user in (admin, teacher):
                client.force_login(user)
                with transaction.atomic():
                    call = getattr(client, method)
                    response = call(_fill(template, values), {}, content_type="application/json")
                    transaction.set_rollback(True)
                problems += schema.check(template, method, response)
    assert problems == [], "\n".join(problems)


def test_signed_out_and_outsiders_get_the_documented_errors(client, schema, world, other_district):
    world, _ = world
    values = world.param_values()
    template = "/api/v1/d/{district_slug}/students/"
    problems = schema.check(template, "get", client.get(_fill(template, values)))
    client.force_login(member(other_district, Role.DISTRICT_ADMIN, email="b@beta.example"))
    problems += schema.check(template, "get", client.get(_fill(template, values)))
    assert problems == []


def test_the_bulk_results_refusal_is_the_documented_one(client, schema, world):
    world, admin = world
    client.force_login(admin)
    o = world.objects
    item = {"screener": o["screener"].pk, "window": o["screeningwindow"].pk, "score": "40"}
    response = client.post(
        "/api/v1/d/alpha/results/bulk/",
        {"results": [{**item, "student": NOBODYS_ID}]},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()) == ["results[0].student"]
    assert schema.check("/api/v1/d/{district_slug}/results/bulk/", "post", response) == []
