"""The API's error answers, in its published schema: every operation says which 4xx it can
answer and with what body, from one place (a drf-spectacular postprocessing hook), so a new
route documents them the day it is added."""

from __future__ import annotations

ERROR_DETAIL = {
    "type": "object",
    "description": "Why the request was refused, in words for people.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERRORS = {
    "type": "object",
    "description": (
        "Each refused field's messages under the request's name for it (a list, or for a "
        "list of items one entry per item); `detail` or `non_field_errors` for what is of "
        "no one field."
    ),
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {},
}
OUTSIDE_DISTRICTS = ("/api/v1/auth/token/",)
METHODS = ("get", "post", "put", "patch", "delete")


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS: 400 for writes and queries that can be refused, 401/403 where a
    sign-in or role is needed, 404 for district routes (another district's object answers
    like a missing one)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorDetail"] = ERROR_DETAIL
    schemas["ValidationErrors"] = VALIDATION_ERRORS
    for path, operations in result.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            queried = any(p.get("in") == "query" for p in operation.get("parameters", []))
            # A write can be refused by its service whatever it sends (a screener with
            # results is not deleted); a read only for what its query says.
            if method != "get" or queried:
                refused = _answer(
                    "The request was refused: see the fields named.", _ref("ValidationErrors")
                )
                if "400" in responses:
                    # A route's own 400 body, or (when its input cannot be read) the usual one.
                    documented = responses["400"]["content"]["application/json"]["schema"]
                    refused["content"]["application/json"]["schema"] = {
                        "anyOf": [documented, _ref("ValidationErrors")]
                    }
                responses["400"] = refused
            if path in OUTSIDE_DISTRICTS and method == "post":
                continue
            responses.setdefault("401", _answer("Not signed in.", _ref("ErrorDetail")))
            responses.setdefault(
                "403", _answer("Your role does not allow this.", _ref("ErrorDetail"))
            )
            if "{district_slug}" in path:
                responses.setdefault(
                    "404",
                    _answer(
                        "No such district for you, or no such object in it.", _ref("ErrorDetail")
                    ),
                )
    return result
