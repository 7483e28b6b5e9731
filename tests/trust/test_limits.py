"""PDF renders per user, session limits and the members page's access actions."""

from __future__ import annotations

import inspect
import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from districts import login_throttle
from districts.middleware import LAST_SEEN, SIGNED_IN_AT
from districts.models import ApiToken, Membership
from tests.factories import PASSWORD, api_token
from tests.isolation import _pattern_text

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _views(patterns=None, prefix="/"):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        text = prefix + _pattern_text(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _views(entry.url_patterns, text)
        elif isinstance(entry, URLPattern):
            yield text, entry.callback


def _renders_pdf(callback) -> bool:
    view = inspect.unwrap(getattr(callback, "view_class", callback))
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return False
    return "pdf_response(" in source


def test_every_pdf_route_ends_in_pdf_so_the_rate_limit_covers_it():
    routes = list(_views())
    pdf_views = {path for path, callback in routes if _renders_pdf(callback)}
    pdf_paths = {path for path, _ in routes if path.endswith(".pdf")}
    assert len(pdf_views) >= 4  # the walk found them: poster, minutes, dashboard, layers
    assert pdf_views == pdf_paths


def test_pdf_renders_are_limited_per_user(client, teacher_user, admin_user, settings):
    settings.PDF_RENDERS_PER_MINUTE = 0  # refused before any render: fast to walk
    client.force_login(teacher_user)
    pdf_paths = [path for path, _ in _views() if path.endswith(".pdf")]
    for path in pdf_paths:
        url = path.replace("<slug:district_slug>", "alpha")
        url = url.replace("<int:meeting_pk>", "1").replace("<int:school_pk>", "1")
        response = client.get(url)
        assert response.status_code == 429, url
        assert response["Retry-After"] == "60"


def test_the_limit_counts_per_user(client, teacher_user, admin_user, settings):
    settings.PDF_RENDERS_PER_MINUTE = 1
    client.force_login(teacher_user)
    assert client.get("/d/alpha/nothing.pdf").status_code == 404  # counted, then routed
    assert client.get("/d/alpha/nothing.pdf").status_code == 429
    other = type(client)()
    other.force_login(admin_user)
    assert other.get("/d/alpha/nothing.pdf").status_code == 404


def test_an_idle_session_ends(client, teacher_user, settings):
    settings.SESSION_IDLE_SECONDS = 1800
    client.force_login(teacher_user)
    assert client.get("/d/alpha/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 1801
    session.save()
    assert client.get("/d/alpha/").status_code == 302


def test_a_busy_session_ends_at_its_absolute_age(client, teacher_user, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    client.force_login(teacher_user)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 8 * 3600 - 1
    session.save()
    assert client.get("/d/alpha/").status_code == 302


def _member_url(district, user) -> str:
    membership = Membership.objects.for_district(district).get(user=user)
    return f"/d/alpha/members/{membership.pk}/"


def test_a_district_admin_releases_a_lock_from_the_member_page(
    client, district, admin_user, teacher_user, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    stranger = type(client)()
    for _ in range(2):
        stranger.post(LOGIN, {"username": teacher_user.email, "password": "guess"})
    assert login_throttle.is_locked(email=teacher_user.email)
    client.force_login(admin_user)
    url = _member_url(district, teacher_user)
    assert "Locked out" in client.get(url).content.decode()
    assert client.post(f"{url}release/").status_code == 302
    assert not login_throttle.is_locked(email=teacher_user.email)
    right = {"username": teacher_user.email, "password": PASSWORD}
    assert stranger.post(LOGIN, right).status_code == 302


def test_a_district_admin_lists_revokes_and_signs_out_from_the_member_page(
    client, district, admin_user, teacher_user
):
    api_token(teacher_user)
    key = ApiToken.objects.get(user=teacher_user).token_key
    theirs = type(client)()
    theirs.force_login(teacher_user)
    client.force_login(admin_user)
    url = _member_url(district, teacher_user)
    assert key[:8] in client.get(url).content.decode()
    assert client.post(f"{url}tokens/{key}/revoke/").status_code == 302
    assert not ApiToken.objects.filter(user=teacher_user).exists()
    assert client.post(f"{url}sign-out/").status_code == 302
    assert theirs.get("/d/alpha/").status_code == 302


def test_a_teacher_cannot_use_the_member_actions(client, district, admin_user, teacher_user):
    client.force_login(teacher_user)
    url = _member_url(district, admin_user)
    for action in ("release/", "sign-out/", "tokens/abc/revoke/"):
        assert client.post(f"{url}{action}").status_code in (403, 404)
