"""Find every input a user can send, and send it what an attacker would.

Page forms are found by reading the district's pages as each role (``<form>`` fields, and
htmx ``hx-post``/``hx-patch`` elements with what they include); API writes come from the
OpenAPI schema (request-body fields, and the query parameters of every operation). Each
field then gets a NUL byte, an over-long value, values of the wrong type, and no value at all.
Nothing here lists a form or route by hand: a new one is fuzzed the day it appears.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

OMIT = object()
LONG = "x" * 10_000
FORM_VALUES = {
    "NUL": "a\x00b",
    "10,000 characters": LONG,
    "text for a number, date or choice": "ABCDEFGHIJKL",
    "a number past 64 bits": "99999999999999999999",
    "two values": ["1", "2"],
    "nothing": OMIT,
}
JSON_VALUES = {
    **{k: v for k, v in FORM_VALUES.items() if k != "two values"},
    "a huge number": 99999999999999999999,
    "an object": {"a": 1},
    "a list": [1, "x"],
    "null": None,
    "true": True,
}
HX_WRITES = ("hx-post", "hx-patch", "hx-put", "hx-delete")


@dataclass
class Endpoint:
    """One way to send input: where, how, and a plausible value for each field."""

    method: str
    url: str
    fields: dict[str, object]
    files: dict[str, str] = field(default_factory=dict)
    htmx: bool = False
    found_on: str = ""
    #: The query string of a form's action (a band form posts to ?grade=03&season=fall):
    #: fields as much as the body's.
    query: dict[str, object] = field(default_factory=dict)

    def __post_init__(self):
        parts = urlsplit(self.url)
        if self.method != "GET" and parts.query:
            self.query = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.url = parts.path if self.method != "GET" else self.url

    @property
    def key(self):
        names = (*sorted(self.fields), *sorted(self.query))
        return (self.method, urlsplit(self.url).path, names, self.htmx)


class _FormParser(HTMLParser):
    """Forms and htmx writers of one page, with the values their fields hold."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.hx: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self._form: dict | None = None
        self._textarea: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"attrs": a, "fields": []}
            self.forms.append(self._form)
        element = None
        if tag in ("input", "textarea", "select", "button") and a.get("name"):
            element = {"tag": tag, "attrs": a, "value": a.get("value", "")}
            if tag == "input" and a.get("type") in ("checkbox", "radio"):
                element["value"] = a.get("value", "on")
            if self._form is not None:
                self._form["fields"].append(element)
            if tag == "textarea":
                self._textarea = element
            if tag == "select":
                self._select = element
                element["value"] = None
        if tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["value"] in (None, "") or "selected" in a:
                self._select["value"] = value
        if a.get("id"):
            self.by_id[a["id"]] = element or {"tag": tag, "attrs": a, "value": a.get("value")}
        if any(h in a for h in HX_WRITES):
            self.hx.append({"tag": tag, "attrs": a, "element": element, "form": self._form})

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data


def _field_values(elements) -> tuple[dict, dict]:
    fields, files = {}, {}
    for e in elements:
        a, name = e["attrs"], e["attrs"]["name"]
        if e["tag"] == "input" and a.get("type") == "file":
            files[name] = a.get("accept", ".csv").split(",")[0].strip() or ".csv"
            continue
        if e["tag"] == "button" or a.get("type") == "submit":
            fields.setdefault(name, e["value"])
            continue
        if e["tag"] == "input" and a.get("type") in ("checkbox", "radio") and name in fields:
            continue
        value = e["value"] if e["value"] is not None else ""
        if value == "" and e["tag"] != "select":
            value = _plausible(a)
        fields[name] = value
    return fields, files


def _plausible(attrs) -> str:
    kind = attrs.get("type", "text")
    if kind == "date":
        return datetime.date.today().isoformat()
    if kind == "number":
        return attrs.get("min") or "1"
    if kind == "color":
        return "#00aa00"
    if kind == "email":
        return "someone@example.org"
    return "words"


def _js_vals(text: str, parser: _FormParser) -> dict:
    """The literal keys of ``hx-vals='js:{...}'``: strings, and element values by id."""
    values = {}
    pattern = r'"(\w+)":\s*(?:"([^"]*)"|document\.getElementById\("([^"]+)"\)\.value)'
    for key, literal, element_id in re.findall(pattern, text):
        if element_id:
            element = parser.by_id.get(element_id) or {}
            values[key] = element.get("value") or ""
        else:
            values[key] = literal
    return values


def page_endpoints(html: str, page_url: str) -> list[Endpoint]:
    parser = _FormParser()
    parser.feed(html)
    found = []
    for form in parser.forms:
        a = form["attrs"]
        method = (a.get("method") or "get").upper()
        hx = next((h for h in HX_WRITES if h in a), None)
        if hx:
            method, action = hx.split("-")[1].upper(), a[hx]
        else:
            action = a.get("action") or page_url
        fields, files = _field_values(form["fields"])
        found.append(Endpoint(method, urljoin(page_url, action), fields, files, bool(hx), page_url))
    for hx in parser.hx:
        a = hx["attrs"]
        if hx["tag"] == "form":
            continue  # read above, with its fields
        verb = next(h for h in HX_WRITES if h in a)
        elements = list(hx["form"]["fields"]) if hx["form"] else []
        if hx["element"] is not None and hx["element"] not in elements:
            elements.append(hx["element"])
        for selector in filter(None, (s.strip() for s in a.get("hx-include", "").split(","))):
            if selector.startswith("#") and selector[1:] in parser.by_id:
                target = parser.by_id[selector[1:]]
                if target.get("attrs", {}).get("name"):
                    elements.append(target)
        fields, files = _field_values(elements)
        vals = a.get("hx-vals", "")
        if vals.startswith("js:"):
            fields.update(_js_vals(vals, parser))
        elif vals:
            fields.update({k: str(v) for k, v in json.loads(vals).items()})
        found.append(
            Endpoint(
                verb.split("-")[1].upper(),
                urljoin(page_url, a[verb]),
                fields,
                files,
                True,
                page_url,
            )
        )
    return found


def send_form(client, endpoint: Endpoint, fields: dict, *, query=None, with_files=True):
    """One request as the browser would send it; rolled back, so each starts from the same
    data (a closed meeting or deleted row would hide what comes after)."""
    headers = {"HTTP_HX_REQUEST": "true"} if endpoint.htmx else {}
    data = {k: v for k, v in fields.items() if v is not OMIT}
    query = endpoint.query if query is None else query
    url = endpoint.url
    if query:
        url = f"{url}?{urlencode({k: v for k, v in query.items() if v is not OMIT}, doseq=True)}"
    with transaction.atomic():
        if endpoint.method == "GET":
            response = client.get(url, data, **headers)
        elif endpoint.method == "POST":
            if with_files:
                for name, suffix in endpoint.files.items():
                    data[name] = SimpleUploadedFile(f"upload{suffix}", b"a,b\n1,2\n")
            response = client.post(url, data, **headers)
        else:
            body = urlencode(data, doseq=True)
            call = getattr(client, endpoint.method.lower())
            response = call(url, body, content_type="application/x-www-form-urlencoded", **headers)
        transaction.set_rollback(True)
    return response


def fuzz_forms(client, endpoints: list[Endpoint]) -> list[str]:
    problems = []
    for endpoint in endpoints:
        where = f"{endpoint.method} {endpoint.url} (form on {endpoint.found_on})"
        if (status := send_form(client, endpoint, {}, with_files=False).status_code) >= 500:
            problems.append(f"{where} with an empty body: {status}")
        for name in endpoint.fields:
            for label, value in FORM_VALUES.items():
                response = send_form(client, endpoint, {**endpoint.fields, name: value})
                if response.status_code >= 500:
                    problems.append(f"{where} {name}={label}: {response.status_code}")
        for name in endpoint.query:
            for label, value in FORM_VALUES.items():
                query = {**endpoint.query, name: value}
                response = send_form(client, endpoint, endpoint.fields, query=query)
                if response.status_code >= 500:
                    problems.append(f"{where} ?{name}={label}: {response.status_code}")
    return problems


# --- The API, from its schema ----------------------------------------------------------


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    return node


def plausible_json(schema: dict, node: dict, name: str, ids: dict[str, object]):
    node = _resolve(schema, node)
    if "enum" in node:
        return next(v for v in node["enum"] if v not in ("", None))
    if "oneOf" in node:
        return plausible_json(schema, node["oneOf"][0], name, ids)
    kind = node.get("type", "object")
    if kind == "object":
        props = node.get("properties", {})
        return {
            key: plausible_json(schema, sub, key, ids)
            for key, sub in props.items()
            if not sub.get("readOnly")
        }
    if kind == "array":
        item = plausible_json(schema, node.get("items", {}), name, ids)
        return [item]
    if kind == "integer":
        return ids.get(name, 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if node.get("format") == "date":
        return datetime.date.today().isoformat()
    if node.get("format") == "email":
        return "someone@example.org"
    if name in ids:
        return ids[name]
    return "words"


def mutations(value, path=()):
    """Paths to every field of a JSON body: top-level keys, and the fields of the first
    item of each list of objects."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield (*path, key)
            yield from mutations(sub, (*path, key))
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        yield from mutations(value[0], (*path, 0))


def replaced(body, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = list(body) if isinstance(body, list) else dict(body)
    if new is OMIT and not rest:
        copy.pop(head)
        return copy
    copy[head] = replaced(body[head], rest, new)
    return copy


@dataclass
class Operation:
    method: str
    url: str
    body: object
    query: list[str]


def api_operations(schema: dict, path_values: dict, ids: dict) -> list[Operation]:
    found = []
    for template, operations in schema["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: str(path_values[m[1]]), template)
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            body_schema = content.get("application/json", {}).get("schema")
            body = plausible_json(schema, body_schema, "", ids) if body_schema else None
            query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            found.append(Operation(method.upper(), url, body, query))
    return found


def send_json(client, method: str, url: str, body, headers: dict, query: dict | None = None):
    with transaction.atomic():
        if query:
            url = f"{url}?{urlencode(query, doseq=True)}"
        call = getattr(client, method.lower())
        if method == "GET":
            response = call(url, **headers)
        else:
            payload = json.dumps(body) if body is not None else ""
            response = call(url, payload, content_type="application/json", **headers)
        transaction.set_rollback(True)
    return response


def fuzz_api(client, operations: list[Operation], headers: dict) -> list[str]:
    problems = []
    for op in operations:
        where = f"{op.method} {op.url}"
        if op.method != "GET":
            for body in ({}, "not an object", None):
                if (
                    status := send_json(client, op.method, op.url, body, headers).status_code
                ) >= 500:
                    problems.append(f"{where} with body {body!r}: {status}")
        for path in mutations(op.body) if op.body is not None else ():
            for label, value in JSON_VALUES.items():
                body = replaced(op.body, path, value)
                response = send_json(client, op.method, op.url, body, headers)
                if response.status_code >= 500:
                    field_name = ".".join(map(str, path))
                    problems.append(f"{where} {field_name}={label}: {response.status_code}")
        for name in op.query:
            for label, value in FORM_VALUES.items():
                if value is OMIT:
                    continue
                response = send_json(client, op.method, op.url, op.body, headers, {name: value})
                if response.status_code >= 500:
                    problems.append(f"{where} ?{name}={label}: {response.status_code}")
    return problems
