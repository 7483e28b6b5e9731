"""Response headers that keep data out of caches, and a bound on PDF renders.

Every response to a signed-in person (pages, htmx partials, PDFs, CSV exports) and every API
response may carry student data, so none may be stored by a browser, a shared proxy or the
back-forward cache: ``Cache-Control: no-store``, set here once instead of in each view.
(The Content-Security-Policy header is django-csp's, configured in settings.)
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

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


class PdfRateLimitMiddleware:
    """At most ``PDF_RENDERS_PER_MINUTE`` PDFs per signed-in user per minute: one render
    costs 0.75-2.6 s of CPU, so a loop of them from one account could take a worker away
    from everyone. Every PDF route's path ends in ``.pdf`` (tests/trust enumerates them);
    counted in the shared cache, so all workers agree; refused before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.endswith(".pdf"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and not self._allowed(user.pk):
                response = HttpResponse(
                    "Too many PDFs at once: wait a minute and try again.",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = "60"
                return response
        return self.get_response(request)

    @staticmethod
    def _allowed(user_id: int) -> bool:
        key = f"pdf-renders:{user_id}:{int(time.time() // 60)}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=120)
            count = 1
        return count <= settings.PDF_RENDERS_PER_MINUTE
