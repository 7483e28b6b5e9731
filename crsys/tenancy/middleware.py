"""Resolve the district of every page under /d/<district-slug>/ and run the view inside it."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponse

from crsys.tenancy.context import district_context
from districts.selectors import resolve_actor

DISTRICT_PAGE_PATH = re.compile(r"^/d/(?P<slug>[-a-zA-Z0-9_]+)/")


class DistrictMiddleware:
    """Sets ``request.district`` and ``request.actor`` and wraps the view (and the rendering of
    its response) in ``district_context``. API routes resolve their district in the API base
    view instead, after DRF has authenticated the token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.district = None
        request.actor = None
        match = DISTRICT_PAGE_PATH.match(request.path_info)
        if match is None:
            return self.get_response(request)
        if not request.user.is_authenticated:
            # The same answer for every slug, so an anonymous visitor learns nothing.
            if request.headers.get("HX-Request"):
                # An autosave after the session ended: a login page swapped in beside the
                # field would hide that nothing was saved (static/js/inplace-edits.js says so).
                return HttpResponse("Signed out.", status=401, content_type="text/plain")
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)

        # Raises Http404, which Django turns into the ordinary 404 page.
        request.district, request.actor, request.user_districts = resolve_actor(
            user=request.user, district_slug=match["slug"]
        )
        with district_context(request.district, user=request.user):
            response = self.get_response(request)
            if response.status_code >= 400 and not getattr(response, "keeps_writes", False):
                # The view refused or failed (Django turns a raised PermissionDenied, Http404
                # or crash into a response before it gets here): write nothing of what it had
                # begun, as the API does (crsys.tenancy.api).
                transaction.set_rollback(True)
            return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Views read request.district; the slug stays in the URL only for reversing.
        if request.district is not None:
            view_kwargs.pop("district_slug", None)
        return None
