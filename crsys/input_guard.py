"""Input no view can use, refused in one place: a NUL character anywhere, or a form field a
view reads that was not sent.

A NUL: refused before a view sees it.
PostgreSQL cannot store U+0000 in a text column and raises on a query that compares with
one, so a NUL anywhere in what a client sends would become a 500 in whichever view or
service first touched it. No field of crsys has a use for it: one rule here answers 400 for
the query string, form fields (and uploaded file names) and JSON bodies of every page and
API route, instead of a check in each of them.

A missing field: a view that reads ``request.POST["grade"]`` and gets nothing raises
``MultiValueDictKeyError``, a KeyError that would be a 500; the client left the field out, so
it is the client's error, named here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.http import HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.datastructures import MultiValueDictKeyError

from crsys.errors import API_PREFIX

NUL = "\x00"
MESSAGE = (
    "The text contains a NUL character (\\0), which cannot be stored or searched for. Remove it."
)
UNREADABLE = "The request could not be read."


def _has_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)


def _querydict_has_nul(data: QueryDict) -> bool:
    return _has_nul(data.keys()) or any(_has_nul(values) for _, values in data.lists())


def _json_has_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return _has_nul(value.keys()) or any(_json_has_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(_json_has_nul(v) for v in value)
    return False


def request_has_nul(request) -> bool:
    """Whether the query string or body holds a NUL; raises MultiPartParserError for a body
    that cannot be read (the caller answers 400)."""
    if _querydict_has_nul(request.GET):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        if request.method != "POST":
            return False  # Django reads multipart only on POST; nothing else parses it.
        return _querydict_has_nul(request.POST) or any(
            NUL in (upload.name or "") for upload in request.FILES.values()
        )
    if content_type == "application/x-www-form-urlencoded":
        if request.method == "POST":
            return _querydict_has_nul(request.POST)
        # htmx's hx-patch and hx-put send forms too; the views parse the body themselves.
        return _querydict_has_nul(QueryDict(request.body, encoding=request.encoding))
    if content_type.endswith("json"):
        body = request.body
        if b"\x00" in body:
            return True
        if b"\\u0000" not in body.lower():
            return False  # the common case: no escape of U+0000 anywhere, nothing to parse
        try:
            return _json_has_nul(json.loads(body))
        except ValueError:
            return False  # not JSON: the API's parser answers 400 for it
    return False


def refusal(request, message: str, *, field: str | None = None):
    if request.path.startswith(API_PREFIX):
        body = {field: [message]} if field else {"detail": message}
        return JsonResponse(body, status=400)
    if request.headers.get("HX-Request"):
        # An htmx request shows a refusal beside its field (static/js/inplace-edits.js);
        # a whole page swapped in there would hide that nothing was saved.
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return render(request, "400.html", {"reason": message}, status=400)


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = request_has_nul(request)
        except MultiPartParserError:
            return refusal(request, UNREADABLE)
        if refused:
            return refusal(request, MESSAGE)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MultiValueDictKeyError):
            field = str(exception.args[0]) if exception.args else "a field"
            return refusal(request, f"{field}: this field is required.", field=field)
        return None
