"""Response headers that keep data out of caches.

Every response to a signed-in person (pages, htmx partials, PDFs, CSV exports) and every API
response may carry student data, so none may be stored by a browser, a shared proxy or the
back-forward cache: ``Cache-Control: no-store``, set here once instead of in each view.
(The Content-Security-Policy header is django-csp's, configured in settings.)
"""

from __future__ import annotations

from crsys.errors import API_PREFIX


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith(API_PREFIX):
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
