"""Record each district request's audit event, in one place (crsys.audit.recording)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from crsys.audit.addresses import client_address
from crsys.audit.recording import request_record
from crsys.tenancy.context import request_origin

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class AuditMiddleware:
    """Outside ``DistrictMiddleware``: the event is appended after the request's own
    transaction ended, so a view that refused (and rolled back) is still recorded when it
    should be (support access), and a read is recorded once, whatever the view did."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_origin.set((client_address(request) or "", request.path[:500]))
        try:
            response = self.get_response(request)
        finally:
            request_origin.reset(token)
        request_record(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Pages: support access reads only (the API refuses in HasViewCapability).
        actor = getattr(request, "actor", None)
        under_support = getattr(actor, "support_grant_id", None) is not None
        if under_support and request.method not in SAFE_METHODS:
            raise PermissionDenied("Support access is read-only.")
        return None
