"""Error answers in the caller's language: JSON under /api/ (an integration reads a body it
can parse, whatever failed), the site's pages elsewhere; and the API's one error path."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler

API_PREFIX = "/api/"


def _api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception):
    if _api(request):
        # Too large a body, too many fields, a malformed header: nothing names a field.
        return JsonResponse({"detail": "The request could not be read."}, status=400)
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    if _api(request):
        return JsonResponse({"detail": "You do not have permission for this."}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return defaults.server_error(request)


def validation_error_body(error: DjangoValidationError, rename: dict[str, str]) -> dict:
    """A model's or service's refusal as the API's 400 body: each field's messages under the
    request's name for it (``rename``: service name -> request name); messages of no one field
    in ``detail``."""
    if not hasattr(error, "error_dict"):
        return {"detail": "; ".join(error.messages)}
    body: dict = {}
    for field, messages in error.message_dict.items():
        if field == NON_FIELD_ERRORS:
            body["detail"] = "; ".join(messages)
        else:
            body[rename.get(field, field)] = messages
    return body


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: services raise Django's ValidationError,
    PermissionDenied and Http404; each becomes its status here, once for every view."""
    if isinstance(exc, DjangoValidationError):
        rename = getattr(context.get("view"), "service_field_names", {})
        exc = exceptions.ValidationError(validation_error_body(exc, rename))
    response = exception_handler(exc, context)
    if getattr(context.get("view"), "in_district_transaction", False):
        # The view ran in its district's transaction (crsys.tenancy.api): an error answer
        # leaves nothing written of what it had begun. An unhandled exception (None here)
        # leaves the transaction by raising, which rolls it back on its own.
        transaction.set_rollback(True)
    return response
